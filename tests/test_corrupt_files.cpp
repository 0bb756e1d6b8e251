// tests/test_corrupt_files.cpp - a corpus of corrupted files for every file reader: demonstrations
// (.demos), policy files (PLCY, as `icrl eval` and as `icrl export` read them), learned
// constraints (CNST), checkpoints of a network, its Adam state and a normaliser (CKPT), and grid
// maps. Each corrupted file is made here from a valid one (the shipped grid-lake7.demos,
// lap-grid.expert.ckpt and lake7.map; the others from tests/sample_files.hpp): truncated at
// several points, bytes flipped at several positions, wrong magic, wrong kind, wrong version, a
// bad CRC, huge declared sizes (an entry of 2^40 values, 2^31 episodes, 2^31 entries), NaN and
// infinite payloads, and damage that only the reader behind the container can see. Every one
// must be refused with an icrl::Error whose message names the file and what is wrong, and nothing
// may crash: the debug CI configuration runs this under ASan + UBSan. Grid maps are text without
// magic, version or checksum; theirs are truncation, flipped characters, a binary file, huge
// numbers and NaN values. fuzz/ feeds the same readers random inputs.
#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>
#include <fstream>
#include <functional>
#include <limits>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "envs/grid_world.hpp"
#include "icrl/adam.hpp"
#include "icrl/checkpoint.hpp"
#include "icrl/constraint_net.hpp"
#include "icrl/crc32.hpp"
#include "icrl/demonstrations.hpp"
#include "icrl/export.hpp"
#include "icrl/policy.hpp"
#include "icrl/ppo_lagrangian.hpp"
#include "icrl/running_stats.hpp"
#include "sample_files.hpp"

namespace {

using Bytes = std::vector<unsigned char>;
using sample_files::Net;

const std::string kData = std::string(ICRL_SOURCE_DIR) + "/envs/data/";
std::string tmp(const std::string& name) { return std::string(ICRL_TEST_TMPDIR) + "/" + name; }
bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

Bytes read_bytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  REQUIRE(f.good());
  std::ostringstream ss;
  ss << f.rdbuf();
  const std::string s = ss.str();
  return Bytes(s.begin(), s.end());
}

void write_bytes(const std::string& path, const Bytes& b) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
  REQUIRE(f.good());
}

// The trailing CRC-32 recomputed, so that damage inside the file reaches the checks behind it.
Bytes fix_crc(Bytes b) {
  const std::uint32_t c = icrl::crc32(b.data(), b.size() - 4);
  std::memcpy(b.data() + b.size() - 4, &c, 4);
  return b;
}

// `value` written at `offset`, with a valid CRC.
template <typename T>
T read_at(const Bytes& b, std::size_t offset) {
  T value;
  std::memcpy(&value, b.data() + offset, sizeof(T));
  return value;
}

template <typename T>
Bytes with(Bytes b, std::size_t offset, T value) {
  REQUIRE(offset + sizeof(T) <= b.size() - 4);
  std::memcpy(b.data() + offset, &value, sizeof(T));
  return fix_crc(std::move(b));
}

// Where entry `name` of an icrl file sits (layout: icrl/checkpoint.hpp).
struct EntryAt {
  std::size_t dtype = 0, rows = 0, cols = 0, values = 0;  // byte offsets
};
EntryAt find_entry(const Bytes& b, const std::string& name) {
  const auto count = read_at<std::uint32_t>(b, 12);
  std::size_t pos = 16;
  for (std::uint32_t i = 0; i < count; ++i) {
    const auto len = read_at<std::uint16_t>(b, pos);
    EntryAt e;
    e.dtype = pos + 2 + len;
    e.rows = e.dtype + 4;
    e.cols = e.dtype + 8;
    e.values = e.dtype + 12;
    if (std::string(reinterpret_cast<const char*>(b.data()) + pos + 2, len) == name) return e;
    pos = e.values + std::size_t{read_at<std::uint32_t>(b, e.rows)} * read_at<std::uint32_t>(b, e.cols) *
                         icrl::dtype_size(static_cast<icrl::DType>(b[e.dtype]));
  }
  FAIL("no entry '" << name << "' in the test file");
  return {};
}

// One reader under test: `load` reads the file at a path and throws icrl::Error if it is bad.
struct Reader {
  std::string kind;                                // the 4 letters after "ICRL"
  std::string file;                                // file name in the test directory
  Bytes valid;                                     // a file it accepts
  std::function<void(const std::string&)> load;    // the reader, as the program calls it
  std::vector<std::string> float_entries;          // entries of floating-point values

  // The message of the icrl::Error that reading `bytes` throws; "" when it loads.
  std::string error(const Bytes& bytes) const {
    const std::string path = tmp(file);
    write_bytes(path, bytes);
    try {
      load(path);
    } catch (const icrl::Error& e) {
      return e.what();
    }
    return "";
  }
};

Reader demos_reader() {
  return {"DEMO", "corrupt.demos", read_bytes(kData + "grid-lake7.demos"),
          [](const std::string& p) { (void)icrl::Demonstrations::load(p, "grid:lake7"); },
          {"observations", "actions", "rewards", "costs"}};
}

Reader policy_reader() {
  return {"PLCY", "corrupt-policy.ckpt", read_bytes(kData + "lap-grid.expert.ckpt"),
          [](const std::string& p) {
            auto policy = std::make_unique<icrl::CategoricalPolicy<1, 2>>();
            icrl::ObsNormalizer<1> norm;
            icrl::load_policy_file(p, "lap-grid", *policy, norm);
          },
          {"policy.net.theta", "obs_norm.mean", "obs_norm.var", "obs_norm.count"}};
}

Reader constraint_reader() {
  return {"CNST", "corrupt.cnst", sample_files::lap_constraint(),
          [](const std::string& p) { (void)sample_files::LapZeta::load_file(p); }, {"zeta.theta", "clip"}};
}

// A network, its Adam state and an observation normaliser, loaded the way a program would.
Reader checkpoint_reader() {
  return {"CKPT", "corrupt.ckpt", sample_files::checkpoint(),
          [](const std::string& p) {
            const auto r = icrl::CheckpointReader::open(p, "CKPT");
            Net n;
            n.load(r, "net.");
            icrl::Adam<float, Net::kNumParams> a;
            a.load(r, "net.");
            icrl::ObsNormalizer<2> o;
            o.load(r, "norm.");
          },
          {"net.theta", "net.adam.m0", "net.adam.v0", "norm.mean", "norm.var", "norm.count"}};
}

// `icrl export` reads policy files generically: the network's shape from its architecture text.
Reader export_reader() {
  return {"PLCY", "corrupt-export.ckpt", read_bytes(kData + "lap-grid.expert.ckpt"),
          [](const std::string& p) {
            icrl::HeaderExport spec;
            spec.policy_path = p;
            (void)icrl::export_header_text(spec, "corrupt", "corrupt.hpp");
          },
          {"policy.net.theta", "obs_norm.mean", "obs_norm.var"}};
}

std::vector<Reader> binary_readers() {
  return {demos_reader(), policy_reader(), constraint_reader(), checkpoint_reader(), export_reader()};
}

// Checks that `bytes` is refused by r with a message naming the file and containing `what`.
void check_refused(const Reader& r, const Bytes& bytes, const std::string& what) {
  const std::string msg = r.error(bytes);
  CAPTURE(msg);
  CHECK(contains(msg, r.file));
  CHECK(contains(msg, what));
}

}  // namespace

TEST_CASE("corrupt files: every reader accepts the valid file the corruptions start from") {
  for (const Reader& r : binary_readers()) {
    CAPTURE(r.file);
    CHECK(r.error(r.valid).empty());
  }
}

TEST_CASE("corrupt files: truncated at several points") {
  for (const Reader& r : binary_readers()) {
    CAPTURE(r.file);
    const std::size_t n = r.valid.size();
    for (std::size_t cut : {std::size_t{0}, std::size_t{4}, std::size_t{8}, std::size_t{15}, std::size_t{19},
                            std::size_t{20}, std::size_t{33}, n / 3, n / 2, n - 5, n - 4, n - 1}) {
      CAPTURE(cut);
      check_refused(r, Bytes(r.valid.begin(), r.valid.begin() + static_cast<long>(cut)), "truncated");
    }
  }
}

TEST_CASE("corrupt files: one flipped byte at several positions") {
  for (const Reader& r : binary_readers()) {
    CAPTURE(r.file);
    const std::size_t n = r.valid.size();
    struct Flip {
      std::size_t pos;
      std::string what;
    };
    // Magic, kind, version, entry count, first entry's name, its shape, the middle, the CRC.
    for (const Flip& f : {Flip{0, "is not an icrl"}, Flip{5, "file, not a '" + r.kind + "' file"},
                          Flip{9, "has format version"}, Flip{13, "CRC-32"}, Flip{19, "CRC-32"}, Flip{30, "CRC-32"},
                          Flip{n / 2, "CRC-32"}, Flip{n - 6, "CRC-32"}, Flip{n - 1, "CRC-32"}}) {
      CAPTURE(f.pos);
      Bytes b = r.valid;
      b[f.pos] ^= 0xA5;
      check_refused(r, b, f.what);
    }
  }
}

TEST_CASE("corrupt files: wrong magic, another kind of file, wrong version, bad CRC") {
  const std::vector<Reader> readers = binary_readers();
  for (std::size_t i = 0; i < readers.size(); ++i) {
    const Reader& r = readers[i];
    CAPTURE(r.file);
    Bytes b = r.valid;
    std::memcpy(b.data(), "GIF89a\0\0", 8);
    check_refused(r, b, "is not an icrl " + r.kind + " file: it starts with 'GIF89a");
    // The next reader's valid file: the right magic, the wrong kind.
    const Reader& other = readers[(i + 1) % readers.size()];
    check_refused(r, other.valid, "holds an icrl '" + other.kind + "' file, not a '" + r.kind + "' file");
    check_refused(r, with<std::uint32_t>(r.valid, 8, 2), "has format version 2 but this build of icrl reads version 1");
    check_refused(r, with<std::uint32_t>(r.valid, 8, 0), "has format version 0");
    b = r.valid;
    b.back() ^= 0x01;
    check_refused(r, b, "stored CRC-32");
  }
}

TEST_CASE("corrupt files: huge declared sizes") {
  for (const Reader& r : binary_readers()) {
    CAPTURE(r.file);
    // 2^31 entries in a file of a few KB.
    check_refused(r, with<std::uint32_t>(r.valid, 12, 0x80000000u), "runs past the end of the file");
    for (const std::string& name : r.float_entries) {
      CAPTURE(name);
      const EntryAt e = find_entry(r.valid, name);
      // 2^20 x 2^20 = 2^40 values.
      Bytes b = with<std::uint32_t>(r.valid, e.rows, 1u << 20);
      check_refused(r, with<std::uint32_t>(b, e.cols, 1u << 20), "declares 1048576 x 1048576");
      // (2^32 - 1)^2 values: more bytes than 64 bits count.
      b = with<std::uint32_t>(r.valid, e.rows, 0xFFFFFFFFu);
      check_refused(r, with<std::uint32_t>(b, e.cols, 0xFFFFFFFFu), "'" + name + "' is too large");
    }
  }
}

TEST_CASE("corrupt files: NaN and infinite payloads are refused, naming the entry") {
  for (const Reader& r : binary_readers()) {
    CAPTURE(r.file);
    for (const std::string& name : r.float_entries) {
      CAPTURE(name);
      const EntryAt e = find_entry(r.valid, name);
      const bool f32 = r.valid[e.dtype] == static_cast<unsigned char>(icrl::DType::f32);
      const Bytes nan = f32 ? with(r.valid, e.values, std::numeric_limits<float>::quiet_NaN())
                            : with(r.valid, e.values, std::numeric_limits<double>::quiet_NaN());
      check_refused(r, nan, "entry '" + name + "' holds a non-finite value at index 0");
      const Bytes inf = f32 ? with(r.valid, e.values, -std::numeric_limits<float>::infinity())
                            : with(r.valid, e.values, std::numeric_limits<double>::infinity());
      check_refused(r, inf, "entry '" + name + "' holds a non-finite value");
    }
  }
}

TEST_CASE("corrupt files: a broken entry table") {
  for (const Reader& r : binary_readers()) {
    CAPTURE(r.file);
    const std::size_t first = 16;  // u16 name length of the first entry
    check_refused(r, with<std::uint16_t>(r.valid, first, 0), "entry #0 has an invalid name length");
    check_refused(r, with<std::uint8_t>(r.valid, first + 2, 0x07), "entry #0 has a non-printable name");
    const std::uint16_t len = r.valid[first];
    check_refused(r, with<std::uint8_t>(r.valid, first + 2 + len, 9), "has unknown dtype 9");
    icrl::CheckpointWriter twice(r.kind);
    twice.add_int("obs_dim", 1);
    twice.add_int("obs_dim", 2);
    check_refused(r, twice.bytes(), "entry 'obs_dim' appears twice");
    Bytes b = r.valid;
    b.insert(b.end() - 4, {0xDE, 0xAD});
    check_refused(r, fix_crc(b), "2 unexplained bytes after the last entry");
  }
}

TEST_CASE("corrupt files: demonstrations - 2^31 episodes, absurd lengths and dimensions, empty") {
  const Reader r = demos_reader();
  const EntryAt lengths = find_entry(r.valid, "lengths");
  check_refused(r, with<std::uint32_t>(r.valid, lengths.rows, 0x80000000u), "'lengths' declares 2147483648 x 1 i64");
  check_refused(r, with<std::int64_t>(r.valid, lengths.values, std::int64_t{1} << 40),
                "entry 'lengths': episode 0 has length 1099511627776");
  check_refused(r, with<std::int64_t>(r.valid, lengths.values, -3), "episode 0 has length -3");
  check_refused(r, with<std::int64_t>(r.valid, lengths.values + 8, 0), "episode 1 has length 0");
  check_refused(r, with<std::int64_t>(r.valid, find_entry(r.valid, "obs_dim").values, std::int64_t{1} << 40),
                "entry 'obs_dim' or 'act_dim' is out of range");
  check_refused(r, with<std::int64_t>(r.valid, find_entry(r.valid, "act_dim").values, 0), "out of range");
  // A count stored as a float: right size, wrong type.
  check_refused(r, with<std::uint8_t>(r.valid, find_entry(r.valid, "obs_dim").dtype, 2),
                "entry 'obs_dim' holds f64 values, expected i64");
  // One more episode step than the data has.
  const Bytes longer = with<std::int64_t>(r.valid, lengths.values, read_at<std::int64_t>(r.valid, lengths.values) + 1);
  check_refused(r, longer, "entry 'observations' has shape");

  // No episodes at all: an empty 'lengths' and empty data (an empty entry once made the reader
  // memcpy from a null pointer, which UBSan reports).
  icrl::CheckpointWriter w(icrl::kDemoFileKind);
  w.add_text("env", "grid:lake7");
  w.add_int("obs_dim", 2);
  w.add_int("act_dim", 1);
  w.add("lengths", Eigen::Matrix<std::int64_t, Eigen::Dynamic, 1>(0));
  w.add("observations", Eigen::MatrixXf(2, 0));
  w.add("actions", Eigen::MatrixXf(1, 0));
  w.add("rewards", Eigen::VectorXd(0));
  w.add("costs", Eigen::VectorXd(0));
  check_refused(r, w.bytes(), "there are no episodes (entry 'lengths' is empty)");
}

TEST_CASE("corrupt files: policy files - another env, a damaged normaliser") {
  const Reader r = policy_reader();
  // "lap-grid" -> "lap-grie": the right length, another env.
  const EntryAt env = find_entry(r.valid, "env");
  check_refused(r, with<char>(r.valid, env.values + 7, 'e'), "this policy was trained on env 'lap-grie', not 'lap-grid'");
  check_refused(r, with(r.valid, find_entry(r.valid, "obs_norm.var").values, -1.0), "entry 'obs_norm.var' or 'count' is negative");
  check_refused(r, with(r.valid, find_entry(r.valid, "obs_norm.count").values, 0.0), "is negative");
  const EntryAt arch = find_entry(r.valid, "policy.net.architecture");
  check_refused(r, with<char>(r.valid, arch.values + 21, '3'), "entry 'policy.net.architecture' is 'mlp tanh/identity 1 63 64 2'");
  // The same number of values in another shape.
  const EntryAt theta = find_entry(r.valid, "policy.net.theta");
  check_refused(r, with<std::uint32_t>(with<std::uint32_t>(r.valid, theta.rows, 2209), theta.cols, 2),
                "entry 'policy.net.theta' has shape [2209 x 2] but this build expects [4418 x 1]");
}

TEST_CASE("corrupt files: icrl export - an architecture whose parameter count overflows an int") {
  // 1 x 65536 x 65536 x 2: 4295294978 parameters, which once overflowed the int that counted them
  // (UBSan) before the size check could refuse the file.
  const Reader r = export_reader();
  icrl::CheckpointWriter w(icrl::kPolicyFileKind);
  w.add_text("env", "lap-grid");
  w.add_text("policy.net.architecture", "mlp tanh/identity 1 65536 65536 2");
  check_refused(r, w.bytes(), "'mlp tanh/identity 1 65536 65536 2' has 4295294978 parameters, more than any icrl network");
}

TEST_CASE("corrupt files: learned constraints - invalid inputs, an input the env lacks, an inverted clip range") {
  const Reader r = constraint_reader();
  const EntryAt features = find_entry(r.valid, "features");  // i64 [3, 2]: kind column, then index column
  const EntryAt clip = find_entry(r.valid, "clip");          // f64 [3, 2]: low column, then high column
  check_refused(r, with<std::int64_t>(r.valid, features.values, 7), "entry 'features' row 0 is not a valid input");
  check_refused(r, with<std::int64_t>(r.valid, features.values + 3 * 8, std::int64_t{1} << 40),
                "entry 'features' row 0 is not a valid input");
  // Observation 3 of a 1-dimensional observation.
  check_refused(r, with<std::int64_t>(r.valid, features.values + 3 * 8, 3), "input 0 (s3) does not exist in env 'lap-grid'");
  // The one-hot inputs read the action index: with no action dimension they would read past the
  // caller's action array.
  check_refused(r, with<std::int64_t>(r.valid, find_entry(r.valid, "act_dim").values, 0),
                "input 1 ([a=0]) does not exist in env 'lap-grid' (1 observation dims, 0 action dims)");
  check_refused(r, with<std::int64_t>(r.valid, find_entry(r.valid, "obs_dim").values, std::int64_t{1} << 40),
                "entry 'obs_dim'/'act_dim' out of range");
  check_refused(r, with(r.valid, clip.values, 30.0), "input 0 (s0) has the clip range [30.000000, 20.000000] with low above high");
  check_refused(r, with(r.valid, clip.values, std::numeric_limits<double>::quiet_NaN()), "entry 'clip' holds a non-finite value");
  const EntryAt arch = find_entry(r.valid, "zeta.architecture");
  check_refused(r, with<char>(r.valid, arch.values + 4, 't'), "entry 'zeta.architecture' is 'mlp telu/sigmoid 3 20 1'");
}

TEST_CASE("corrupt files: checkpoints - Adam's step count and moments, the normaliser") {
  const Reader r = checkpoint_reader();
  const EntryAt t = find_entry(r.valid, "net.adam.t");
  check_refused(r, with<std::int64_t>(r.valid, t.values, -1), "entry 'net.adam.t' is negative");
  check_refused(r, with(r.valid, find_entry(r.valid, "net.adam.v0").values + 4, -1.0f),
                "entry 'net.adam.v0' (Adam's second moments) holds a negative value");
  check_refused(r, with(r.valid, find_entry(r.valid, "norm.var").values + 8, -0.5), "entry 'norm.var' or 'count' is negative");
  check_refused(r, with<std::uint8_t>(r.valid, find_entry(r.valid, "norm.enabled").dtype, 2),
                "entry 'norm.enabled' holds f64 values, expected i64");

  // A step count of 2^62 is not an error, but rebuilding beta^t from it once took 2^62
  // multiplications: the load must return at once with the products a real run would have.
  const auto reader = icrl::CheckpointReader::parse(with<std::int64_t>(r.valid, t.values, std::int64_t{1} << 62), "CKPT", "t.ckpt");
  icrl::Adam<float, Net::kNumParams> adam;
  adam.load(reader, "net.");
  CHECK(adam.steps() == std::int64_t{1} << 62);
}

TEST_CASE("corrupt files: grid maps - truncated, flipped characters, a binary file, huge numbers, NaN values") {
  const std::string path = tmp("corrupt.map");
  const Bytes valid = read_bytes(kData + "maps/lake7.map");
  const std::string text(valid.begin(), valid.end());
  auto error = [&](const std::string& t) -> std::string {
    write_bytes(path, Bytes(t.begin(), t.end()));
    try {
      (void)icrl::envs::Grid::load(path);
    } catch (const icrl::Error& e) {
      return e.what();
    }
    return "";
  };
  auto refused = [&](const std::string& t, const std::string& what) {
    const std::string msg = error(t);
    CAPTURE(t);
    CAPTURE(msg);
    CHECK(contains(msg, path + ":"));
    CHECK(contains(msg, what));
  };
  CHECK(error(text).empty());

  const std::size_t map = text.find("map:\n");
  const std::size_t rows = map + 5;          // the first grid row
  const std::size_t row_len = text.find('\n', rows) - rows + 1;
  REQUIRE(map != std::string::npos);
  // Truncated: in the header, inside the word map:, right after it, inside a row, before the goal.
  refused(text.substr(0, 0), "no line `map:` found");
  refused(text.substr(0, text.find("max_steps") + 4), "expected a header line `key = value`");
  refused(text.substr(0, map + 2), "expected a header line `key = value` or the line `map:`");
  refused(text.substr(0, rows), "no grid rows after `map:`");
  refused(text.substr(0, rows + row_len + 3), "row of 3 cells, but the first row has 7");
  refused(text.substr(0, rows + 3 * row_len), "the grid has no start cell");
  // Flipped characters: in a key, in a value, in the grid, a control byte, a byte above 127.
  std::string t = text;
  t[text.find("actions =")] ^= 0x20;
  refused(t, "unknown header key 'Actions'");
  t = text;
  t[text.find("max_steps = 50") + 12] = 'x';
  refused(t, "max_steps = 'x0' is not accepted");
  t = text;
  t[rows + row_len + 2] = '?';
  refused(t, "unknown map character '?'");
  t = text;
  t[rows + 1] = '\x01';
  refused(t, "unknown map character code 1");
  t = text;
  t[rows + 1] = '\xFF';
  refused(t, "unknown map character code 255");
  // Not a map at all: a demonstrations file.
  const Bytes demos = read_bytes(kData + "grid-lake7.demos");
  refused(std::string(demos.begin(), demos.end()), ":1:1: grid map: expected a header line");
  // Huge numbers and sizes.
  auto replace = [&](const std::string& from, const std::string& to) {
    std::string s = text;
    REQUIRE(s.find(from) != std::string::npos);
    return s.replace(s.find(from), from.size(), to);
  };
  refused(replace("max_steps = 50", "max_steps = 2147483648"), "max_steps = '2147483648' is not accepted");
  refused(replace("actions = 4", "actions = 4294967300"), "actions = '4294967300' is not accepted; use 4 or 8");
  refused(replace("goal_reward = 10", "goal_reward = 1e999"), "goal_reward = '1e999' is not a finite number");
  std::string wide = text;
  wide.insert(rows, std::string(40, '.'));
  refused(wide, "row of 47 cells; maps are at most 32 x 32 cells");
  std::string tall = text;
  for (int k = 0; k < 30; ++k) tall.insert(rows, text.substr(rows, row_len));
  refused(tall, "the grid has more than 32 rows");
  // NaN and infinite values.
  refused(replace("goal_reward = 10", "goal_reward = nan"), "goal_reward = 'nan' is not a finite number");
  refused(replace("step_reward = -0.1", "step_reward = -inf"), "step_reward = '-inf' is not a finite number");
}
