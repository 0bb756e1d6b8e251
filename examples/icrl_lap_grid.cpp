// examples/icrl_lap_grid.cpp - ICRL (Algorithm 1 of the talk) as a training script: learn the
// LapGridWorld constraint "never step backward" from the 20 shipped expert demonstrations.
//
// The designer wrote down only the reward (+3 for entering a coin cell). The nominal optimum
// shuttles back and forth across a coin; the expert laps the ring forward and earns 60. ICRL
// alternates a forward step (Lagrangian PPO, eq. (9), paying the learned cost 1 - zeta) with a
// backward step (eq. (11) + regulariser eq. (8), importance weights eq. (10), KL early stopping
// eq. (12)) until the agent behaves like the expert. `icrl learn --env lap-grid` runs the same
// loop with every output file; this script shows the loop itself.
//
//   icrl_lap_grid [--seed S] [--demos FILE] [--outer N] [--entropy C] [--entropy-anneal A]
//                 [--regularizer D] [--nu-lr L] [--normalize-advantage true|false]
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#include "envs/lap_grid.hpp"
#include "envs/learned_map.hpp"
#include "envs/vec_env.hpp"
#include "icrl/constraint_net.hpp"
#include "icrl/demonstrations.hpp"
#include "icrl/icrl_trainer.hpp"
#include "icrl/presets.hpp"

#ifndef ICRL_DATA_DIR
#define ICRL_DATA_DIR "envs/data"
#endif

int main(int argc, char** argv) {
  using namespace icrl;
  // 0. Settings: the library's lap-grid presets (icrl/presets.hpp), SPEC 5's LapGridWorld
  //    column: N 10 outer iterations, F 50000 forward steps, B 20 zeta steps at lr 0.003, delta 0,
  //    per-episode weights, eps_F = eps_R = 10, M = the expert's episodes; the forward step is
  //    SPEC 5's PPO-Lagrangian with an entropy bonus 0.1 x 0.6^i and the multiplier step 1.0.
  long seed = 1;
  std::string demos_path = std::string(ICRL_DATA_DIR) + "/lap-grid.demos";
  IcrlConfig ic = icrl_preset("lap-grid");   // outer loop and zeta's update
  PpoConfig pc = icrl_forward_ppo("lap-grid");  // the forward step: tanh [64, 64] x 3, SPEC 3
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--seed") seed = std::atol(value.c_str());
    else if (flag == "--demos") demos_path = value;
    else if (flag == "--outer") ic.outer_iterations = std::atoi(value.c_str());
    else if (flag == "--entropy") pc.entropy_coef = std::atof(value.c_str());
    else if (flag == "--entropy-anneal") ic.entropy_anneal = std::atof(value.c_str());
    else if (flag == "--regularizer") ic.update.regularizer = std::atof(value.c_str());
    else if (flag == "--nu-lr") pc.multiplier.lr = std::atof(value.c_str());
    else if (flag == "--normalize-advantage") pc.normalize_advantage = value == "true";
    else return std::fprintf(stderr, "icrl_lap_grid: unknown flag %s (accepted: --seed, --demos, --outer, "
                                     "--entropy, --entropy-anneal, --regularizer, --nu-lr, --normalize-advantage)\n", argv[i]), 2;
  }
  if (argc % 2 == 0 || seed < 0) return std::fprintf(stderr, "usage: icrl_lap_grid [--seed S >= 0] [flag value ...]\n"), 2;

  try {
    // 1. The expert demonstrations D (20 episodes, return 60, never a backward step).
    const Demonstrations demos = Demonstrations::load(demos_path, "lap-grid");

    // 2. The environments: the nominal one (backward allowed; the true cost is only reported)
    //    for training and sampling, the true one (a backward step ends the episode) for the reward.
    using Env = envs::LapGridConstrained;
    Env::Config nominal_cfg;
    nominal_cfg.terminate_on_violation = false;
    const Env nominal(nominal_cfg), true_env;

    // 3. The constraint network zeta(s, a): inputs [pos, a == forward, a == backward], ReLU [20].
    using Zeta = ConstraintNet<3, 20>;
    Zeta zeta;
    zeta.configure(Zeta::default_features<Env>(), Env::kObsDim, 1, "lap-grid");

    // 4. Algorithm 1: one persistent PPO-Lagrangian agent (5 env copies, chunks of 64) and zeta.
    using Trainer = IcrlTrainer<envs::VecEnv<Env, 5>, 64, Zeta>;
    auto trainer = std::make_unique<Trainer>(ic, pc, static_cast<std::uint64_t>(seed), nominal, true_env, zeta,
                                             &demos, demos_path);  // buffers sized once, on the heap
    for (int i = 0; i < ic.outer_iterations; ++i) {
      const OuterStats s = trainer->outer_iteration();  // forward, sample, backward, evaluate
      std::printf("iter %2d  steps %7lld  reward %5.1f  violations %.4f  nu %5.2f  zeta expert %.3f nominal %.3f  "
                  "backward steps %2d  KL %.3f / %.3f\n",
                  s.iteration, static_cast<long long>(s.env_steps), s.reward, s.violations, s.nu,
                  s.backward.zeta_expert, s.backward.zeta_nominal, s.backward.iterations_done, s.backward.kl_forward,
                  s.backward.kl_reverse);
    }

    // 5. What was learned: zeta's cost for both actions in every cell of the ring.
    std::printf("%s", envs::learned_map(envs::LapGrid(), trainer->constraint()).c_str());
    const EvalResult final_eval = evaluate_policy(trainer->agent().policy(), trainer->agent().obs_normalizer(),
                                                  true_env, 50, static_cast<std::uint64_t>(seed) + 1000, false);
    std::printf("final: reward %.1f over 50 true-env episodes (expert %.1f)\n", final_eval.mean_return,
                demos.mean_return());
  } catch (const Error& e) {
    std::fprintf(stderr, "icrl_lap_grid: %s\n", e.what());
    return 1;
  }
  return 0;
}
