// cli/ppo_jobs.hpp - the bodies of the PPO jobs of cli/jobs.hpp: icrl train, icrl expert (PPO
// and --solver), icrl eval and icrl demos. Included only by cli/instances/*.cpp, each of which
// compiles them for one environment.
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include "envs.hpp"
#include "grid_expert.hpp"
#include "icrl/checkpoint.hpp"
#include "icrl/demonstrations.hpp"
#include "icrl/error.hpp"
#include "icrl/text_format.hpp"
#include "jobs.hpp"
#include "output.hpp"
#include "ppo_settings.hpp"
#include "run_files.hpp"

namespace icrl::cli {

// summary.json lines shared by train, expert and expert --solver: the final evaluation in the
// training env (ev stochastic, det deterministic), and the kept expert judged in the true env.
inline std::string evaluation_json(const EvalResult& ev, const EvalResult& det) {
  std::string j = "  \"eval_episodes\": " + std::to_string(ev.episodes) + ",\n";
  j += "  \"reward\": " + json_number(ev.mean_return) + ",\n";
  j += "  \"reward_std\": " + json_number(ev.std_return) + ",\n";
  j += "  \"reward_deterministic\": " + json_number(det.mean_return) + ",\n";
  j += "  \"cost\": " + json_number(ev.mean_cost) + ",\n";
  j += "  \"violation_rate\": " + json_number(ev.violation_rate) + ",\n";
  j += "  \"feasible_reward\": " + json_number(ev.feasible_return) + ",\n";
  return j;
}
inline std::string expert_json(const EvalResult& ex) {
  std::string j = ",\n  \"expert_reward\": " + json_number(ex.mean_return);
  j += ",\n  \"expert_reward_std\": " + json_number(ex.std_return);
  j += ",\n  \"expert_violation_rate\": " + json_number(ex.violation_rate);
  j += ",\n  \"expert_mean_length\": " + json_number(ex.mean_length);
  return j;
}

// icrl expert --solver (grid maps only): the true env solved exactly and the solver's policy
// distilled into the policy network (cli/grid_expert.hpp), no PPO. Writes expert.ckpt and
// policy.ckpt (the same policy) and summary.json with the PPO expert's keys.
template <class Entry>
void SolverExpertJob::operator()(Entry entry) const {
  using Env = typename Entry::Env;
  if constexpr (is_grid_env_v<Env>) {
    make_out_dir(out);
    GridExpertOptions options;
    options.seed = seed;
    if (!quiet)
      options.progress = [&](int step, double loss, int mismatches, const EvalResult& ev,
                             const envs::GridPolicyValue& ex) {
        std::fprintf(stderr,
                     "[icrl expert %s --solver] step %d  loss %.5f  greedy mismatches %d  true env: return %.2f, "
                     "violating episodes %.2f; exact: return %.3f, violation probability %.5f\n",
                     env_name.c_str(), step, loss, mismatches, ev.mean_return, ev.violation_rate,
                     ex.expected_return, ex.violation_probability);
      };
    auto policy = std::make_unique<PolicyFor<Env>>();
    ObsNormalizer<Env::kObsDim> norm;
    const GridExpertResult g = distil_grid_expert(entry.true_env, *policy, norm, options);
    save_policy_file(out + "/expert.ckpt", env_name, *policy, norm);
    save_policy_file(out + "/policy.ckpt", env_name, *policy, norm);
    const std::uint64_t eval_seed = seed ^ kEvalSeedOffset;
    const int k = static_cast<int>(eval_episodes);
    const EvalResult ev = evaluate_policy(*policy, norm, entry.prototype, k, eval_seed, false);
    const EvalResult det = evaluate_policy(*policy, norm, entry.prototype, k, eval_seed, true);
    const EvalResult ex = evaluate_policy(*policy, norm, entry.true_env, k, eval_seed, false);
    std::string j = "{\n";
    j += "  \"env\": " + json_quote(env_name) + ",\n";
    j += "  \"seed\": " + std::to_string(seed) + ",\n";
    j += "  \"method\": \"solver\",\n";
    j += "  \"env_steps\": 0,\n";
    j += "  \"iterations\": " + std::to_string(g.adam_steps) + ",\n";
    j += "  \"wall_seconds\": " + json_number(g.wall_seconds) + ",\n";
    j += "  \"steps_per_second\": null,\n";
    j += evaluation_json(ev, det);
    j += "  \"cost_limit_per_step\": 0,\n";
    j += "  \"final_nu\": null,\n";
    j += "  \"solver_reward\": " + json_number(g.solver_return) + ",\n";
    j += "  \"stationary_target_reward\": " + json_number(g.target_return) + ",\n";
    j += "  \"expert_exact_reward\": " + json_number(g.exact_return) + ",\n";
    j += "  \"expert_exact_violation_probability\": " + json_number(g.exact_violation_probability);
    j += ",\n  \"expert_iteration\": " + std::to_string(g.adam_steps) + expert_json(ex) + "\n}\n";
    write_text_atomic(out + "/summary.json", j);
    if (!quiet)
      std::fprintf(stderr,
                   "[icrl expert %s --solver] done in %.2f s (%d Adam steps): solver optimum %.2f, best policy of the "
                   "cell alone %.2f; expert true-env reward %.2f, violation rate %.2f (exact %.3f, %.5f) -> %s/expert.ckpt\n",
                   env_name.c_str(), g.wall_seconds, g.adam_steps, g.solver_return, g.target_return, ex.mean_return,
                   ex.violation_rate, g.exact_return, g.exact_violation_probability, out.c_str());
  } else {
    throw UsageError("--solver: env '" + env_name + "' is not a grid map");  // unreachable: checked above
  }
}

template <class Entry>
void TrainJob::operator()(Entry entry) const {
  const char* cmd = expert ? "expert" : "train";
  PpoConfig config = entry.preset;
  if (expert) {
    config.use_cost = true;  // the true cost, budget 0 (SPEC 5: experts respect the constraint)
    config.multiplier.budget = 0.0;
  }
  if (args.has("cost-limit")) config.multiplier.budget = args.number("cost-limit", 0.0);
  for (const auto& kv : args.all("set")) apply_setting(config, kv);
  if (args.has("cost-limit") && !config.use_cost)
    throw UsageError("--cost-limit: env '" + env_name + "' trains without a cost stream (use_cost = false); "
                     "pick a constrained env (" + env_names() + ") or add --set use_cost=true");
  const std::int64_t steps = args.integer("steps", entry.default_steps, 1, std::int64_t{1} << 40);

  // A bad --set value is a usage error, reported before anything is written.
  try {
    Entry::Trainer::check_config(config);
  } catch (const Error& e) {
    throw UsageError(std::string(e.what()) + " (change it with --set)");
  }
  auto trainer = std::make_unique<typename Entry::Trainer>(config, seed, entry.prototype);
  const std::int64_t per_iter = trainer->steps_per_iteration();
  const std::int64_t iterations = (steps + per_iter - 1) / per_iter;

  std::string header = std::string("# icrl ") + cmd + ": every resolved setting of this run\n";
  header += "env = " + env_name + "\nseed = " + std::to_string(seed) + "\nsteps = " + std::to_string(steps) +
            "\niterations = " + std::to_string(iterations) +
            "\nnum_envs = " + std::to_string(Entry::kNumEnvs) + "  # compile-time (cli/envs.hpp)" +
            "\nchunk = " + std::to_string(Entry::kChunk) + "  # compile-time minibatch chunk\n";
  const std::string config_text = header + describe_config(config);

  // Expert: the best policy so far by true-env return (ties: fewer violating episodes).
  using Policy = typename Entry::Trainer::Policy;
  auto best_policy = std::make_unique<Policy>();
  ObsNormalizer<Entry::Env::kObsDim> best_norm;
  EvalResult best;
  best.mean_return = -INFINITY;
  std::int64_t best_iteration = 0;
  const std::uint64_t judge_seed = seed ^ 0x5DEECE66DULL;  // fixed episodes: comparable across updates

  // The run directory (icrl/run_dir.hpp). --resume: the agent, the kept expert and the table as
  // they were after the last complete update; without a state yet, or on a fresh run, start over.
  double wall_before = 0.0, last_return = NAN, last_episode_cost = NAN;
  make_out_dir(out);
  RunDir dir(out, config_text, "STAT", cmdline.resume);
  const bool resume = dir.resumed();
  if (resume) {
    const CheckpointReader& state = dir.state();
    state.require_text("cli.env", env_name);
    trainer->load_state(state, "agent.");
    // wall, last return, last episode cost, best return (NaN: none yet), best violation rate
    const std::vector<double> v = read_stats(state, "cli.numbers", 5);
    wall_before = v[0], last_return = v[1], last_episode_cost = v[2];
    if (expert) {
      best.mean_return = std::isnan(v[3]) ? -INFINITY : v[3], best.violation_rate = v[4];
      best_iteration = state.read_int("cli.best_iteration");
      if (best_iteration > 0) {
        best_policy->load(state, "best.policy.");
        best_norm.load(state, "best.obs_norm.");
      }
    }
  } else {
    record_command(cmdline);
  }
  dir.open_progress("iteration,env_steps,wall_seconds,return,cost,episode_cost,nu,policy_loss,value_loss,"
                    "cost_value_loss,approx_kl,entropy,clip_fraction,epochs_done,true_reward,true_violation_rate");
  ProgressLine line(quiet, args.has("verbose"));
  line.start(trainer->iterations(), trainer->env_steps());
  if (resume && line.enabled())
    std::fprintf(stderr, "[icrl %s %s] resuming %s after update %lld of %lld\n", cmd, env_name.c_str(), out.c_str(),
                 static_cast<long long>(trainer->iterations()), static_cast<long long>(iterations));

  const auto t0 = std::chrono::steady_clock::now();
  auto wall_now = [&] { return wall_before + std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); };
  for (std::int64_t it = trainer->iterations(); it < iterations; ++it) {
    const IterationStats s = trainer->iterate();
    // A diverged update stops the run before anything of it is saved: state.ckpt keeps the
    // last good update.
    if (const char* bad = trainer->first_non_finite(s))
      throw Error("update " + std::to_string(s.iteration) + ": non-finite " + bad +
                  " (lower lr or max_grad_norm with --set, or check the env's observations)" +
                  (dir.last_state().empty()
                       ? std::string()
                       : "; the last good state is '" + dir.last_state() + "' (resume with --resume " + out + ")"));
    if (s.episodes > 0) {
      last_return = s.episode_return;
      last_episode_cost = s.episode_cost;
    }
    EvalResult judged;
    judged.mean_return = NAN;
    judged.violation_rate = NAN;
    if (expert && ((it + 1) % eval_every == 0 || it + 1 == iterations)) {
      judged = evaluate_policy(trainer->policy(), trainer->obs_normalizer(), entry.true_env, 10, judge_seed, false);
      if (judged.mean_return > best.mean_return ||
          (judged.mean_return == best.mean_return && judged.violation_rate < best.violation_rate)) {
        best = judged;
        best_iteration = s.iteration;
        *best_policy = trainer->policy();
        best_norm = trainer->obs_normalizer();
        save_policy_file(out + "/expert.ckpt", env_name, *best_policy, best_norm);
      }
    }
    const double wall = wall_now();
    char row[1024];
    std::snprintf(row, sizeof row, "%lld,%lld,%.4f,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%d,%s,%s",
                  static_cast<long long>(s.iteration), static_cast<long long>(s.env_steps), wall,
                  csv_number(s.episode_return).c_str(), csv_number(s.step_cost).c_str(),
                  csv_number(s.episode_cost).c_str(), csv_number(s.nu).c_str(), csv_number(s.policy_loss).c_str(),
                  csv_number(s.value_loss).c_str(), csv_number(s.cost_value_loss).c_str(),
                  csv_number(s.approx_kl).c_str(), csv_number(s.entropy).c_str(),
                  csv_number(s.clip_fraction).c_str(), s.epochs_done, csv_number(judged.mean_return).c_str(),
                  csv_number(judged.violation_rate).c_str());
    dir.progress_row(row);
    // What a resumed run needs of this update (icrl/run_dir.hpp).
    CheckpointWriter state("STAT");
    state.add_text("cli.env", env_name);
    trainer->save_state(state, "agent.");
    add_stats(state, "cli.numbers", {wall, last_return, last_episode_cost, best.mean_return, best.violation_rate});
    state.add_int("cli.best_iteration", best_iteration);
    if (expert && best_iteration > 0) {
      best_policy->save(state, "best.policy.");
      best_norm.save(state, "best.obs_norm.");
    }
    dir.commit(state);  // the commit point of this update
    std::string details = "return " + format_number(std::round(last_return * 10) / 10) + "  cost " +
                          format_number(std::round(s.step_cost * 1e4) / 1e4) + "  episode cost " +
                          format_number(std::round(last_episode_cost * 100) / 100) + "  nu " +
                          format_number(std::round(s.nu * 1000) / 1000);
    if (std::isfinite(judged.mean_return))
      details += "  true env: return " + format_number(std::round(judged.mean_return * 10) / 10) +
                 ", violating episodes " + format_number(judged.violation_rate);
    line.print(std::string("[icrl ") + cmd + " " + env_name + "]", s.iteration, iterations, s.env_steps, details);
  }
  const double wall = wall_now();
  dir.close();
  trainer->save_policy(out + "/policy.ckpt", env_name);
  const EvalResult ev = trainer->evaluate(static_cast<int>(eval_episodes), false);
  const EvalResult det = trainer->evaluate(static_cast<int>(eval_episodes), true);
  std::string j = "{\n";
  j += "  \"env\": " + json_quote(env_name) + ",\n";
  j += "  \"seed\": " + std::to_string(seed) + ",\n";
  j += "  \"env_steps\": " + std::to_string(trainer->env_steps()) + ",\n";
  j += "  \"iterations\": " + std::to_string(trainer->iterations()) + ",\n";
  j += "  \"wall_seconds\": " + json_number(wall) + ",\n";
  j += "  \"steps_per_second\": " + json_number(static_cast<double>(trainer->env_steps()) / std::max(wall, 1e-9)) + ",\n";
  j += evaluation_json(ev, det);
  j += "  \"cost_limit_per_step\": " + json_number(config.use_cost ? config.multiplier.budget : NAN) + ",\n";
  j += "  \"final_nu\": " + json_number(trainer->nu());
  if (expert) {
    // The kept expert, judged again on fresh true-env episodes.
    const EvalResult ex = evaluate_policy(*best_policy, best_norm, entry.true_env, static_cast<int>(eval_episodes),
                                          seed ^ kEvalSeedOffset, false);
    j += ",\n  \"expert_iteration\": " + std::to_string(best_iteration);
    j += expert_json(ex);
    if (!quiet)
      std::fprintf(stderr, "[icrl expert %s] kept update %lld: true-env reward %.1f, violation rate %.2f -> %s/expert.ckpt\n",
                   env_name.c_str(), static_cast<long long>(best_iteration), ex.mean_return, ex.violation_rate,
                   out.c_str());
  }
  j += "\n}\n";
  dir.write_text("summary.json", j);
  if (!quiet)
    std::fprintf(stderr, "[icrl %s %s] done in %.2f s: reward %.1f (deterministic %.1f), episode cost %.3f, "
                 "violation rate %.2f -> %s/summary.json\n",
                 cmd, env_name.c_str(), wall, ev.mean_return, det.mean_return, ev.mean_cost, ev.violation_rate,
                 out.c_str());
}

template <class Entry>
void EvalJob::operator()(Entry entry) const {
  using Env = typename Entry::Env;
  PolicyFor<Env> policy;
  ObsNormalizer<Env::kObsDim> obs_norm;
  load_policy_file(policy_path, env_name, policy, obs_norm);
  const EvalResult r = evaluate_policy(policy, obs_norm, entry.prototype, static_cast<int>(episodes), seed,
                                       deterministic);
  std::printf("{\"env\": %s, \"policy\": %s, \"episodes\": %d, \"deterministic\": %s, \"reward\": %s, "
              "\"reward_std\": %s, \"cost\": %s, \"violation_rate\": %s, \"feasible_reward\": %s, "
              "\"mean_length\": %s}\n",
              json_quote(env_name).c_str(), json_quote(policy_path).c_str(), r.episodes,
              deterministic ? "true" : "false", json_number(r.mean_return).c_str(),
              json_number(r.std_return).c_str(), json_number(r.mean_cost).c_str(),
              json_number(r.violation_rate).c_str(), json_number(r.feasible_return).c_str(),
              json_number(r.mean_length).c_str());
}

template <class Entry>
void DemosJob::operator()(Entry entry) const {
  using Env = typename Entry::Env;
  PolicyFor<Env> policy;
  ObsNormalizer<Env::kObsDim> obs_norm;
  load_policy_file(policy_path, env_name, policy, obs_norm);
  const int attempts = static_cast<int>(feasible_only ? 10 * episodes : episodes);
  Demonstrations d = record_demonstrations(policy, obs_norm, entry.true_env, attempts, seed, deterministic);
  d.env = env_name;
  if (feasible_only) d = d.feasible_episodes(static_cast<int>(episodes));
  d.save(out);
  std::printf("%s\n", d.info_json().c_str());
}

}  // namespace icrl::cli
