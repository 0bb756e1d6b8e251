// cli/icrl_presets.hpp - the per-env defaults of `icrl learn` and `icrl transfer`: the outer
// loop and zeta's update (SPEC 5), and zeta's hidden widths (SPEC 2). The forward step's PPO
// presets are in envs.hpp.
#pragma once

#include <string>

#include "envs.hpp"
#include "icrl/constraint_net.hpp"
#include "icrl/icrl_trainer.hpp"

namespace icrl::cli {

// ---- per-env settings of the outer loop and zeta (SPEC 5) ----------------------------------
inline IcrlConfig icrl_preset_for(const std::string& env) {
  IcrlConfig c;  // LapGridWorld column; the grid maps use it too
  c.outer_iterations = 10;
  c.forward_steps = 50000;
  c.nominal_episodes = 20;
  c.update.backward_iterations = 20;
  c.update.lr = 0.003;
  c.update.anneal = 1.0;
  c.update.regularizer = 0.0;
  c.update.importance = ImportanceMode::per_episode;
  c.update.kl_forward_limit = 10.0;
  c.update.kl_reverse_limit = 10.0;
  // The forward step's entropy bonus (icrl_ppo_preset_for) decays as 0.6^i: see there.
  c.entropy_anneal = 0.6;
  if (env == "cheetah") {
    c.outer_iterations = 30;
    c.forward_steps = 200000;
    c.nominal_episodes = 10;
    c.update.backward_iterations = 10;
    c.update.lr = 0.05;
    c.update.anneal = 0.9;
    c.update.regularizer = 0.5;
    c.update.importance = ImportanceMode::per_step;
    c.update.kl_reverse_limit = 2.5;
    c.entropy_anneal = 1.0;
  } else if (env == "ant" || env == "ant-broken") {
    c.outer_iterations = 20;
    c.forward_steps = 200000;
    c.nominal_episodes = 45;
    c.update.backward_iterations = 5;
    c.update.lr = 0.005;
    c.update.anneal = 0.9;
    c.update.regularizer = 0.6;
    c.update.importance = ImportanceMode::per_step;
    c.update.kl_reverse_limit = 2.5;
    c.entropy_anneal = 1.0;
  } else if (env == "point-circle") {
    // Not in SPEC 5 (the paper only transfers to it): the cheetah's continuous-control settings.
    c.outer_iterations = 10;
    c.forward_steps = 100000;
    c.nominal_episodes = 20;
    c.update.backward_iterations = 10;
    c.update.lr = 0.01;
    c.update.anneal = 0.9;
    c.update.regularizer = 0.5;
    c.update.importance = ImportanceMode::per_step;
    c.update.kl_reverse_limit = 2.5;
    c.entropy_anneal = 1.0;
  }
  return c;
}

// The forward step's PPO settings in which `icrl learn` differs from the env's `icrl train`
// preset (cli/envs.hpp).
//
// Lap-grid and the grid maps (discrete actions, no normalisation, SPEC 5):
//   entropy_coef 0.1, entropy_anneal 0.6   the (1/beta) H(pi) term of eq. (9): 0.1, 0.06, ...,
//                                           0.001 at outer iteration 9 (icrl_preset_for)
//   nu_lr 1.0 (SPEC 5: 0.1)                 the multiplier outgrows the reward in 2-3 iterations
// Why. zeta starts near 0.5 everywhere, so the first forward step pays the same cost for both
// actions and learns the nominal optimum, shuttling across a coin; the backward step then learns
// that backward costs ~1. With SPEC 5's settings the agent often cannot follow:
//   - without the bonus the categorical policy has saturated in the shuttle and never samples
//     the forward action there again, while the nominal pairs push zeta(forward) down in exactly
//     those cells, which locks the shuttle in;
//   - with the slow multiplier, a policy that has reached the expert relapses: nu is still 3-5,
//     and the reward advantage, scaled to unit std per minibatch (SPEC 3), turns a rare backward
//     step across a coin into a large outlier against the unscaled nu A_c.
// Measured with examples/icrl_lap_grid.cpp, seeds ending at reward >= 55 with violations <= 0.01
// after 10 outer iterations: SPEC settings 2 of seeds 1-5 (the first results.sh run); bonus
// 0.05 / 0.7 with nu lr 0.1: 5 of seeds 1-8; bonus 0.1 / 0.6 with nu lr 0.1 / 0.5 / 1.0: 1 of
// seeds 3-8, 8 of seeds 1-10, 12 of seeds 1-14 (this preset; seeds 5 and 14 still relapse late,
// at nu > 30). Also tried and dropped: the regulariser delta 0.5 (the paper's value) and
// normalize_advantage=false, both no better. Tried on 2026-12-03 and dropped (a patched copy of
// the library, not kept), seeds ending at reward >= 55 / violations <= 0.01:
//   - A_c divided by A_r's minibatch std as well (keeps A_r - nu A_c): 9 of seeds 1-14;
//     with nu lr 0.1: 5 of seeds 1-10 (stuck in the shuttle);
//   - delta 0.5 at nu lr 1.0: 4 of seeds 1-5; zeta lr 0.01 with delta 0: 5 of seeds 1-6, with
//     delta 0.1: 8 of seeds 1-10;
//   - the cost term inside the clipped surrogate ((A_r - nu A_c) / (1 + nu) clipped together):
//     4 of seeds 1-8 (slower, still relapses);
//   - budget alpha = mean over D of 1 - zeta after each backward step (nu grows to ~18 instead
//     of ~50): 6 of seeds 1-8 (seed 5 fixed, seeds 2 and 8 fail);
//   - delta 0.5 on D only (eq. (8) sums over D and S): 12 of seeds 1-14, the preset's rate with
//     other seeds failing (8 and 12 instead of 5 and 14), so not adopted.
// Tried on 2026-12-03 (second session), same loop and patched copy:
//   - a replay of every earlier iteration's nominal episodes in S (S grows to M x i episodes, so
//     zeta(backward) keeps its evidence once the agent stops going back): delta 0: 6 of seeds
//     1-9 and 14 (seed 5 passes; 2, 4, 8 and 14 fail; the preset passes 8 of these 10), runs
//     swing between lapping and the shuttle, nu still ~50; delta 0.5: 3 of seeds 1, 2, 5, 14
//     (seed 5 fails);
//   - entropy anneal 0.75: 10 of seeds 1-14 (5, 2, 3, 9 fail; mid-run relapses on most seeds);
//     0.5: 12 of 14 (seed 1 ends in the shuttle, seed 11 at 54.6), the preset's rate again
//     (reproduce with icrl learn --env lap-grid --seed S --set entropy_anneal=0.5; the replay
//     above needs the patched copy, it is not a setting).
// Tried on 2026-12-03 (third session), icrl learn --env lap-grid --seed S --set zeta_anneal=A:
//   - A = 0.9 (SPEC 5's cheetah and ant schedule): 11 of seeds 1-14 (seed 5 passes at 57.8;
//     4, 11 and 12 fail); A = 0.8: 11 of 14 (5, 8 and 14 fail).
// None passes more seeds than the preset; under the best of them about 1 seed in 7 still ends in
// a relapse, and which seed depends on the iteration the last relapse hits, not on one setting.
// What the relapses look like (seed 5, a per-cell dump after each outer iteration): with
// delta 0 the backward step has no gradient once the agent laps like the expert (S = D), so
// zeta keeps what earlier iterations left: zeta(forward) 0.4-0.5 and zeta(backward) ~0.2, i.e.
// the expert's own path costs ~0.55 per step, nu keeps growing, and at nu > 30 a PPO update
// turns the policy backward after the coin at cell 35 (a shuttle) with zeta unchanged. With
// delta > 0 zeta(forward) goes to ~1 but zeta(backward), no longer sampled, drifts up to
// 0.7-0.8 and the shuttle pays again. Plain PPO-Lagrangian under the true cost at nu = 50
// (icrl train --env lap-grid --set nu_init=50) stays at 60 / 0: the trouble is the learned
// cost on the expert's own path, not the multiplier's size alone. The decay lets the final policy become
// near-deterministic, as the stochastic true-env evaluation of SPEC 8 requires. The continuous
// envs keep their presets.
inline void icrl_ppo_preset_for(const std::string& env, PpoConfig& pc) {
  if (env == "lap-grid" || env.rfind("grid:", 0) == 0 || env.rfind("grid8:", 0) == 0) {
    pc.entropy_coef = 0.1;
    pc.multiplier.lr = 1.0;
  }
}

// zeta's hidden widths per env (SPEC 2): [40, 40] for the ant, [20] elsewhere.
template <class Env, int In>
struct ZetaFor {
  using type = ConstraintNet<In, 20>;
};
#ifdef ICRL_HAVE_BOX2D
template <int In>
struct ZetaFor<envs::AntConstrained, In> {
  using type = ConstraintNet<In, 40, 40>;
};
template <int In>
struct ZetaFor<envs::AntBrokenConstrained, In> {
  using type = ConstraintNet<In, 40, 40>;
};
#endif

}  // namespace icrl::cli
