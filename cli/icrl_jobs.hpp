// cli/icrl_jobs.hpp - the bodies of the jobs of `icrl learn --forward ppo` and `icrl transfer`
// (cli/jobs.hpp): Algorithm 1 (icrl/icrl_trainer.hpp) with the PPO-Lagrangian forward step, or
// PPO-Lagrangian under a frozen learned constraint, and the files it writes into DIR (see
// cli/learn.cpp). Included only by cli/instances/*.cpp, each of which compiles them for one
// environment.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

#include "envs.hpp"
#include "envs/learned_map.hpp"
#include "icrl/constraint_net.hpp"
#include "icrl/demonstrations.hpp"
#include "icrl/icrl_trainer.hpp"
#include "icrl/presets.hpp"
#include "jobs.hpp"
#include "learn.hpp"
#include "output.hpp"
#include "ppo_settings.hpp"
#include "run_files.hpp"

namespace icrl::cli {
namespace icrl_jobs {


// The zeta shapes a frozen constraint may have when transferred into Env (SPEC 7): the env's
// own default inputs, and into point-circle also the ant's x-only constraint.
template <class Env>
struct TransferShapes {
  using type = std::tuple<typename ZetaFor<Env, default_constraint_inputs<Env>()>::type>;
};
template <>
struct TransferShapes<envs::PointCircleConstrained> {
  using type = std::tuple<ConstraintNet<default_constraint_inputs<envs::PointCircleConstrained>(), 20>, ConstraintNet<1, 40, 40>>;
};

// The learned map for the tabular envs, nothing for the others.
template <class Env, class ZetaNet>
std::string learned_map_text(const Env& env, const ZetaNet& zeta) {
  if constexpr (std::is_same_v<typename Env::Base, envs::LapGrid> || std::is_same_v<typename Env::Base, envs::GridWorld<4>> ||
                std::is_same_v<typename Env::Base, envs::GridWorld<8>>) {
    return envs::learned_map(env.base(), zeta);
  } else {
    return "";
  }
}

// The OuterStats fields behind summary.json, kept in state.ckpt so that a run resumed after its
// last iteration still writes the summary of the uninterrupted run.
constexpr int kLastStats = 9;
inline std::vector<double> pack(const OuterStats& s) {
  return {static_cast<double>(s.iteration), static_cast<double>(s.env_steps), s.wall_seconds, s.reward, s.reward_std,
          s.violations, s.violation_rate, s.feasible_reward, s.nu};
}
inline OuterStats unpack(const std::vector<double>& v) {
  OuterStats s;
  s.iteration = static_cast<int>(v[0]);
  s.env_steps = static_cast<std::int64_t>(v[1]);
  s.wall_seconds = v[2];
  s.reward = v[3];
  s.reward_std = v[4];
  s.violations = v[5];
  s.violation_rate = v[6];
  s.feasible_reward = v[7];
  s.nu = v[8];
  return s;
}

// Runs Algorithm 1 (or the frozen-constraint training of transfer) and writes DIR's files.
template <class Entry, class ZetaNet>
void run(const std::string& cmd, const Entry& entry, const std::string& env_name, IcrlConfig ic, PpoConfig pc,
         std::uint64_t seed, const ZetaNet& zeta, const Demonstrations* demos, const std::string& demos_path,
         const std::string& extra_config, const std::string& out, const RunIo& io) {
  using Trainer = IcrlTrainer<envs::VecEnv<typename Entry::Env, Entry::kNumEnvs>, Entry::kChunk, ZetaNet>;
  try {
    ic = Trainer::resolved(Trainer::validated(ic), demos);  // as the trainer will run it
    Trainer::Agent::check_config(Trainer::agent_config(pc, ic));
  } catch (const Error& e) {
    throw UsageError(std::string(e.what()) + " (change it with --set)");
  }
  auto trainer = std::make_unique<Trainer>(ic, pc, seed, entry.prototype, entry.true_env, zeta, demos, demos_path);

  std::string header = "# icrl " + cmd + ": every resolved setting of this run\nenv = " + env_name +
                       "\nmethod = " + (ic.freeze_constraint ? std::string("transfer") : method_name(ic.method)) +
                       "\nseed = " + std::to_string(seed) + "\n" + extra_config + "# " + zeta.describe() +
                       "\nnum_envs = " + std::to_string(Entry::kNumEnvs) + "  # compile-time (cli/envs.hpp)\n";
  const std::string config_text = header + describe_icrl(ic) + describe_config(Trainer::agent_config(pc, ic));

  // The run directory (icrl/run_dir.hpp): a resumed run continues from DIR/state.ckpt (none yet:
  // killed during the first iteration, start over); a fresh one records its command line.
  make_out_dir(out);
  RunDir dir(out, config_text, Trainer::kStateFileKind, io.cmdline.resume);
  OuterStats s;
  const bool resume = dir.resumed();
  if (resume) {
    trainer->load_state(dir.state());
    s = unpack(read_stats(dir.state(), "cli.last", kLastStats));
  } else {
    record_command(io.cmdline);
  }
  dir.open_progress("iteration,env_steps,wall_seconds,reward,reward_std,violations,violation_rate,feasible_reward,nu,"
                    "learned_cost,backward_iters_done,kl_forward,kl_reverse,zeta_expert,zeta_nominal,zeta_loss");
  ProgressLine line(io.quiet, io.verbose);
  line.start(trainer->iterations_done(), s.env_steps);
  if (resume && line.enabled())
    std::fprintf(stderr, "[icrl %s %s] resuming %s after outer iteration %d of %d\n", cmd.c_str(), env_name.c_str(),
                 out.c_str(), trainer->iterations_done(), ic.outer_iterations);
  while (trainer->iterations_done() < ic.outer_iterations) {
    try {
      s = trainer->outer_iteration();
    } catch (const Error& e) {
      const std::string last = dir.last_state();
      throw Error(std::string(e.what()) +
                  (last.empty() ? std::string() : "; the last good state is '" + last + "' (resume with --resume " + out + ")"));
    }
    dir.progress_row(std::to_string(s.iteration) + "," + std::to_string(s.env_steps) + "," + csv_number(s.wall_seconds) + "," +
                 csv_number(s.reward) + "," + csv_number(s.reward_std) + "," + csv_number(s.violations) + "," +
                 csv_number(s.violation_rate) + "," + csv_number(s.feasible_reward) + "," + csv_number(s.nu) + "," +
                 csv_number(s.learned_cost) + "," + std::to_string(s.backward.iterations_done) + "," +
                 csv_number(s.backward.kl_forward) + "," + csv_number(s.backward.kl_reverse) + "," +
                 csv_number(s.backward.zeta_expert) + "," + csv_number(s.backward.zeta_nominal) + "," +
                 csv_number(s.backward.loss_last));
    trainer->save_constraint(out + "/constraint.ckpt");
    trainer->save_policy(out + "/policy.ckpt", env_name);  // `icrl eval --env ENV` reads it back
    CheckpointWriter state(Trainer::kStateFileKind);
    trainer->save_state(state);
    add_stats(state, "cli.last", pack(s));
    dir.commit(state);  // the commit point of this iteration
    char details[256];
    std::snprintf(details, sizeof details, "reward %.1f  violations %.4f  nu %.2f  cost 1-zeta %.3f  backward %d (KL %.3f/%.3f)",
                  s.reward, s.violations, s.nu, s.learned_cost, s.backward.iterations_done, s.backward.kl_forward,
                  s.backward.kl_reverse);
    line.print("[icrl " + cmd + " " + env_name + " " + (ic.freeze_constraint ? "transfer" : method_name(ic.method)) + "]",
               s.iteration, ic.outer_iterations, s.env_steps, details);
  }
  dir.close();

  std::string j = "{\n";
  j += "  \"env\": " + json_quote(env_name) + ",\n";
  j += "  \"method\": " + json_quote(ic.freeze_constraint ? "transfer" : method_name(ic.method)) + ",\n";
  if (ic.freeze_constraint) {
    j += "  \"constraint_env\": " + json_quote(trainer->constraint().env) + ",\n";
    j += "  \"constraint_method\": " + json_quote(trainer->constraint().method) + ",\n";
  }
  j += "  \"seed\": " + std::to_string(seed) + ",\n";
  j += "  \"env_steps\": " + std::to_string(s.env_steps) + ",\n";
  j += "  \"wall_seconds\": " + json_number(s.wall_seconds) + ",\n";
  j += "  \"outer_iterations\": " + std::to_string(s.iteration) + ",\n";
  j += "  \"eval_episodes\": " + std::to_string(ic.eval_episodes) + ",\n";
  j += "  \"nominal_episodes\": " + std::to_string(ic.nominal_episodes) + ",\n";
  j += "  \"reward\": " + json_number(s.reward) + ",\n";
  j += "  \"reward_std\": " + json_number(s.reward_std) + ",\n";
  j += "  \"violations\": " + json_number(s.violations) + ",\n";
  j += "  \"violation_rate\": " + json_number(s.violation_rate) + ",\n";
  j += "  \"feasible_reward\": " + json_number(s.feasible_reward) + ",\n";
  j += "  \"nu\": " + json_number(s.nu) + ",\n";
  j += "  \"expert_reward\": " + json_number(trainer->expert_reward()) + "\n}\n";
  dir.write_text("summary.json", j);

  const std::string map = learned_map_text(entry.prototype, trainer->constraint());
  if (!map.empty()) std::printf("%s", map.c_str());
  std::printf("%s %s (%s, seed %llu): reward %.1f (expert %.1f), violations %.4f of nominal steps, "
              "%lld env steps in %.1f s -> %s\n",
              env_name.c_str(), ic.freeze_constraint ? "transfer" : method_name(ic.method), zeta.describe().c_str(),
              static_cast<unsigned long long>(seed), s.reward, trainer->expert_reward(), s.violations,
              static_cast<long long>(s.env_steps), s.wall_seconds, out.c_str());
}

// The (obs dim, action inputs) selection of --zeta-inputs x: observation 0 only.
template <class ZetaNet>
typename ZetaNet::Features x_only_features() {
  typename ZetaNet::Features f{};
  f[0] = ConstraintFeature::obs(0);
  return f;
}

}  // namespace icrl_jobs

template <class Entry>
void LearnJob::operator()(Entry entry) const {
  using namespace icrl_jobs;
  using Env = typename Entry::Env;
  const Demonstrations demos = Demonstrations::load(demos_path, env_name);
  IcrlConfig ic = icrl_preset(env_name, method);  // icrl/presets.hpp; M = the expert's episodes
  PpoConfig pc = entry.preset;
  icrl_forward_preset(env_name, pc);
  for (const auto& kv : args.all("set")) apply_any_setting(ic, pc, kv);
  const std::string extra = "demos = " + demos_path + "  # " + std::to_string(demos.episodes()) + " episodes, mean return " +
                            format_number(demos.mean_return()) + "\n";
  constexpr int kAll = default_constraint_inputs<Env>();
  if (x_only) {
    // Only the ant learns an x-only constraint (for the transfer to point-circle, SPEC 7).
#ifdef ICRL_HAVE_BOX2D
    if constexpr (std::is_same_v<Env, envs::AntConstrained>) {
      ConstraintNet<1, 40, 40> zeta;
      zeta.configure(x_only_features<decltype(zeta)>(), Env::kObsDim, Env::kActDim, env_name);
      run(std::string("learn"), entry, env_name, ic, pc, seed, zeta, &demos, demos_path, extra, out, io);
      return;
    }
#endif
    throw UsageError("--zeta-inputs x is built for env ant only (the constraint transferred to point-circle)");
  } else {
    typename ZetaFor<Env, kAll>::type zeta;
    zeta.configure(decltype(zeta)::template default_features<Env>(), Env::kObsDim, Env::kDiscrete ? 1 : Env::kActDim,
                   env_name);
    run(std::string("learn"), entry, env_name, ic, pc, seed, zeta, &demos, demos_path, extra, out, io);
  }
}

template <class Entry>
void TransferJob::operator()(Entry entry) const {
  using namespace icrl_jobs;
  using Env = typename Entry::Env;
  const std::string arch = file.read_text("zeta.architecture");
  IcrlConfig ic = icrl_preset(env_name);
  ic.freeze_constraint = true;
  PpoConfig pc = entry.preset;
  icrl_forward_preset(env_name, pc);
  for (const auto& kv : args.all("set")) apply_any_setting(ic, pc, kv);
  // The expert's reward in the target env, when its demonstrations are shipped.
  std::unique_ptr<Demonstrations> demos;
  if (std::filesystem::exists(shipped_demos(env_name)))
    demos = std::make_unique<Demonstrations>(Demonstrations::load(shipped_demos(env_name), env_name));
  const std::string extra = "constraint = " + constraint_path + "\n";
  bool done = false;
  std::string accepted;
  // zeta shapes the target env can run: its own default inputs, or observation 0 only, with
  // either hidden width.
  auto attempt = [&](auto proto) {
    using Z = decltype(proto);
    accepted += (accepted.empty() ? "" : ", ") + Z::Net::architecture();
    if (done || Z::Net::architecture() != arch) return;
    Z zeta;
    zeta.load(file);
    run(std::string("transfer"), entry, env_name, ic, pc, seed, zeta, demos.get(),
        demos ? shipped_demos(env_name) : std::string(), extra, out, io);
    done = true;
  };
  std::apply([&](auto... shapes) { (attempt(shapes), ...); }, typename TransferShapes<Env>::type{});
  if (!done)
    throw Error(constraint_path + ": a constraint network '" + arch + "' cannot run in env '" + env_name +
                "' (accepted: " + accepted + "); learn it with inputs this env has, e.g. icrl learn --zeta-inputs x");
}

}  // namespace icrl::cli
