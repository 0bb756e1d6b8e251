// tests/test_demos.cpp - demonstration files (icrl/demonstrations.hpp) and recording them
// (icrl/rollout.hpp): round trip bit for bit, every malformed case refused with the file and
// the entry named, recording in the true env (a violation ends the episode), the CSV and .npy
// exports, and the CSV import (lossless round trip; malformed files refused).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "envs/grid_world.hpp"
#include "envs/lap_grid.hpp"
#include "envs/pendulum.hpp"
#include "envs/point_circle.hpp"
#include "icrl/checkpoint.hpp"
#include "icrl/demonstrations.hpp"
#include "icrl/policy.hpp"
#include "icrl/ppo_lagrangian.hpp"
#include "icrl/rollout.hpp"

#ifndef ICRL_TEST_TMPDIR
#define ICRL_TEST_TMPDIR "."
#endif

namespace {

std::string tmp(const std::string& name) { return std::string(ICRL_TEST_TMPDIR) + "/" + name; }

// Two sets of demonstrations hold the same episodes, bit for bit.
void check_same(const icrl::Demonstrations& a, const icrl::Demonstrations& b) {
  CHECK(a.lengths == b.lengths);
  CHECK(a.observations == b.observations);
  CHECK(a.actions == b.actions);
  CHECK(a.rewards == b.rewards);
  CHECK(a.costs == b.costs);
}

std::string read_all(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// Two episodes of lengths 3 and 2 in a made-up env with 2-D observations and 1-D actions.
icrl::Demonstrations small() {
  icrl::Demonstrations d;
  d.env = "toy";
  d.obs_dim = 2;
  d.act_dim = 1;
  d.lengths = {3, 2};
  d.observations.resize(2, 5);
  d.observations << 0, 1, 2, 3, 4, 0.5, 1.5, 2.5, 3.5, 4.5;
  d.actions.resize(1, 5);
  d.actions << -1, 0, 1, 0.25, -0.25;
  d.rewards.resize(5);
  d.rewards << 1, 2, 3, 10, 20;
  d.costs.resize(5);
  d.costs << 0, 0, 1, 0, 0;
  return d;
}

TEST_CASE("demonstrations: save and load round trip bit for bit; summaries by hand") {
  const icrl::Demonstrations d = small();
  CHECK(d.episodes() == 2);
  CHECK(d.steps() == 5);
  CHECK(d.offset(1) == 3);
  CHECK(d.episode_return(0) == 6.0);
  CHECK(d.episode_return(1) == 30.0);
  CHECK(d.mean_return() == 18.0);
  CHECK(d.violations() == 1);
  CHECK(d.episode_violations(0) == 1);
  CHECK(d.episode_violations(1) == 0);
  const std::string path = tmp("small.demos");
  d.save(path);
  CHECK(read_all(path).rfind("ICRLDEMO", 0) == 0);
  const icrl::Demonstrations e = icrl::Demonstrations::load(path, "toy");
  CHECK(e.env == "toy");
  check_same(e, d);
  CHECK(e.info_json() ==
        "{\"env\": \"toy\", \"episodes\": 2, \"steps\": 5, \"obs_dim\": 2, \"act_dim\": 1, \"mean_return\": 18, "
        "\"min_return\": 6, \"max_return\": 30, \"violations\": 1, \"episodes_with_violation\": 1, "
        "\"mean_length\": 2.5}");
}

TEST_CASE("demonstrations: feasible_episodes keeps the episodes without a violation") {
  const icrl::Demonstrations d = small();  // episode 0 violates at its last step, episode 1 does not
  const icrl::Demonstrations f = d.feasible_episodes(1);
  REQUIRE(f.episodes() == 1);
  CHECK(f.lengths[0] == 2);
  CHECK(f.rewards(0) == 10.0);
  CHECK(f.observations(1, 1) == 4.5);
  CHECK(f.violations() == 0);
  CHECK_THROWS_WITH_AS(d.feasible_episodes(2), doctest::Contains("only 1 of 2 recorded episodes"), icrl::Error);
}

TEST_CASE("demonstrations: malformed files and shapes are refused, naming the file and the entry") {
  const std::string path = tmp("bad.demos");
  icrl::Demonstrations d = small();
  d.save(path);
  CHECK_THROWS_WITH_AS(icrl::Demonstrations::load(path, "cheetah"),
                       doctest::Contains("recorded in env 'toy', not 'cheetah'"), icrl::Error);

  // Inconsistent shapes are refused on save (nothing is written) ...
  d.lengths = {3, 3};
  CHECK_THROWS_WITH_AS(d.save(tmp("never.demos")), doctest::Contains("entry 'observations' is [2, 5], expected [2, 6]"),
                       icrl::Error);
  CHECK(!std::ifstream(tmp("never.demos")).good());

  // ... and on load, for a file written by hand with the wrong shapes.
  icrl::CheckpointWriter w(icrl::kDemoFileKind);
  w.add_text("env", "toy");
  w.add_int("obs_dim", 2);
  w.add_int("act_dim", 1);
  Eigen::Matrix<std::int64_t, 2, 1> len(3, 2);
  w.add("lengths", len);
  w.add("observations", Eigen::MatrixXd::Zero(2, 4));  // 4 columns, lengths say 5
  w.add("actions", Eigen::MatrixXd::Zero(1, 5));
  w.add("rewards", Eigen::VectorXd::Zero(5));
  w.add("costs", Eigen::VectorXd::Zero(5));
  w.save(path);
  CHECK_THROWS_WITH_AS(icrl::Demonstrations::load(path), doctest::Contains("observations"), icrl::Error);

  // A zero-length episode.
  icrl::CheckpointWriter z(icrl::kDemoFileKind);
  z.add_text("env", "toy");
  z.add_int("obs_dim", 2);
  z.add_int("act_dim", 1);
  Eigen::Matrix<std::int64_t, 2, 1> len0(5, 0);
  z.add("lengths", len0);
  z.add("observations", Eigen::MatrixXd::Zero(2, 5));
  z.add("actions", Eigen::MatrixXd::Zero(1, 5));
  z.add("rewards", Eigen::VectorXd::Zero(5));
  z.add("costs", Eigen::VectorXd::Zero(5));
  z.save(path);
  CHECK_THROWS_WITH_AS(icrl::Demonstrations::load(path), doctest::Contains("episode 1 has length 0"), icrl::Error);

  // A policy file is not a demonstration file; a flipped byte fails the checksum.
  small().save(path);
  std::string bytes = read_all(path);
  bytes[bytes.size() / 2] ^= 0x10;
  std::ofstream(path, std::ios::binary) << bytes;
  CHECK_THROWS_WITH_AS(icrl::Demonstrations::load(path), doctest::Contains(path.c_str()), icrl::Error);
}

TEST_CASE("record_demonstrations: episodes in the true env end at the first violation") {
  // Bang-bang u = 10 sign(thdot), clipped to +-2 by the env, spins the pendulum past 6 rad/s
  // (envs/pendulum.hpp): the net computes 10 tanh(5 tanh(5 thdot)).
  using P = icrl::GaussianPolicy<3, 1>;
  auto policy = std::make_unique<P>();
  policy->net.theta.setZero();
  policy->net.W<0>()(0, 2) = 5.0f;
  policy->net.W<1>()(0, 0) = 5.0f;
  policy->net.W<2>()(0, 0) = 10.0f;
  icrl::ObsNormalizer<3> norm;
  icrl::envs::PendulumConstrained::Config enforced;
  enforced.terminate_on_violation = true;
  const icrl::envs::PendulumConstrained true_env(enforced);
  const icrl::Demonstrations d = icrl::record_demonstrations(*policy, norm, true_env, 4, 7, true);
  CHECK(d.env == std::string("pendulum-constrained"));
  CHECK(d.obs_dim == 3);
  CHECK(d.act_dim == 1);
  REQUIRE(d.episodes() == 4);
  for (int k = 0; k < 4; ++k) {
    CHECK(d.lengths[static_cast<std::size_t>(k)] < 200);  // cut by the violation, not the time limit
    CHECK(d.episode_violations(k) == 1);
    const std::int64_t last = d.offset(k) + d.lengths[static_cast<std::size_t>(k)] - 1;
    CHECK(d.costs(last) == 1.0);
    CHECK(d.rewards(last) == 0.0);  // SPEC 6: the violating step pays 0
  }
  CHECK((d.actions.array().abs() == 2.0).all());  // the applied (clipped) torque
  // The same seed records the same episodes.
  const icrl::Demonstrations again = icrl::record_demonstrations(*policy, norm, true_env, 4, 7, true);
  CHECK(again.observations == d.observations);
}

TEST_CASE("exports: CSV rows per step; .npy headers NumPy can read") {
  const icrl::Demonstrations d = small();
  d.export_csv(tmp("small.csv"));
  const std::string csv = read_all(tmp("small.csv"));
  CHECK(csv.rfind("episode,t,obs_0,obs_1,act_0,reward,cost\n0,0,0,0.5,-1,1,0\n", 0) == 0);
  CHECK(csv.find("\n1,1,4,4.5,-0.25,20,0\n") != std::string::npos);

  d.export_npy(tmp("small"));
  const std::string npy = read_all(tmp("small_observations.npy"));
  REQUIRE(npy.size() > 10);
  CHECK(std::memcmp(npy.data(), "\x93NUMPY\x01\x00", 8) == 0);
  const std::size_t header_len = static_cast<unsigned char>(npy[8]) | (static_cast<unsigned char>(npy[9]) << 8);
  CHECK((10 + header_len) % 64 == 0);
  const std::string header = npy.substr(10, header_len);
  CHECK(header.find("'descr': '<f8', 'fortran_order': False, 'shape': (5, 2)") != std::string::npos);
  CHECK(header.back() == '\n');
  CHECK(npy.size() == 10 + header_len + 5 * 2 * sizeof(double));
  double row1[2];
  std::memcpy(row1, npy.data() + 10 + header_len + 2 * sizeof(double), sizeof row1);  // row 1 = step 1
  CHECK(row1[0] == 1.0);
  CHECK(row1[1] == 1.5);
  const std::string ep = read_all(tmp("small_episode.npy"));
  CHECK(ep.find("'descr': '<i8', 'fortran_order': False, 'shape': (5,)") != std::string::npos);
}

TEST_CASE("CSV import: CSV -> .demos -> CSV is lossless; shipped demonstrations survive the round trip") {
  // A set with values a CSV writer would round: the observations and actions as float32 (the
  // .demos file's precision), rewards and costs as any double.
  icrl::Demonstrations d = small();
  d.observations(0, 1) = static_cast<double>(0.1f);
  d.actions(0, 2) = static_cast<double>(-1.0f / 3.0f);
  d.rewards(3) = 1.0 / 3.0;
  d.export_csv(tmp("round.csv"));
  const icrl::Demonstrations in = icrl::Demonstrations::import_csv(tmp("round.csv"), "toy", 2, 1);
  CHECK(in.env == "toy");
  check_same(in, d);
  in.save(tmp("round.demos"));
  icrl::Demonstrations::load(tmp("round.demos"), "toy").export_csv(tmp("round2.csv"));
  CHECK(read_all(tmp("round2.csv")) == read_all(tmp("round.csv")));

#ifdef ICRL_SOURCE_DIR
  // A shipped file: .demos -> CSV -> .demos gives the same episodes, bit for bit.
  const icrl::Demonstrations pc = icrl::Demonstrations::load(std::string(ICRL_SOURCE_DIR) + "/envs/data/point-circle.demos");
  pc.export_csv(tmp("pc.csv"));
  const icrl::Demonstrations back = icrl::Demonstrations::import_csv(tmp("pc.csv"), pc.env, pc.obs_dim, pc.act_dim);
  check_same(back, pc);
#endif

  // Written by hand: spaces, CRLF line ends, any episode ids, no reward or cost columns.
  const icrl::Demonstrations h = icrl::Demonstrations::parse_csv(
      "episode, t, obs_0, act_0\r\n7,0,1.5,1\r\n7,1,2.5,0\r\n3,0,-1,1\r\n\r\n", "log.csv", "lap-grid", 1, 1);
  CHECK(h.lengths == std::vector<std::int64_t>{2, 1});
  CHECK(h.observations(0, 2) == -1.0);
  CHECK(h.rewards.isZero());
  CHECK(h.costs.isZero());
}

TEST_CASE("CSV import: malformed files are refused, naming the file, the line, the column and the fix") {
  auto refuse = [](const std::string& text, const char* message, int obs = 0, int act = 0) {
    CAPTURE(text);
    CHECK_THROWS_WITH_AS(icrl::Demonstrations::parse_csv(text, "demo.csv", "toy", obs, act),
                         doctest::Contains(message), icrl::Error);
    CHECK_THROWS_WITH_AS(icrl::Demonstrations::parse_csv(text, "demo.csv", "toy", obs, act),
                         doctest::Contains("'demo.csv'"), icrl::Error);
  };
  const std::string h = "episode,t,obs_0,obs_1,act_0,reward,cost\n";
  refuse("", "the file is empty");
  refuse(h, "no rows follow");
  refuse("ep,t,obs_0,act_0\n0,0,1,1\n", "line 1: the header must start with episode,t,obs_0");
  refuse("episode,t,obs_0,obs_2,act_0\n0,0,1,1,1\n", "column 4 is 'obs_2', expected obs_1 or act_0");
  refuse("episode,t,obs_0,act_0,cost,reward\n0,0,1,1,0,0\n", "column 6 is 'reward'");
  refuse(h + "0,0,1,2,0.5,1\n", "line 2: 6 fields, the header has 7");                 // ragged row
  refuse(h + "0,0,1,2,0.5,1,0\n0,1,1,nan,0.5,1,0\n", "line 3: column 'obs_1': 'nan' is not a finite number");
  refuse(h + "0,0,1,2,0.5,1,0\n0,1,1,inf,0.5,1,0\n", "column 'obs_1': 'inf' is not a finite number");
  refuse(h + "0,0,1,2,abc,1,0\n", "column 'act_0': 'abc' is not a number");
  refuse(h + "0,0,1,2,,1,0\n", "column 'act_0': '' is not a number");
  refuse(h + "0,0,1,1e39,0,1,0\n", "beyond float32's range");
  refuse(h + "0,1,1,2,0.5,1,0\n", "episode 0 starts at t = 1");
  refuse(h + "0,0,1,2,0.5,1,0\n0,2,1,2,0.5,1,0\n", "episode 0 goes from t = 0 to t = 2");
  refuse(h + "0,0,1,2,0.5,1,0\n1,0,1,2,0.5,1,0\n0,1,1,2,0.5,1,0\n", "line 4: episode 0 appears again");
  refuse(h + "-1,0,1,2,0.5,1,0\n", "column 'episode': '-1' must be a whole number >= 0");
  refuse(h + "0,0.5,1,2,0.5,1,0\n", "column 't': '0.5' must be a whole number >= 0");
  refuse(h + "0,0,1,2,0.5,1,0\n", "2 observation columns (obs_0..obs_1), but env 'toy' observes 3", 3, 1);
  refuse(h + "0,0,1,2,0.5,1,0\n", "1 action columns (act_0..act_0), but env 'toy' takes 2", 2, 2);
  CHECK_THROWS_WITH_AS(icrl::Demonstrations::import_csv(tmp("does-not-exist.csv"), "toy"),
                       doctest::Contains("does-not-exist.csv"), icrl::Error);
}

#ifdef ICRL_SOURCE_DIR
namespace {

// A .npy file written byte by byte as numpy.save would (format 1.0), for the import tests.
std::vector<unsigned char> npy_bytes(const std::string& descr, const std::string& shape, const void* data,
                                     std::size_t bytes, int version = 1) {
  std::string header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
  const std::size_t pre = version == 1 ? 10 : 12;
  header.append((64 - (pre + header.size() + 1) % 64) % 64, ' ');
  header += '\n';
  std::vector<unsigned char> out = {0x93, 'N', 'U', 'M', 'P', 'Y', static_cast<unsigned char>(version), 0};
  out.push_back(static_cast<unsigned char>(header.size() & 0xff));
  out.push_back(static_cast<unsigned char>(header.size() >> 8));
  if (version != 1) out.push_back(0), out.push_back(0);
  out.insert(out.end(), header.begin(), header.end());
  const auto* p = static_cast<const unsigned char*>(data);
  out.insert(out.end(), p, p + bytes);
  return out;
}

void write_bytes(const std::string& path, const std::vector<unsigned char>& b) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
}

}  // namespace

TEST_CASE(".npy import: export_npy -> import_npy is lossless; numpy.save's float32 and int32 read") {
  icrl::Demonstrations d = small();
  d.observations(0, 1) = static_cast<double>(0.1f);
  d.rewards(3) = 1.0 / 3.0;
  d.export_npy(tmp("round"));
  for (const std::string& name : {tmp("round"), tmp("round") + "_observations.npy"}) {
    const icrl::Demonstrations in = icrl::Demonstrations::import_npy(name, "toy", 2, 1);
    CHECK(in.env == "toy");
    check_same(in, d);
  }
#ifdef ICRL_SOURCE_DIR
  const icrl::Demonstrations pc = icrl::Demonstrations::load(std::string(ICRL_SOURCE_DIR) + "/envs/data/point-circle.demos");
  pc.export_npy(tmp("pc"));
  const icrl::Demonstrations back = icrl::Demonstrations::import_npy(tmp("pc"), pc.env, pc.obs_dim, pc.act_dim);
  check_same(back, pc);
#endif
  // By hand: float32 observations [3] (1-D: one column), int32 actions and episode ids 7, 7, 3,
  // format 2.0 for one file, no rewards or costs.
  const float obs[3] = {1.5f, 2.5f, -1.0f};
  const std::int32_t act[3] = {1, 0, 1}, ep[3] = {7, 7, 3};
  write_bytes(tmp("hand_observations.npy"), npy_bytes("<f4", "(3,)", obs, sizeof obs, 2));
  write_bytes(tmp("hand_actions.npy"), npy_bytes("<i4", "(3, 1)", act, sizeof act));
  write_bytes(tmp("hand_episode.npy"), npy_bytes("<i4", "(3,)", ep, sizeof ep));
  const icrl::Demonstrations h = icrl::Demonstrations::import_npy(tmp("hand"), "lap-grid", 1, 1);
  CHECK(h.lengths == std::vector<std::int64_t>{2, 1});
  CHECK(h.observations(0, 2) == -1.0);
  CHECK(h.actions(0, 0) == 1.0);
  CHECK(h.rewards.isZero());
  CHECK(h.costs.isZero());
}

TEST_CASE(".npy import: malformed files are refused, naming the file, the row and the fix") {
  const double obs[4] = {1, 2, 3, 4}, act[2] = {0.5, -0.5};
  const std::int64_t ep[2] = {0, 0};
  // Writes two valid steps, then replaces the file `file` (if any) with `bytes`.
  auto refuse = [&](const std::string& file, const std::vector<unsigned char>& bytes, const char* message, int obs_dim = 0) {
    write_bytes(tmp("bad_observations.npy"), npy_bytes("<f8", "(2, 2)", obs, sizeof obs));
    write_bytes(tmp("bad_actions.npy"), npy_bytes("<f8", "(2, 1)", act, sizeof act));
    write_bytes(tmp("bad_episode.npy"), npy_bytes("<i8", "(2,)", ep, sizeof ep));
    std::remove(tmp("bad_rewards.npy").c_str());
    if (!file.empty()) write_bytes(tmp("bad_" + file + ".npy"), bytes);
    CAPTURE(message);
    CHECK_THROWS_WITH_AS(icrl::Demonstrations::import_npy(tmp("bad"), "toy", obs_dim), doctest::Contains(message), icrl::Error);
  };
  refuse("", {}, "observes 3 numbers per step", 3);  // the valid files, for an env of another size
  const double nan_obs[4] = {1, NAN, 3, 4}, big[4] = {1, 2, 1e39, 4}, split_obs[6] = {1, 2, 3, 4, 5, 6};
  const std::int64_t neg[2] = {0, -1}, split[3] = {0, 1, 0};
  const double half[2] = {0, 0.5};
  refuse("observations", {'n', 'o', 't'}, "bad_observations.npy': not a NumPy .npy file");
  refuse("observations", npy_bytes(">f8", "(2, 2)", obs, sizeof obs), "is big-endian");
  refuse("observations", npy_bytes("<c16", "(2, 1)", obs, sizeof obs), "dtype '<c16' is not one of");
  refuse("observations", npy_bytes("<f8", "(2, 2)", obs, sizeof obs - 8), "the file is truncated");
  refuse("observations", npy_bytes("<f8", "(2, 2, 1)", obs, sizeof obs), "expected (N,) or (N, d)");
  refuse("observations", npy_bytes("<f8", "(2, 2)", nan_obs, sizeof nan_obs), "bad_observations.npy' row 0 column 1: nan is not a finite number");
  refuse("observations", npy_bytes("<f8", "(2, 2)", big, sizeof big), "row 1 column 0 is beyond float32's range");
  refuse("observations", npy_bytes("<f8", "(3, 2)", split_obs, sizeof split_obs), "has 2 rows, '");
  refuse("episode", npy_bytes("<i8", "(2,)", neg, sizeof neg), "bad_episode.npy' row 1: episode id -1 must be a whole number >= 0");
  refuse("episode", npy_bytes("<f8", "(2,)", half, sizeof half), "episode id 0.5 must be a whole number");
  refuse("rewards", npy_bytes("<f8", "(2, 2)", obs, sizeof obs), "bad_rewards.npy' has 2 columns");
  std::vector<unsigned char> fortran = npy_bytes("<f8", "(2, 2)", obs, sizeof obs);
  const std::string key = "'fortran_order': False";
  auto at = std::search(fortran.begin(), fortran.end(), key.begin(), key.end());
  const std::string fortran_key = "'fortran_order': True ";  // same length as the key it replaces
  std::copy(fortran_key.begin(), fortran_key.end(), at);
  refuse("observations", fortran, "Fortran order");
  // A split episode: ids 0, 1, 0.
  const double obs3[6] = {1, 2, 3, 4, 5, 6}, act3[3] = {0, 0, 0};
  write_bytes(tmp("split_observations.npy"), npy_bytes("<f8", "(3, 2)", obs3, sizeof obs3));
  write_bytes(tmp("split_actions.npy"), npy_bytes("<f8", "(3,)", act3, sizeof act3));
  write_bytes(tmp("split_episode.npy"), npy_bytes("<i8", "(3,)", split, sizeof split));
  CHECK_THROWS_WITH_AS(icrl::Demonstrations::import_npy(tmp("split"), "toy"),
                       doctest::Contains("split_episode.npy' row 2: episode 0 appears again"), icrl::Error);
  CHECK_THROWS_WITH_AS(icrl::Demonstrations::import_npy(tmp("missing"), "toy"),
                       doctest::Contains("missing_observations.npy' for reading"), icrl::Error);
}

TEST_CASE("shipped data: every env's demonstrations load, respect the constraint, and come from its expert") {
  const std::string dir = std::string(ICRL_SOURCE_DIR) + "/envs/data/";
  struct Shipped {
    const char* file;
    const char* env;
    int episodes;
    int obs_dim;
    int act_dim;
    double min_mean_return;
  };
  // Episode counts of SPEC 5 (lap-grid 20, cheetah 10, ant and ant-broken 45); the expert bars.
  const Shipped shipped[] = {
      {"lap-grid", "lap-grid", 20, 1, 1, 60.0},     {"point-circle", "point-circle", 20, 4, 2, 250.0},
      {"grid-lake7", "grid:lake7", 20, 2, 1, 8.8 - 1e-9}, {"cheetah", "cheetah", 10, 18, 6, 6000.0},
      {"ant", "ant", 45, 22, 8, 4000.0},  {"ant-broken", "ant-broken", 45, 22, 8, 2000.0},
      // Distilled from the exact solver (icrl expert --solver): 11.0, the best policy of the cell alone.
      {"grid8-rooms8", "grid8:rooms8", 20, 2, 1, 11.0 - 1e-9},
  };
  for (const Shipped& s : shipped) {
    CAPTURE(s.file);
    const icrl::Demonstrations d = icrl::Demonstrations::load(dir + s.file + ".demos", s.env);
    CHECK(d.episodes() == s.episodes);
    CHECK(d.obs_dim == s.obs_dim);
    CHECK(d.act_dim == s.act_dim);
    CHECK(d.violations() == 0);
    CHECK(d.mean_return() >= s.min_mean_return);
    // The expert next to it is a policy file for the same env.
    const icrl::CheckpointReader expert = icrl::CheckpointReader::open(dir + s.file + ".expert.ckpt", "PLCY");
    CHECK(expert.read_text("env") == s.env);
  }
}

TEST_CASE("shipped experts: the lap-grid, point-circle and rooms8 experts replay their returns without a violation") {
  const std::string dir = std::string(ICRL_SOURCE_DIR) + "/envs/data/";
  {
    auto policy = std::make_unique<icrl::CategoricalPolicy<1, 2>>();
    icrl::ObsNormalizer<1> norm;
    icrl::load_policy_file(dir + "lap-grid.expert.ckpt", "lap-grid", *policy, norm);
    const icrl::envs::LapGridConstrained true_env;  // terminate_on_violation = true by default
    const icrl::EvalResult r = icrl::evaluate_policy(*policy, norm, true_env, 10, 3, true);
    CHECK(r.mean_return == 60.0);
    CHECK(r.violation_rate == 0.0);
  }
  {
    auto policy = std::make_unique<icrl::GaussianPolicy<4, 2>>();
    icrl::ObsNormalizer<4> norm;
    icrl::load_policy_file(dir + "point-circle.expert.ckpt", "point-circle", *policy, norm);
    const icrl::envs::PointCircleConstrained true_env;
    const icrl::EvalResult r = icrl::evaluate_policy(*policy, norm, true_env, 10, 3, false);
    CHECK(r.mean_return >= 250.0);  // the shipped demonstrations: 253.8-264.4, mean 259.9
    CHECK(r.violation_rate == 0.0);
  }
  {
    // grid8:rooms8 (icrl expert --solver): 0.95 x 11.0 on stochastic episodes, the greedy policy 11.0.
    auto policy = std::make_unique<icrl::CategoricalPolicy<2, 8>>();
    icrl::ObsNormalizer<2> norm;
    icrl::load_policy_file(dir + "grid8-rooms8.expert.ckpt", "grid8:rooms8", *policy, norm);
    CHECK(!norm.enabled);
    const auto true_env =
        icrl::envs::make_grid_constrained(icrl::envs::Grid8::load(std::string(ICRL_SOURCE_DIR) + "/envs/data/maps/rooms8.map"));
    const icrl::EvalResult r = icrl::evaluate_policy(*policy, norm, true_env, 20, 3, false);
    CHECK(r.mean_return >= 0.95 * 11.0);
    CHECK(r.violation_rate == 0.0);
    const icrl::EvalResult det = icrl::evaluate_policy(*policy, norm, true_env, 1, 3, true);
    CHECK(det.mean_return == doctest::Approx(11.0).epsilon(1e-12));
  }
}
#endif

}  // namespace
