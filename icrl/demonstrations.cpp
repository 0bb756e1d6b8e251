// icrl/demonstrations.cpp - see demonstrations.hpp.
#include "icrl/demonstrations.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <set>
#include <utility>

#include "icrl/checkpoint.hpp"
#include "icrl/error.hpp"
#include "icrl/text_format.hpp"

namespace icrl {

namespace {


// Writes a little-endian .npy (format 1.0) with a C-order array of `shape`.
void write_npy(const std::string& path, const char* descr, const std::vector<std::int64_t>& shape,
               const void* data, std::size_t bytes) {
  // (N,) for one dimension, (N, d) for two.
  std::string shape_text = "(" + std::to_string(shape[0]) + ",";
  for (std::size_t i = 1; i < shape.size(); ++i) shape_text += " " + std::to_string(shape[i]);
  shape_text += ")";
  std::string header = "{'descr': '" + std::string(descr) + "', 'fortran_order': False, 'shape': " + shape_text + ", }";
  // magic (6) + version (2) + header length (2) + header, padded with spaces to a multiple of 64
  // and ended by a newline.
  const std::size_t unpadded = 10 + header.size() + 1;
  header.append((64 - unpadded % 64) % 64, ' ');
  header += '\n';
  std::vector<unsigned char> out;
  const unsigned char magic[8] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
  out.insert(out.end(), magic, magic + 8);
  out.push_back(static_cast<unsigned char>(header.size() & 0xff));
  out.push_back(static_cast<unsigned char>(header.size() >> 8));
  out.insert(out.end(), header.begin(), header.end());
  const auto* p = static_cast<const unsigned char*>(data);
  out.insert(out.end(), p, p + bytes);
  write_file_atomic(path, out);
}

}  // namespace

std::int64_t Demonstrations::offset(int k) const {
  std::int64_t o = 0;
  for (int i = 0; i < k; ++i) o += lengths[static_cast<std::size_t>(i)];
  return o;
}

double Demonstrations::episode_return(int k) const {
  return rewards.segment(offset(k), lengths[static_cast<std::size_t>(k)]).sum();
}

int Demonstrations::episode_violations(int k) const {
  return static_cast<int>((costs.segment(offset(k), lengths[static_cast<std::size_t>(k)]).array() > 0.0).count());
}

double Demonstrations::mean_return() const {
  if (lengths.empty()) return 0.0;
  return rewards.sum() / static_cast<double>(episodes());
}

std::int64_t Demonstrations::violations() const { return (costs.array() > 0.0).count(); }

void Demonstrations::check(const std::string& origin) const {
  auto fail = [&](const std::string& what) {
    throw Error("'" + origin + "': " + what + "; the demonstrations are malformed: record them again with icrl demos");
  };
  if (env.empty()) fail("entry 'env' is empty");
  if (obs_dim < 1 || act_dim < 1) fail("obs_dim and act_dim must be >= 1");
  if (lengths.empty()) fail("there are no episodes (entry 'lengths' is empty)");
  std::int64_t n = 0;
  for (std::size_t k = 0; k < lengths.size(); ++k) {
    if (lengths[k] < 1) fail("episode " + std::to_string(k) + " has length " + std::to_string(lengths[k]));
    n += lengths[k];
  }
  if (observations.rows() != obs_dim || observations.cols() != n)
    fail("entry 'observations' is [" + std::to_string(observations.rows()) + ", " +
         std::to_string(observations.cols()) + "], expected [" + std::to_string(obs_dim) + ", " + std::to_string(n) +
         "] (obs_dim x the sum of the episode lengths)");
  if (actions.rows() != act_dim || actions.cols() != n)
    fail("entry 'actions' is [" + std::to_string(actions.rows()) + ", " + std::to_string(actions.cols()) +
         "], expected [" + std::to_string(act_dim) + ", " + std::to_string(n) + "]");
  if (rewards.size() != n) fail("entry 'rewards' has " + std::to_string(rewards.size()) + " values, expected " + std::to_string(n));
  if (costs.size() != n) fail("entry 'costs' has " + std::to_string(costs.size()) + " values, expected " + std::to_string(n));
  if (!observations.allFinite() || !actions.allFinite() || !rewards.allFinite() || !costs.allFinite())
    fail("a value is NaN or infinite");
}

void Demonstrations::save(const std::string& path) const {
  check(path);
  CheckpointWriter out(kDemoFileKind);
  out.add_text("env", env);
  out.add_int("obs_dim", obs_dim);
  out.add_int("act_dim", act_dim);
  Eigen::Matrix<std::int64_t, Eigen::Dynamic, 1> len(static_cast<Eigen::Index>(lengths.size()));
  for (std::size_t k = 0; k < lengths.size(); ++k) len(static_cast<Eigen::Index>(k)) = lengths[k];
  out.add("lengths", len);
  out.add("observations", observations.cast<float>());
  out.add("actions", actions.cast<float>());
  out.add("rewards", rewards);
  out.add("costs", costs);
  out.save(path);
}

namespace {

// The entries of a verified DEMO container (load and parse).
Demonstrations read_demos(const CheckpointReader& in, const std::string& expected_env) {
  const std::string& path = in.origin();
  Demonstrations d;
  d.env = in.read_text("env");
  if (!expected_env.empty() && d.env != expected_env)
    throw Error("'" + path + "': these demonstrations were recorded in env '" + d.env + "', not '" + expected_env +
                "': pass --env " + d.env + " or demonstrations of " + expected_env);
  const std::int64_t od = in.read_int("obs_dim"), ad = in.read_int("act_dim");
  if (od < 1 || od > 4096 || ad < 1 || ad > 4096)
    throw Error("'" + path + "': entry 'obs_dim' or 'act_dim' is out of range (1 .. 4096)");
  d.obs_dim = static_cast<int>(od);
  d.act_dim = static_cast<int>(ad);
  Eigen::Matrix<std::int64_t, Eigen::Dynamic, 1> len;
  in.read("lengths", len);
  std::int64_t n = 0;
  for (Eigen::Index k = 0; k < len.size(); ++k) {
    if (len(k) < 1 || len(k) > (std::int64_t{1} << 31))
      throw Error("'" + path + "': entry 'lengths': episode " + std::to_string(k) + " has length " +
                  std::to_string(len(k)) + "; record the demonstrations again with icrl demos");
    n += len(k);
    d.lengths.push_back(len(k));
  }
  in.require<float>("observations", od, n);
  in.require<float>("actions", ad, n);
  in.require<double>("rewards", n, 1);
  in.require<double>("costs", n, 1);
  Eigen::MatrixXf obs, act;
  in.read("observations", obs);
  in.read("actions", act);
  d.observations = obs.cast<double>();
  d.actions = act.cast<double>();
  in.read("rewards", d.rewards);
  in.read("costs", d.costs);
  d.check(path);
  return d;
}

}  // namespace

Demonstrations Demonstrations::load(const std::string& path, const std::string& expected_env) {
  return read_demos(CheckpointReader::open(path, kDemoFileKind), expected_env);
}

Demonstrations Demonstrations::parse(std::vector<unsigned char> bytes, const std::string& origin,
                                     const std::string& expected_env) {
  return read_demos(CheckpointReader::parse(std::move(bytes), kDemoFileKind, origin), expected_env);
}

Demonstrations Demonstrations::feasible_episodes(int max_episodes) const {
  std::vector<int> keep;
  std::int64_t n = 0;
  for (int k = 0; k < episodes() && static_cast<int>(keep.size()) < max_episodes; ++k) {
    if (episode_violations(k) > 0) continue;
    keep.push_back(k);
    n += lengths[static_cast<std::size_t>(k)];
  }
  if (static_cast<int>(keep.size()) < max_episodes)
    throw Error("only " + std::to_string(keep.size()) + " of " + std::to_string(episodes()) + " recorded episodes of '" +
                env + "' are free of violations, " + std::to_string(max_episodes) +
                " were asked for: the policy is not an expert of the true env (train it longer with icrl expert)");
  Demonstrations out;
  out.env = env;
  out.obs_dim = obs_dim;
  out.act_dim = act_dim;
  out.observations.resize(obs_dim, n);
  out.actions.resize(act_dim, n);
  out.rewards.resize(n);
  out.costs.resize(n);
  std::int64_t col = 0;
  for (int k : keep) {
    const std::int64_t len = lengths[static_cast<std::size_t>(k)], o = offset(k);
    out.observations.middleCols(col, len) = observations.middleCols(o, len);
    out.actions.middleCols(col, len) = actions.middleCols(o, len);
    out.rewards.segment(col, len) = rewards.segment(o, len);
    out.costs.segment(col, len) = costs.segment(o, len);
    out.lengths.push_back(len);
    col += len;
  }
  return out;
}

std::string Demonstrations::info_json() const {
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  int violating_episodes = 0;
  for (int k = 0; k < episodes(); ++k) {
    const double r = episode_return(k);
    lo = std::min(lo, r);
    hi = std::max(hi, r);
    violating_episodes += episode_violations(k) > 0;
  }
  const double mean_len = episodes() ? static_cast<double>(steps()) / episodes() : 0.0;
  return "{\"env\": " + json_quote(env) + ", \"episodes\": " + std::to_string(episodes()) +
         ", \"steps\": " + std::to_string(steps()) + ", \"obs_dim\": " + std::to_string(obs_dim) +
         ", \"act_dim\": " + std::to_string(act_dim) + ", \"mean_return\": " + format_number(mean_return()) +
         ", \"min_return\": " + format_number(episodes() ? lo : 0.0) + ", \"max_return\": " + format_number(episodes() ? hi : 0.0) +
         ", \"violations\": " + std::to_string(violations()) +
         ", \"episodes_with_violation\": " + std::to_string(violating_episodes) +
         ", \"mean_length\": " + format_number(mean_len) + "}";
}

void Demonstrations::export_csv(const std::string& path) const {
  std::string s = "episode,t";
  for (int i = 0; i < obs_dim; ++i) s += ",obs_" + std::to_string(i);
  for (int i = 0; i < act_dim; ++i) s += ",act_" + std::to_string(i);
  s += ",reward,cost\n";
  std::int64_t col = 0;
  for (int k = 0; k < episodes(); ++k) {
    for (std::int64_t t = 0; t < lengths[static_cast<std::size_t>(k)]; ++t, ++col) {
      s += std::to_string(k) + "," + std::to_string(t);
      for (int i = 0; i < obs_dim; ++i) s += "," + format_number(observations(i, col));
      for (int i = 0; i < act_dim; ++i) s += "," + format_number(actions(i, col));
      s += "," + format_number(rewards(col)) + "," + format_number(costs(col)) + "\n";
    }
  }
  write_file_atomic(path, std::vector<unsigned char>(s.begin(), s.end()));
}

void Demonstrations::export_npy(const std::string& prefix) const {
  const std::int64_t n = steps();
  // Column-major [dim, N] is row-major [N, dim]: the bytes can be written as they are.
  write_npy(prefix + "_observations.npy", "<f8", {n, obs_dim}, observations.data(),
            sizeof(double) * static_cast<std::size_t>(observations.size()));
  write_npy(prefix + "_actions.npy", "<f8", {n, act_dim}, actions.data(),
            sizeof(double) * static_cast<std::size_t>(actions.size()));
  write_npy(prefix + "_rewards.npy", "<f8", {n}, rewards.data(), sizeof(double) * static_cast<std::size_t>(n));
  write_npy(prefix + "_costs.npy", "<f8", {n}, costs.data(), sizeof(double) * static_cast<std::size_t>(n));
  std::vector<std::int64_t> episode(static_cast<std::size_t>(n));
  std::size_t i = 0;
  for (int k = 0; k < episodes(); ++k)
    for (std::int64_t t = 0; t < lengths[static_cast<std::size_t>(k)]; ++t) episode[i++] = k;
  write_npy(prefix + "_episode.npy", "<i8", {n}, episode.data(), sizeof(std::int64_t) * episode.size());
}

// ---- CSV import -------------------------------------------------------------------------------

namespace {

// Observations and actions as the .demos file stores them: float32. Throws, naming `where`, when x
// is beyond float32's range.
double stored_as_float32(double x, const std::string& where) {
  if (std::fabs(x) > static_cast<double>(std::numeric_limits<float>::max()))
    throw Error(where + " is beyond float32's range (|x| > 3.4e38); the .demos file stores observations and actions as float32");
  return static_cast<double>(static_cast<float>(x));
}

// Rows in file order grouped into episodes by their ids: each id's rows must form one block.
class EpisodeBlocks {
 public:
  // Row with episode id e into `lengths`: true when it starts an episode. Throws, naming `where`,
  // when e's block ended before (a split episode).
  bool add(long long e, std::vector<std::int64_t>& lengths, const std::string& where) {
    const bool starts = lengths.empty() || e != current_;
    if (starts) {
      if (!lengths.empty()) ended_.insert(current_);
      if (ended_.count(e))
        throw Error(where + ": episode " + std::to_string(e) +
                    " appears again after other episodes; keep each episode's rows together, in step order");
      current_ = e;
      lengths.push_back(0);
    }
    ++lengths.back();
    return starts;
  }

 private:
  std::set<long long> ended_;  // ids whose block of rows is over
  long long current_ = -1;
};

// The fields of one CSV line (no quoting: every field is a number or a column name).
std::vector<std::string> split_fields(const std::string& line) {
  std::vector<std::string> fields;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = line.find(',', start);
    std::string f = line.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    while (!f.empty() && (f.back() == ' ' || f.back() == '\t')) f.pop_back();
    std::size_t lead = 0;
    while (lead < f.size() && (f[lead] == ' ' || f[lead] == '\t')) ++lead;
    fields.push_back(f.substr(lead));
    if (comma == std::string::npos) return fields;
    start = comma + 1;
  }
}

}  // namespace

Demonstrations Demonstrations::import_csv(const std::string& path, const std::string& env, int expected_obs_dim,
                                          int expected_act_dim) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("cannot open '" + path + "' for reading: check the path");
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw Error("error while reading '" + path + "'");
  return parse_csv(text, path, env, expected_obs_dim, expected_act_dim);
}

Demonstrations Demonstrations::parse_csv(const std::string& text, const std::string& origin, const std::string& env,
                                         int expected_obs_dim, int expected_act_dim) {
  const std::string format =
      "the format is a header episode,t,obs_0,...,obs_{d-1},act_0,...,act_{m-1}[,reward][,cost] and one row per step "
      "(what icrl demos --export writes)";
  auto fail = [&](std::int64_t line, const std::string& what) -> Error {
    return Error("'" + origin + "': line " + std::to_string(line) + ": " + what);
  };
  if (env.empty()) throw Error("'" + origin + "': no env name given for the demonstrations; pass the env they were recorded in");

  // Lines, without '\r' (files from Windows) and without trailing blank lines.
  std::vector<std::string> lines;
  {
    std::size_t start = 0;
    while (start <= text.size()) {
      std::size_t end = text.find('\n', start);
      if (end == std::string::npos) end = text.size();
      std::string line = text.substr(start, end - start);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      lines.push_back(line);
      start = end + 1;
    }
    while (!lines.empty() && lines.back().find_first_not_of(" \t") == std::string::npos) lines.pop_back();
  }
  if (lines.empty()) throw Error("'" + origin + "': the file is empty; " + format);

  // Header: episode, t, obs_0.., act_0.., then optionally reward and cost.
  const std::vector<std::string> header = split_fields(lines[0]);
  const int columns = static_cast<int>(header.size());
  if (columns < 4 || header[0] != "episode" || header[1] != "t")
    throw fail(1, "the header must start with episode,t,obs_0 and name at least one act_ column; " + format);
  int obs = 0, act = 0, reward_col = -1, cost_col = -1;
  int c = 2;
  while (c < columns && header[c] == "obs_" + std::to_string(obs)) ++obs, ++c;
  while (c < columns && header[c] == "act_" + std::to_string(act)) ++act, ++c;
  if (c < columns && header[c] == "reward") reward_col = c++;
  if (c < columns && header[c] == "cost") cost_col = c++;
  if (c < columns || obs == 0 || act == 0) {
    const std::string expected = obs == 0 ? "obs_0" : act == 0 ? "obs_" + std::to_string(obs) + " or act_0"
                                                               : "act_" + std::to_string(act) + ", reward or cost";
    throw fail(1, "column " + std::to_string(c + 1) + " is '" + (c < columns ? header[c] : std::string()) +
                      "', expected " + expected + "; " + format);
  }
  if (expected_obs_dim > 0 && obs != expected_obs_dim)
    throw fail(1, std::to_string(obs) + " observation columns (obs_0..obs_" + std::to_string(obs - 1) + "), but env '" +
                      env + "' observes " + std::to_string(expected_obs_dim) +
                      " numbers per step; export the observation the env's step() returns, in its order");
  if (expected_act_dim > 0 && act != expected_act_dim)
    throw fail(1, std::to_string(act) + " action columns (act_0..act_" + std::to_string(act - 1) + "), but env '" + env +
                      "' takes " + std::to_string(expected_act_dim) +
                      (expected_act_dim == 1 ? " (for a discrete env: the action index)" : "") + " per step");

  const std::int64_t n = static_cast<std::int64_t>(lines.size()) - 1;
  if (n < 1) throw fail(1, "the header is there but no rows follow; " + format);
  // Every row's field count before anything is allocated (memory stays within the file's size).
  for (std::int64_t row = 0; row < n; ++row) {
    const std::string& l = lines[static_cast<std::size_t>(row + 1)];
    const auto fields = static_cast<std::int64_t>(std::count(l.begin(), l.end(), ',')) + 1;
    if (fields != columns)
      throw fail(row + 2, std::to_string(fields) + " fields, the header has " + std::to_string(columns) +
                              "; every row needs one value per column (no empty lines inside the data)");
  }

  Demonstrations d;
  d.env = env;
  d.obs_dim = obs;
  d.act_dim = act;
  d.observations.resize(obs, n);
  d.actions.resize(act, n);
  d.rewards = Eigen::VectorXd::Zero(n);
  d.costs = Eigen::VectorXd::Zero(n);

  EpisodeBlocks blocks;
  long long last_t = -1;
  for (std::int64_t row = 0; row < n; ++row) {
    const std::int64_t line = row + 2;
    const std::vector<std::string> f = split_fields(lines[static_cast<std::size_t>(row + 1)]);
    auto number = [&](int col) {
      const std::string& v = f[static_cast<std::size_t>(col)];
      char* end = nullptr;
      const double x = v.empty() ? 0.0 : std::strtod(v.c_str(), &end);
      if (v.empty() || end != v.c_str() + v.size())
        throw fail(line, "column '" + header[static_cast<std::size_t>(col)] + "': '" + v + "' is not a number");
      if (!std::isfinite(x))
        throw fail(line, "column '" + header[static_cast<std::size_t>(col)] + "': '" + v +
                             "' is not a finite number; remove or repair the step (demonstrations must be finite)");
      return x;
    };
    auto integer = [&](int col) {
      const double x = number(col);
      if (x != std::floor(x) || x < 0 || x > 9.0e15)
        throw fail(line, "column '" + header[static_cast<std::size_t>(col)] + "': '" + f[static_cast<std::size_t>(col)] +
                             "' must be a whole number >= 0");
      return static_cast<long long>(x);
    };
    const long long e = integer(0), t = integer(1);
    const std::string at = "'" + origin + "': line " + std::to_string(line);
    if (blocks.add(e, d.lengths, at)) {
      if (t != 0)
        throw fail(line, "episode " + std::to_string(e) + " starts at t = " + std::to_string(t) +
                             "; an episode's first row has t = 0 (is the episode's start missing?)");
    } else if (t != last_t + 1) {
      throw fail(line, "episode " + std::to_string(e) + " goes from t = " + std::to_string(last_t) + " to t = " +
                           std::to_string(t) + "; rows must be the consecutive steps t = 0, 1, 2, ... of an episode");
    }
    last_t = t;
    auto as_float = [&](int col) {
      return stored_as_float32(number(col), at + ": column '" + header[static_cast<std::size_t>(col)] + "'");
    };
    for (int i = 0; i < obs; ++i) d.observations(i, row) = as_float(2 + i);
    for (int j = 0; j < act; ++j) d.actions(j, row) = as_float(2 + obs + j);
    if (reward_col >= 0) d.rewards(row) = number(reward_col);
    if (cost_col >= 0) d.costs(row) = number(cost_col);
  }
  d.check(origin);
  return d;
}

}  // namespace icrl

// ---- .npy import ------------------------------------------------------------------------------

namespace icrl {

namespace {

// The value after `'key':` in a .npy header dict (quotes of either kind stripped for strings).
std::string npy_header_value(const std::string& header, const std::string& key, const std::string& origin) {
  std::size_t k = header.find("'" + key + "'");
  if (k == std::string::npos) k = header.find("\"" + key + "\"");
  if (k == std::string::npos)
    throw Error("'" + origin + "': the .npy header has no '" + key + "' (is this a NumPy .npy file? write it with numpy.save)");
  std::size_t v = header.find(':', k + key.size() + 2);
  if (v == std::string::npos) throw Error("'" + origin + "': the .npy header is malformed near '" + key + "'");
  ++v;
  while (v < header.size() && header[v] == ' ') ++v;
  if (v < header.size() && (header[v] == '\'' || header[v] == '"')) {
    const std::size_t end = header.find(header[v], v + 1);
    if (end == std::string::npos) throw Error("'" + origin + "': the .npy header is malformed near '" + key + "'");
    return header.substr(v + 1, end - v - 1);
  }
  if (v < header.size() && header[v] == '(') {
    const std::size_t end = header.find(')', v);
    if (end == std::string::npos) throw Error("'" + origin + "': the .npy header is malformed near '" + key + "'");
    return header.substr(v, end - v + 1);
  }
  const std::size_t end = header.find_first_of(",}", v);
  return header.substr(v, end == std::string::npos ? std::string::npos : end - v);
}

}  // namespace

NpyArray parse_npy(const std::vector<unsigned char>& bytes, const std::string& origin) {
  static const unsigned char kMagic[6] = {0x93, 'N', 'U', 'M', 'P', 'Y'};
  if (bytes.size() < 10 || !std::equal(kMagic, kMagic + 6, bytes.begin()))
    throw Error("'" + origin + "': not a NumPy .npy file (no \\x93NUMPY magic); write the array with numpy.save");
  const int major = bytes[6];
  std::size_t header_len = 0, start = 0;
  if (major == 1) {
    header_len = static_cast<std::size_t>(bytes[8]) | static_cast<std::size_t>(bytes[9]) << 8;
    start = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12) throw Error("'" + origin + "': the .npy file ends inside its header; the file is truncated");
    header_len = static_cast<std::size_t>(bytes[8]) | static_cast<std::size_t>(bytes[9]) << 8 |
                 static_cast<std::size_t>(bytes[10]) << 16 | static_cast<std::size_t>(bytes[11]) << 24;
    start = 12;
  } else {
    throw Error("'" + origin + "': .npy format version " + std::to_string(major) + " is not 1, 2 or 3");
  }
  if (header_len > bytes.size() - start)
    throw Error("'" + origin + "': the .npy header claims " + std::to_string(header_len) + " bytes but the file has " +
                std::to_string(bytes.size() - start) + " after its preamble; the file is truncated");
  const std::string header(bytes.begin() + static_cast<std::ptrdiff_t>(start),
                           bytes.begin() + static_cast<std::ptrdiff_t>(start + header_len));
  const std::string descr = npy_header_value(header, "descr", origin);
  const std::string fortran = npy_header_value(header, "fortran_order", origin);
  const std::string shape = npy_header_value(header, "shape", origin);
  int item = 0;
  bool is_float = true;
  if (descr == "<f8") item = 8;
  else if (descr == "<f4") item = 4;
  else if (descr == "<i8") item = 8, is_float = false;
  else if (descr == "<i4") item = 4, is_float = false;
  else if (!descr.empty() && descr[0] == '>')
    throw Error("'" + origin + "': dtype '" + descr + "' is big-endian; save a little-endian array (arr.astype('<f8'))");
  else
    throw Error("'" + origin + "': dtype '" + descr + "' is not one of <f8, <f4, <i8, <i4; convert it with arr.astype('<f8')");
  if (fortran.find("False") == std::string::npos)
    throw Error("'" + origin + "': the array is in Fortran order; save a C-order array (numpy.ascontiguousarray)");
  // shape: "(N,)" or "(N, d)".
  std::vector<std::int64_t> dims;
  for (std::size_t i = 1; i < shape.size();) {
    while (i < shape.size() && (shape[i] == ' ' || shape[i] == ',')) ++i;
    if (i >= shape.size() || shape[i] == ')') break;
    std::int64_t v = 0;
    std::size_t digits = 0;
    while (i < shape.size() && shape[i] >= '0' && shape[i] <= '9' && digits < 13) v = v * 10 + (shape[i++] - '0'), ++digits;
    if (digits == 0 || (i < shape.size() && shape[i] >= '0' && shape[i] <= '9'))
      throw Error("'" + origin + "': the .npy shape '" + shape + "' is not a tuple of sizes below 10^13");
    dims.push_back(v);
  }
  if (dims.size() != 1 && dims.size() != 2)
    throw Error("'" + origin + "': the array has shape " + shape + "; expected (N,) or (N, d): one row per step");
  NpyArray a;
  a.rows = dims[0];
  a.two_d = dims.size() == 2;
  a.cols = a.two_d ? dims[1] : 1;
  const std::size_t data = bytes.size() - start - header_len;
  // Both sizes are below 10^13, so rows * cols * item does not overflow (checked against the file first).
  if (a.cols > 0 && static_cast<double>(a.rows) * static_cast<double>(a.cols) * item != static_cast<double>(data))
    throw Error("'" + origin + "': shape " + shape + " of " + descr + " needs " +
                std::to_string(static_cast<double>(a.rows) * static_cast<double>(a.cols) * item) + " bytes of data, the file has " +
                std::to_string(data) + (static_cast<double>(a.rows) * a.cols * item > static_cast<double>(data)
                                            ? "; the file is truncated" : "; there are bytes after the array"));
  const std::size_t n = static_cast<std::size_t>(a.rows) * static_cast<std::size_t>(a.cols);
  a.values.resize(n);
  const unsigned char* p = bytes.data() + start + header_len;
  for (std::size_t i = 0; i < n; ++i, p += item) {
    if (is_float && item == 8) { double v; std::memcpy(&v, p, 8); a.values[i] = v; }
    else if (is_float) { float v; std::memcpy(&v, p, 4); a.values[i] = static_cast<double>(v); }
    else if (item == 8) { std::int64_t v; std::memcpy(&v, p, 8); a.values[i] = static_cast<double>(v); }
    else { std::int32_t v; std::memcpy(&v, p, 4); a.values[i] = static_cast<double>(v); }
  }
  return a;
}

Demonstrations Demonstrations::import_npy(const std::string& prefix_or_path, const std::string& env, int expected_obs_dim,
                                          int expected_act_dim) {
  std::string prefix = prefix_or_path;
  const std::string suffix = "_observations.npy";
  if (prefix.size() > suffix.size() && prefix.compare(prefix.size() - suffix.size(), suffix.size(), suffix) == 0)
    prefix.resize(prefix.size() - suffix.size());
  if (env.empty()) throw Error("'" + prefix + "_*.npy': no env name given for the demonstrations; pass the env they were recorded in");
  auto read = [&](const std::string& name, bool required, NpyArray& out) {
    const std::string path = prefix + "_" + name + ".npy";
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      if (!required) return false;
      throw Error("cannot open '" + path + "' for reading: .npy demonstrations are " + prefix +
                  "_observations.npy, _actions.npy and _episode.npy (_rewards.npy and _costs.npy optional)");
    }
    const std::vector<unsigned char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    out = parse_npy(bytes, path);
    return true;
  };
  NpyArray obs, act, episode, rewards, costs;
  read("observations", true, obs);
  read("actions", true, act);
  read("episode", true, episode);
  const bool has_rewards = read("rewards", false, rewards), has_costs = read("costs", false, costs);
  const std::int64_t n = obs.rows;
  auto same_rows = [&](const NpyArray& a, const std::string& name) {
    if (a.rows != n)
      throw Error("'" + prefix + "_" + name + ".npy' has " + std::to_string(a.rows) + " rows, '" + prefix +
                  "_observations.npy' has " + std::to_string(n) + "; every file needs one row per step");
    if (name != "actions" && a.two_d && a.cols != 1)
      throw Error("'" + prefix + "_" + name + ".npy' has " + std::to_string(a.cols) + " columns; it holds one number per step: shape (N,)");
  };
  same_rows(act, "actions");
  same_rows(episode, "episode");
  if (has_rewards) same_rows(rewards, "rewards");
  if (has_costs) same_rows(costs, "costs");
  if (n < 1) throw Error("'" + prefix + "_observations.npy' has no rows; record at least one step");
  if (obs.cols < 1 || act.cols < 1) throw Error("'" + prefix + "_*.npy': observations and actions need at least one column");
  if (expected_obs_dim > 0 && obs.cols != expected_obs_dim)
    throw Error("'" + prefix + "_observations.npy' has " + std::to_string(obs.cols) + " columns, but env '" + env +
                "' observes " + std::to_string(expected_obs_dim) + " numbers per step; export the observation the env's step() returns, in its order");
  if (expected_act_dim > 0 && act.cols != expected_act_dim)
    throw Error("'" + prefix + "_actions.npy' has " + std::to_string(act.cols) + " columns, but env '" + env + "' takes " +
                std::to_string(expected_act_dim) + (expected_act_dim == 1 ? " (for a discrete env: the action index)" : "") +
                " per step");

  Demonstrations d;
  d.env = env;
  d.obs_dim = static_cast<int>(obs.cols);
  d.act_dim = static_cast<int>(act.cols);
  d.observations.resize(d.obs_dim, n);
  d.actions.resize(d.act_dim, n);
  d.rewards = Eigen::VectorXd::Zero(n);
  d.costs = Eigen::VectorXd::Zero(n);
  auto value = [&](const NpyArray& a, const std::string& name, std::int64_t row, std::int64_t col, bool as_float) {
    const double x = a.values[static_cast<std::size_t>(row * a.cols + col)];
    const std::string where = "'" + prefix + "_" + name + ".npy' row " + std::to_string(row) +
                              (a.cols > 1 ? " column " + std::to_string(col) : std::string());
    if (!std::isfinite(x))
      throw Error(where + ": " + format_number(x) + " is not a finite number; remove or repair the step (demonstrations must be finite)");
    return as_float ? stored_as_float32(x, where) : x;
  };
  EpisodeBlocks blocks;
  for (std::int64_t row = 0; row < n; ++row) {
    const double e = value(episode, "episode", row, 0, false);
    const std::string at = "'" + prefix + "_episode.npy' row " + std::to_string(row);
    if (e < 0 || e != std::floor(e) || e > 9.0e15)
      throw Error(at + ": episode id " + format_number(e) + " must be a whole number >= 0");
    blocks.add(static_cast<long long>(e), d.lengths, at);
    for (std::int64_t i = 0; i < obs.cols; ++i) d.observations(i, row) = value(obs, "observations", row, i, true);
    for (std::int64_t j = 0; j < act.cols; ++j) d.actions(j, row) = value(act, "actions", row, j, true);
    if (has_rewards) d.rewards(row) = value(rewards, "rewards", row, 0, false);
    if (has_costs) d.costs(row) = value(costs, "costs", row, 0, false);
  }
  d.check(prefix + "_*.npy");
  return d;
}

}  // namespace icrl
