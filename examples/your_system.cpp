// examples/your_system.cpp - ICRL on a system of your own: learn the limit an operator respects
// from their logs, find the controller that respects it too, and export that controller as a
// header for a microcontroller.
//
// The system is written here from scratch, as you would write yours: a motor drive with 13 speed
// levels v = 0, 0.25, ..., 3.0 and three buttons (slower, hold, faster: one level per step). The
// designer's reward is what the machine produces on entering level v, 2 v - v^2 / 2, the most at
// v = 2. The bearings are rated for v <= 1.2, and that limit is written nowhere in the task: ICRL
// must learn it from motor.csv, 20 logged episodes of an operator who runs the motor at 1.0
// (examples/data/motor_demos.py). Without the limit the best controller runs at v = 2.
//
// The task is finite and its dynamics are known, so Algorithm 1 runs with the exact forward step
// (icrl/tabular_icrl.hpp, the library's default for finite tasks): no PPO noise, a second to run.
// Nobody knows the constraint, so the task carries none (key_unsafe empty). The steps: read the
// log (Demonstrations::import_csv), run ICRL, print and save the learned constraint, write the
// controller's action table as a header (atomically). Only the final grade reads the rating: the
// controller must earn >= 0.9 x the operator's reward and stay above 1.2 on <= 1 % of its steps.
//
//   your_system MOTOR_CSV OUT_DIR [--seed S]        exit 0: the limit was learned
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "icrl/checkpoint.hpp"
#include "icrl/icrl.hpp"

// ---- your system, as tables (icrl/tabular_mdp.hpp) -------------------------------------------
constexpr int kLevels = 13, kButtons = 3, kSteps = 50;
double speed(int level) { return 0.25 * level; }

icrl::TabularMdp make_motor() {
  icrl::TabularMdp m;
  m.name = "motor";
  m.num_states = kLevels;      // the speed level
  m.num_actions = kButtons;    // 0 slower, 1 hold, 2 faster
  m.horizon = kSteps;
  m.start = 0;                 // standstill
  m.obs_dim = 1;               // what the log records: the speed
  m.num_keys = kLevels;        // the constraint reads the level a step enters
  for (int s = 0; s < kLevels; ++s) {
    m.observation.push_back(speed(s));
    for (int a = 0; a < kButtons; ++a) {
      const int next = std::min(kLevels - 1, std::max(0, s + a - 1));
      const double v = speed(next);
      m.next.push_back(next);
      m.reward.push_back(2.0 * v - 0.5 * v * v);
      m.terminal.push_back(0);
      m.key.push_back(next);
    }
  }
  return m;  // key_unsafe stays empty: the constraint is unknown
}

constexpr double kRatedSpeed = 1.2;  // the unstated limit: read only by the final grade

int main(int argc, char** argv) {
  using namespace icrl;
  if (argc != 3 && argc != 5) return std::fprintf(stderr, "usage: your_system MOTOR_CSV OUT_DIR [--seed S]\n"), 2;
  const std::string csv = argv[1], out = argv[2];
  const std::uint64_t seed = argc == 5 ? std::strtoull(argv[4], nullptr, 10) : 1;
  try {
    // 1. The operator's log: columns episode, t, obs_0 (speed), act_0 (button), reward.
    const Demonstrations demos = Demonstrations::import_csv(csv, "motor", 1, 1);
    std::printf("demonstrations: %d episodes, mean return %.2f\n", demos.episodes(), demos.mean_return());

    // 2. Algorithm 1 with the exact forward step and the library's defaults (30 iterations).
    const TabularMdp motor = make_motor();
    TabularIcrlTrainer trainer(tabular_defaults(IcrlMethod::icrl), motor, demos, csv, seed);
    TabularOuterStats s;
    while (trainer.iterations_done() < trainer.config().outer_iterations) s = trainer.outer_iteration();
    std::printf("after %d iterations: expected reward %.2f, learned cost %.3f per step\n", s.iteration, s.reward,
                s.learned_cost);

    // 3. What was learned: the cost 1 - zeta of entering each speed level.
    std::printf("learned cost by speed:");
    for (int k = 0; k < kLevels; ++k) std::printf(" %.2f:%.2f", speed(k), trainer.constraint().cost(k));
    std::printf("\n");
    trainer.constraint().save(out + "/motor.constraint");

    // 4. The controller: the agent's most likely button per (step, level), as a firmware table.
    const SoftPolicy& pi = trainer.agent_policy();
    std::vector<int> button(static_cast<std::size_t>(kSteps * kLevels));
    std::string h = "// motor_controller.hpp - written by examples/your_system: the button (0 slower, 1 hold,\n"
                    "// 2 faster) for each step t < 50 and speed level (speed / 0.25) of the motor.\n"
                    "#pragma once\nnamespace motor_controller {\nconstexpr unsigned char kButton[50][13] = {\n";
    for (int t = 0; t < kSteps; ++t) {
      h += "  {";
      for (int k = 0; k < kLevels; ++k) {
        const double* p = pi.probabilities(t, k);
        const int b = static_cast<int>(std::max_element(p, p + kButtons) - p);
        button[static_cast<std::size_t>(t * kLevels + k)] = b;
        h += std::to_string(b) + (k + 1 < kLevels ? ", " : "},\n");
      }
    }
    h += "};\ninline int button(int t, int level) { return kButton[t][level]; }\n}  // namespace motor_controller\n";
    write_file_atomic(out + "/motor_controller.hpp", std::vector<unsigned char>(h.begin(), h.end()));
    std::printf("wrote %s/motor.constraint and motor_controller.hpp\n", out.c_str());

    // 5. The grade: run the table from standstill against the rating.
    int level = 0, over = 0;
    double reward = 0.0;
    for (int t = 0; t < kSteps; ++t) {
      const int i = motor.index(level, button[static_cast<std::size_t>(t * kLevels + level)]);
      reward += motor.reward[static_cast<std::size_t>(i)];
      level = motor.next[static_cast<std::size_t>(i)];
      over += speed(level) > kRatedSpeed ? 1 : 0;
    }
    const double share = static_cast<double>(over) / kSteps;
    const bool ok = reward >= 0.9 * demos.mean_return() && share <= 0.01;
    std::printf("controller: reward %.2f (operator %.2f), above the rated speed %.1f on %.3f of steps: %s\n", reward,
                demos.mean_return(), kRatedSpeed, share, ok ? "limit learned" : "NOT learned");
    return ok ? 0 : 1;
  } catch (const Error& e) {
    std::fprintf(stderr, "your_system: %s\n", e.what());
    return 1;
  }
}
