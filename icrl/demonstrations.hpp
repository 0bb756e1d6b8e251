// icrl/demonstrations.hpp - expert demonstrations: the data D of eq. (11), one file per env.
//
// A demonstration set is M episodes of (s_t, a_t, r_t, c_t) in the true environment, stored
// back to back: episode k occupies the columns [offset_k, offset_k + length_k) of
//   observations [obs_dim, N]   the observation the action was taken in (raw, unnormalised)
//   actions      [act_dim, N]   the action the environment applied (clipped to its box;
//                               discrete envs: the action index as a number)
//   rewards      [N]            the reward of that step
//   costs        [N]            the true cost of that step (1 = the constraint was violated)
// with N = sum_k length_k. ICRL only reads (s, a); rewards and costs are kept for checking the
// expert (mean return, violations) and for people who analyse the data.
//
// File format (`.demos`): the icrl container of icrl/checkpoint.hpp, kind "DEMO":
//   offset 0   "ICRL" "DEMO"     magic (8 bytes)
//              format version (uint32, currently 1), entry count, entry table, payload
//   entries    "env"             text: the env name, e.g. "lap-grid"
//              "obs_dim"         int64
//              "act_dim"         int64
//              "lengths"         int64 [M, 1]: episode lengths, each >= 1
//              "observations"    f32 [obs_dim, N]  (float: what the networks see; halves the files)
//              "actions"         f32 [act_dim, N]
//              "rewards"         f64 [N, 1]
//              "costs"           f64 [N, 1]
//   last 4 B   CRC-32 of everything before it
// Every number is little-endian; the reader checks magic, kind, version, checksum, that every
// entry has the shape the dimensions and lengths imply, and that no value is NaN or infinite,
// and names the file and the entry in every error.
//
// Exports for analysis in Python: NumPy `.npy` (one array per file: observations, actions,
// rewards, costs, episode index) and CSV (one row per step: episode, t, s..., a..., r, c).
// Imports: the same CSV (import_csv) and .npy files (import_npy), so logs from a robot or from
// Python come in.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <Eigen/Core>

namespace icrl {

inline constexpr const char* kDemoFileKind = "DEMO";

struct Demonstrations {
  std::string env;                    // env name the demonstrations were recorded in
  int obs_dim = 0;                    // rows of observations
  int act_dim = 0;                    // rows of actions
  std::vector<std::int64_t> lengths;  // [M] steps of each episode
  Eigen::MatrixXd observations;       // [obs_dim, N]
  Eigen::MatrixXd actions;            // [act_dim, N]
  Eigen::VectorXd rewards;            // [N]
  Eigen::VectorXd costs;              // [N]

  int episodes() const { return static_cast<int>(lengths.size()); }
  std::int64_t steps() const { return static_cast<std::int64_t>(rewards.size()); }
  // First column of episode k.
  std::int64_t offset(int k) const;
  // Undiscounted return of episode k, and its number of steps with cost > 0.
  double episode_return(int k) const;
  int episode_violations(int k) const;
  double mean_return() const;
  // Total number of steps with cost > 0.
  std::int64_t violations() const;

  // Throws icrl::Error (naming `origin`) unless the shapes agree with each other.
  void check(const std::string& origin) const;

  // The first `max_episodes` episodes without a violating step (an expert's demonstrations must
  // respect the constraint; a stochastic expert occasionally slips). Throws if there are fewer.
  Demonstrations feasible_episodes(int max_episodes) const;

  // Writes the `.demos` file atomically (temporary file, fsync, rename).
  void save(const std::string& path) const;
  // Reads and verifies a `.demos` file. expected_env: refuse another env's file (empty: any).
  static Demonstrations load(const std::string& path, const std::string& expected_env = "");
  // The same checks on the bytes of a `.demos` file already in memory (fuzz/); `origin` names
  // them in messages.
  static Demonstrations parse(std::vector<unsigned char> bytes, const std::string& origin,
                              const std::string& expected_env = "");

  // One JSON object: env, episodes, steps, obs_dim, act_dim, mean_return, min/max return,
  // violations, episodes_with_violation, mean_length.
  std::string info_json() const;
  // CSV: header `episode,t,obs_0..,act_0..,reward,cost`, one row per step.
  void export_csv(const std::string& path) const;
  // Reads the CSV export_csv writes, or one written by hand, by Python or from a robot's log:
  //   header  episode,t,obs_0,...,obs_{d-1},act_0,...,act_{m-1}[,reward][,cost]
  //   rows    one per step; an episode's rows together with t = 0, 1, 2, ... (any lengths);
  //           episode ids any non-negative integers, each used for one block of rows
  // Missing reward or cost columns read as 0 (a log without a reward: ICRL reads only s and a;
  // without a cost: the steps count as feasible). Observations and actions are stored as
  // float32 (as in the .demos file), so export_csv of the result writes them back exactly when
  // they came from export_csv. expected_obs_dim / expected_act_dim (> 0) are the dimensions of
  // the env the demonstrations are for (act 1 for a discrete env: the action index). Throws
  // icrl::Error naming the file, the line and the column, with the fix.
  static Demonstrations import_csv(const std::string& path, const std::string& env, int expected_obs_dim = 0,
                                   int expected_act_dim = 0);
  // The same on CSV text already in memory (fuzz/); `origin` names it in messages.
  static Demonstrations parse_csv(const std::string& text, const std::string& origin, const std::string& env,
                                  int expected_obs_dim = 0, int expected_act_dim = 0);
  // NumPy .npy files <prefix>_observations.npy [N, obs_dim], _actions.npy [N, act_dim],
  // _rewards.npy [N], _costs.npy [N], _episode.npy [N] (int64): row-major float64.
  void export_npy(const std::string& prefix) const;
  // Reads the files export_npy writes, or ones written by numpy.save: prefix as given to
  // export_npy (or the path of its _observations.npy). Required: _observations [N, d] (or [N]
  // for d = 1), _actions [N, m] (or [N]; a discrete env's action index), _episode [N] (the
  // episode id of every row; each episode's rows together, in step order); optional:
  // _rewards [N] and _costs [N] (0 when the file is missing, as in import_csv). dtypes: little-endian
  // float64 or float32 (<f8, <f4), and int64 or int32 (<i8, <i4); C order. Observations and
  // actions are stored as float32, so export_npy then import_npy gives back the same
  // demonstrations bit for bit. Throws icrl::Error naming the file, the row and the fix.
  static Demonstrations import_npy(const std::string& prefix, const std::string& env, int expected_obs_dim = 0,
                                   int expected_act_dim = 0);
};

// One .npy array as doubles: rows x cols, row-major (a 1-D array has cols = 1, two_d false).
struct NpyArray {
  std::int64_t rows = 0;
  std::int64_t cols = 1;
  bool two_d = false;
  std::vector<double> values;  // [rows * cols]
};
// Parses the bytes of a .npy file (format 1.0, 2.0 or 3.0; dtypes <f8, <f4, <i8, <i4; C order;
// 1-D or 2-D). Throws icrl::Error naming `origin` and what is wrong, before allocating anything
// the file's size does not back.
NpyArray parse_npy(const std::vector<unsigned char>& bytes, const std::string& origin);

}  // namespace icrl
