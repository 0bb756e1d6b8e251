// envs/lap_grid.hpp - LapGridWorld of the ICRL paper and its true (constrained) variant.
//
// SPEC section 6. The agent walks on a ring of N = 40 cells (the border of an 11 x 11 grid,
// numbered 0..39 along the ring) and starts every episode in cell 0. Two actions:
//
//     action 0 (forward):  pos' = (pos + 1) mod 40
//     action 1 (backward): pos' = (pos - 1) mod 40
//
// Reward +3 when the step ENTERS one of the coin cells 5, 15, 25, 35 (one on each side of the
// square), else 0. Observation [pos' / 20 - 1] (in [-1, 0.95]). No terminal state; the time limit
// truncates at 200 steps. reset() draws nothing from the Rng (the start is fixed).
//
// Returns (checked by tests/test_envs_icrl.cpp, with a backward induction over (step, cell)):
//  - always forward: 200 steps = 5 laps = 20 coins, return 60, never backward (the expert);
//  - the nominal optimum is 294: the first coin can be entered at step 5 at the earliest and a
//    coin cell can be re-entered only every second step (leave, come back), so coins at steps
//    5, 7, ..., 199 = 98 coins. It shuttles across a coin cell (e.g. 5 -> 6 -> 5 -> ...) and so
//    uses the backward action on at least 97 of its 200 steps.
//
// LapGridConstrained = Constrained<LapGrid, LapGridNoBackward> (constrained.hpp): action 1
// (backward) is the violation. Its config defaults to the SPEC "true env" (terminate_on_violation
// = true): a backward step costs 1, pays 0 and ends the episode, so the nominal optimum earns 3
// there (its first coin) before its first backward step ends the episode.
#pragma once

#include <Eigen/Core>

#include "constrained.hpp"
#include "env.hpp"
#include "icrl/error.hpp"
#include "icrl/rng.hpp"

namespace icrl::envs {

class LapGrid {
 public:
  static constexpr const char* kName = "lap-grid";
  static constexpr int kObsDim = 1;  // [pos / 20 - 1]
  static constexpr int kActDim = 1;  // one integer action
  static constexpr bool kDiscrete = true;
  static constexpr int kNumActions = 2;  // 0: forward (+1), 1: backward (-1)
  static constexpr int kMaxSteps = 200;  // SPEC time limit

  static constexpr int kForward = 0;         // action index: pos + 1
  static constexpr int kBackward = 1;        // action index: pos - 1 (the true constraint)
  static constexpr int kNumCells = 40;       // ring length: border of an 11 x 11 grid
  static constexpr int kStartCell = 0;       // every episode starts here
  static constexpr double kCoinReward = 3.0;  // reward for entering a coin cell
  static constexpr int kCoinCells[4] = {5, 15, 25, 35};  // one coin per side of the square

  using Obs = Eigen::Matrix<double, kObsDim, 1>;
  using Action = int;

  // The integer action range as a 1-vector: [0] and [1].
  static Eigen::Matrix<double, kActDim, 1> action_low() {
    return Eigen::Matrix<double, kActDim, 1>::Constant(0.0);
  }
  static Eigen::Matrix<double, kActDim, 1> action_high() {
    return Eigen::Matrix<double, kActDim, 1>::Constant(static_cast<double>(kNumActions - 1));
  }

  // True for the cells 5, 15, 25, 35 (pos in 0..39).
  static constexpr bool is_coin(int pos) { return pos % 10 == 5; }

  // The observation of cell pos: pos / 20 - 1.
  static Obs observe(int pos) { return Obs::Constant(static_cast<double>(pos) / 20.0 - 1.0); }

  // New episode in cell 0; the start is deterministic, rng is not used.
  Obs reset(icrl::Rng& /*rng*/) {
    pos_ = kStartCell;
    steps_ = 0;
    done_ = false;
    return observation();
  }

  // One move along the ring (header comment); a in {0, 1}.
  StepResult<kObsDim> step(const Action& a) {
    ICRL_ASSERT(a == kForward || a == kBackward);
    ICRL_ASSERT(!done_);  // the episode was truncated: call reset() first
    pos_ = (a == kForward) ? (pos_ + 1) % kNumCells : (pos_ + kNumCells - 1) % kNumCells;
    ++steps_;
    StepResult<kObsDim> r;
    r.obs = observation();
    r.reward = is_coin(pos_) ? kCoinReward : 0.0;  // every step enters a new cell
    r.cost = 0.0;
    r.terminated = false;
    r.truncated = steps_ >= kMaxSteps;
    done_ = r.truncated;
    return r;
  }

  // For tests and analysis: stand in cell pos (0..39) with elapsed_steps steps already used.
  void set_state(int pos, int elapsed_steps = 0) {
    ICRL_ASSERT(pos >= 0 && pos < kNumCells);
    ICRL_ASSERT(elapsed_steps >= 0 && elapsed_steps < kMaxSteps);
    pos_ = pos;
    steps_ = elapsed_steps;
    done_ = false;
  }

  int position() const { return pos_; }         // current cell, 0..39
  int elapsed_steps() const { return steps_; }  // steps taken in the current episode
  bool done() const { return done_; }           // the current episode has ended
  Obs observation() const { return observe(pos_); }  // [pos / 20 - 1]

  // Checkpoints (env.hpp): [cell, steps, done].
  static constexpr int kStateDim = 3;
  void save_state(double* s) const {
    s[0] = pos_;
    s[1] = steps_;
    s[2] = done_ ? 1.0 : 0.0;
  }
  void load_state(const double* s) {
    const int pos = restored_count(s[0], 0, kNumCells - 1, kName, "cell");
    const int steps = restored_count(s[1], 0, kMaxSteps, kName, "steps");
    const int done = restored_count(s[2], 0, 1, kName, "done");
    pos_ = pos;
    steps_ = steps;
    done_ = done != 0;
  }

 private:
  int pos_ = kStartCell;  // current cell on the ring
  int steps_ = 0;         // steps taken in this episode
  bool done_ = false;     // truncated: step() needs a reset() first
};

// Settings of LapGridConstrained.
struct LapGridConstrainedConfig {
  // SPEC section 6 "true env": a backward step also terminates the episode and pays reward 0.
  // On by default, because the constrained lap grid is the ICRL true env; set it to false for the
  // nominal dynamics with the true cost signal only (what PPO-Lagrangian expert training wants).
  bool terminate_on_violation = true;
};

// The constraint of LapGridConstrained (policy for Constrained, constrained.hpp): the action
// backward (1) is a violation, wherever it is taken.
struct LapGridNoBackward {
  static constexpr const char* kName = "lap-grid-constrained";
  using Config = LapGridConstrainedConfig;
  static bool violated(const Config& /*config*/, const LapGrid& /*after*/,
                       const LapGrid::Action& a, const StepResult<LapGrid::kObsDim>& /*r*/) {
    return a == LapGrid::kBackward;
  }
};

// LapGridWorld with cost 1 on backward steps (and, by default, the SPEC true-env termination).
using LapGridConstrained = Constrained<LapGrid, LapGridNoBackward>;

}  // namespace icrl::envs
