// fuzz/seeds.cpp - writes the seed corpus of every fuzz target: small valid inputs made from the
// shipped data (envs/data) with the library's own writers, one directory per target:
//   demos       the first episodes of lap-grid.demos and point-circle.demos, cut to 6 steps each
//   demos_csv   the same two as CSV (export_csv)
//   demos_npy   the same two as .npy files (export_npy: float64 arrays and int64 episode ids)
//   policy      lap-grid.expert.ckpt and point-circle.expert.ckpt, loaded and saved again
//   constraint  freshly initialised constraints of both fuzzed shapes, and a tabular one
//   checkpoint  a "CKPT" with a network, its Adam state and a normaliser, and the files above
//               (this "CKPT" and the lap-grid constraint are tests/sample_files.hpp's, where the
//               corrupted-file tests start from too)
//   export      the lap-grid and point-circle policies and the lap-grid constraint above
//   grid_map    the shipped maps (envs/data/maps), as they are
//   args        command lines, one argument per line, with every --set key
// Built and run by fuzz/meson.build (not instrumented); usage: fuzz_seeds OUT_DIR STAMP_FILE.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "cli/ppo_settings.hpp"
#include "envs/point_circle.hpp"
#include "icrl/checkpoint.hpp"
#include "icrl/constraint_net.hpp"
#include "icrl/demonstrations.hpp"
#include "icrl/policy.hpp"
#include "icrl/ppo_lagrangian.hpp"
#include "icrl/tabular_icrl.hpp"
#include "icrl/running_stats.hpp"
#include "tests/sample_files.hpp"

namespace {

namespace fs = std::filesystem;
using Bytes = std::vector<unsigned char>;
const std::string kData = std::string(ICRL_SOURCE_DIR) + "/envs/data/";

Bytes read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw icrl::Error("fuzz_seeds: cannot read '" + path + "'");
  std::ostringstream ss;
  ss << f.rdbuf();
  const std::string s = ss.str();
  return Bytes(s.begin(), s.end());
}

void write_text(const std::string& path, const std::string& text) {
  icrl::write_file_atomic(path, Bytes(text.begin(), text.end()));
}

// The first two episodes of a shipped demonstration file, each cut to at most 6 steps.
void small_demos(const std::string& file, const std::string& out) {
  const icrl::Demonstrations all = icrl::Demonstrations::load(kData + file);
  icrl::Demonstrations d;
  d.env = all.env;
  d.obs_dim = all.obs_dim;
  d.act_dim = all.act_dim;
  std::vector<std::int64_t> cols;
  for (int k = 0; k < 2 && k < all.episodes(); ++k) {
    const std::int64_t n = std::min<std::int64_t>(all.lengths[static_cast<std::size_t>(k)], 6);
    d.lengths.push_back(n);
    for (std::int64_t t = 0; t < n; ++t) cols.push_back(all.offset(k) + t);
  }
  const auto n = static_cast<Eigen::Index>(cols.size());
  d.observations.resize(d.obs_dim, n);
  d.actions.resize(d.act_dim, n);
  d.rewards.resize(n);
  d.costs.resize(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    const auto c = static_cast<Eigen::Index>(cols[static_cast<std::size_t>(i)]);
    d.observations.col(i) = all.observations.col(c);
    d.actions.col(i) = all.actions.col(c);
    d.rewards(i) = all.rewards(c);
    d.costs(i) = all.costs(c);
  }
  d.save(out);
}

template <class Policy, int O>
void resave_policy(const std::string& file, const std::string& env, const std::string& out) {
  auto policy = std::make_unique<Policy>();
  icrl::ObsNormalizer<O> norm;
  icrl::load_policy_file(kData + file, env, *policy, norm);
  icrl::save_policy_file(out, env, *policy, norm);
}

void constraints(const std::string& dir) {
  icrl::write_file_atomic(dir + "/lap-grid.cnst", sample_files::lap_constraint());
  icrl::TabularConstraint table;
  table.task = "lap-grid";
  table.method = "icrl";
  table.num_keys = 80;
  for (int k = 0; k < 80; ++k) table.logit(k) = k % 2 == 0 ? 3.0 : -4.0;
  table.save(dir + "/lap-grid.tcst");
  auto x_only = std::make_unique<icrl::ConstraintNet<1, 40, 40>>();
  x_only->configure({icrl::ConstraintFeature::obs(0)}, icrl::envs::PointCircleConstrained::kObsDim,
                    icrl::envs::PointCircleConstrained::kActDim, "point-circle");
  x_only->method = "bc";
  icrl::Rng rng(1u, 0u);
  x_only->init(rng);
  x_only->save(dir + "/x-only.cnst");
}

// out/<file> copied into out/<dir>/.
void copy_into(const std::string& out, const std::string& file, const std::string& dir) {
  fs::copy_file(out + "/" + file, out + "/" + dir + "/" + fs::path(file).filename().string(),
                fs::copy_options::overwrite_existing);
}

void args(const std::string& dir) {
  write_text(dir + "/train.args",
             "--env\nlap-grid\n--seed\n3\n--steps=5000\n--cost-limit\n0.01\n--quiet\n--set\nlr=0.001\n");
  std::string all;
  const icrl::PpoConfig defaults;
  for (const auto& s : icrl::cli::ppo_settings()) all += "--set\n" + s.key + "=" + s.get(defaults) + "\n";
  write_text(dir + "/every-setting.args", all);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: fuzz_seeds OUT_DIR STAMP_FILE\n");
    return 2;
  }
  try {
    const std::string out = argv[1];
    for (const char* target : {"checkpoint", "demos", "demos_csv", "demos_npy", "policy", "constraint", "export", "grid_map", "args"})
      fs::create_directories(out + "/" + target);
    small_demos("lap-grid.demos", out + "/demos/lap-grid.demos");
    small_demos("point-circle.demos", out + "/demos/point-circle.demos");
    for (const char* env : {"lap-grid", "point-circle"})
      icrl::Demonstrations::load(out + "/demos/" + env + ".demos").export_csv(out + "/demos_csv/" + env + ".csv");
    for (const char* env : {"lap-grid", "point-circle"})
      icrl::Demonstrations::load(out + "/demos/" + env + ".demos").export_npy(out + "/demos_npy/" + env);
    resave_policy<icrl::CategoricalPolicy<1, 2>, 1>("lap-grid.expert.ckpt", "lap-grid", out + "/policy/lap-grid.ckpt");
    resave_policy<icrl::GaussianPolicy<4, 2>, 4>("point-circle.expert.ckpt", "point-circle",
                                                 out + "/policy/point-circle.ckpt");
    constraints(out + "/constraint");
    icrl::write_file_atomic(out + "/checkpoint/net-adam-norm.ckpt", sample_files::checkpoint());
    // The container target reads every kind; export reads policies and constraints.
    for (const char* file : {"demos/lap-grid.demos", "constraint/lap-grid.cnst"}) copy_into(out, file, "checkpoint");
    for (const char* file : {"policy/lap-grid.ckpt", "policy/point-circle.ckpt", "constraint/lap-grid.cnst"})
      copy_into(out, file, "export");
    for (const char* map : {"lake7.map", "rooms8.map"})
      icrl::write_file_atomic(out + "/grid_map/" + map, read_file(kData + "maps/" + map));
    args(out + "/args");
    write_text(argv[2], "seeds written to " + out + "\n");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fuzz_seeds: %s\n", e.what());
    return 1;
  }
  return 0;
}
