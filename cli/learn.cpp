// cli/learn.cpp - `icrl learn` (ICRL and the two baselines, Algorithm 1) and `icrl transfer`
// (PPO-Lagrangian under a frozen learned constraint, SPEC 7).
//
//   icrl learn --env ENV [--method icrl|bc|gc] [--demos FILE] [--seed S] [--set key=value ...] --out DIR
//   icrl transfer --constraint FILE --env ENV [--seed S] [--set key=value ...] --out DIR
//
// Both write into DIR: config.txt (every resolved setting), command.txt (the command line),
// progress.csv (one row per outer iteration), state.ckpt (the whole training state),
// constraint.ckpt and policy.ckpt (all three rewritten atomically after every outer iteration)
// and summary.json. `--resume DIR` continues a killed run from its last complete outer iteration
// and ends exactly as the uninterrupted run would have (run_files.hpp). The per-env defaults are
// SPEC 5's (icrl_preset_for below).
#include "learn.hpp"

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

#include "args.hpp"
#include "envs.hpp"
#include "icrl_presets.hpp"
#include "envs/learned_map.hpp"
#include "icrl/constraint_net.hpp"
#include "icrl/demonstrations.hpp"
#include "icrl/icrl_trainer.hpp"
#include "output.hpp"
#include "ppo_settings.hpp"
#include "run_files.hpp"
#include "tabular.hpp"

namespace icrl::cli {
namespace {

// The environments ICRL runs on (SPEC 6); the classic-control envs only validate PPO.
template <class Env>
constexpr bool kIcrlEnv = !std::is_same_v<Env, envs::Pendulum> && !std::is_same_v<Env, envs::CartPole> &&
                          !std::is_same_v<Env, envs::PendulumConstrained> &&
                          !std::is_same_v<Env, envs::CartPoleConstrained>;

constexpr const char* envs_box2d_names() {
#ifdef ICRL_HAVE_BOX2D
  return ", cheetah, ant or ant-broken";
#else
  return " (Box2D envs: not in this build)";
#endif
}

// Calls f(entry) for an ICRL env; a UsageError for the others.
template <class F>
void with_icrl_env(const std::string& name, F&& f) {
  with_env(name, [&](auto entry) {
    if constexpr (kIcrlEnv<typename decltype(entry)::Env>) {
      f(entry);
    } else {
      throw UsageError("env '" + name + "' is a PPO test env without a constraint to learn; use lap-grid, grid:MAP, "
                       "grid8:MAP, point-circle" + std::string(envs_box2d_names()));
    }
  });
}
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

// ---- --set keys of the outer loop and of zeta --------------------------------------------
struct IcrlSetting {
  std::string key, comment;
  std::function<std::string(const IcrlConfig&)> get;
  std::function<void(IcrlConfig&, const std::string&)> set;
};

const std::vector<IcrlSetting>& icrl_settings() {
  auto integer = [](const char* key, auto field, std::int64_t lo, std::int64_t hi, const char* comment) {
    return IcrlSetting{key, comment, [field](const IcrlConfig& c) { return std::to_string(field(const_cast<IcrlConfig&>(c))); },
                       [=](IcrlConfig& c, const std::string& v) {
                         field(c) = static_cast<std::remove_reference_t<decltype(field(c))>>(
                             parse_integer(std::string("--set ") + key, v, lo, hi));
                       }};
  };
  auto real = [](const char* key, auto field, const char* comment) {
    return IcrlSetting{key, comment, [field](const IcrlConfig& c) { return format_number(field(const_cast<IcrlConfig&>(c))); },
                       [=](IcrlConfig& c, const std::string& v) { field(c) = parse_number(std::string("--set ") + key, v); }};
  };
  static const std::vector<IcrlSetting> table = {
      integer("outer_iters", [](IcrlConfig& c) -> int& { return c.outer_iterations; }, 1, 100000, "N: outer iterations of Algorithm 1"),
      integer("forward_steps", [](IcrlConfig& c) -> std::int64_t& { return c.forward_steps; }, 1, std::int64_t{1} << 40,
              "F: PPO env steps per outer iteration (rounded up to whole rollouts)"),
      integer("nominal_episodes", [](IcrlConfig& c) -> int& { return c.nominal_episodes; }, 1, 100000,
              "M: nominal episodes sampled per outer iteration (default: the expert episodes)"),
      integer("eval_episodes", [](IcrlConfig& c) -> int& { return c.eval_episodes; }, 1, 100000, "true-env episodes behind the reward"),
      integer("backward_iters", [](IcrlConfig& c) -> int& { return c.update.backward_iterations; }, 1, 100000,
              "B: zeta updates per outer iteration (at most)"),
      real("zeta_lr", [](IcrlConfig& c) -> double& { return c.update.lr; }, "lr_0 of zeta's Adam"),
      real("zeta_anneal", [](IcrlConfig& c) -> double& { return c.update.anneal; }, "lr_i = lr_0 anneal^i"),
      real("regularizer", [](IcrlConfig& c) -> double& { return c.update.regularizer; }, "delta of eq. (8)"),
      IcrlSetting{"importance", "eq. (10) weights: episode, step or off",
                  [](const IcrlConfig& c) { return std::string(importance_mode_name(c.update.importance)); },
                  [](IcrlConfig& c, const std::string& v) {
                    if (!parse_importance_mode(v, c.update.importance))
                      throw UsageError("--set importance needs episode, step or off, got '" + v + "'");
                  }},
      IcrlSetting{"early_stopping", "eq. (12) KL early stopping of the backward loop",
                  [](const IcrlConfig& c) { return std::string(c.update.early_stopping ? "true" : "false"); },
                  [](IcrlConfig& c, const std::string& v) { c.update.early_stopping = parse_bool("--set early_stopping", v); }},
      real("kl_forward_limit", [](IcrlConfig& c) -> double& { return c.update.kl_forward_limit; }, "eps_F: stop when KL(old||new) exceeds it"),
      real("kl_reverse_limit", [](IcrlConfig& c) -> double& { return c.update.kl_reverse_limit; }, "eps_R: stop when KL(new||old) exceeds it"),
      real("entropy_anneal", [](IcrlConfig& c) -> double& { return c.entropy_anneal; },
           "the forward step's entropy bonus in outer iteration i is entropy_coef anneal^i"),
  };
  return table;
}

// Routes `key=value` to the outer loop's table, else to PPO's (which lists its keys on error).
void apply_any_setting(IcrlConfig& ic, PpoConfig& pc, const std::string& assignment) {
  const auto eq = assignment.find('=');
  if (eq != std::string::npos) {
    const std::string key = assignment.substr(0, eq);
    for (const auto& s : icrl_settings())
      if (s.key == key) return s.set(ic, assignment.substr(eq + 1));
  }
  try {
    apply_setting(pc, assignment);
  } catch (const UsageError& e) {
    std::string keys;
    for (const auto& s : icrl_settings()) keys += (keys.empty() ? "" : ", ") + s.key;
    throw UsageError(std::string(e.what()) + "; outer-loop keys: " + keys);
  }
}

std::string describe_icrl(const IcrlConfig& c) {
  std::string s;
  for (const auto& e : icrl_settings()) {
    std::string line = e.key + " = " + e.get(c);
    if (line.size() < 40) line.resize(40, ' ');
    s += line + "  # " + e.comment + "\n";
  }
  return s;
}

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

const std::vector<FlagSpec> kLearnFlags = {
    {"env", true, false, "environment (see `icrl envs`)"},
    {"method", true, false, "icrl (default), bc (binary classifier) or gc (GAIL-constraint)"},
    {"forward", true, false, "the forward step: exact (soft value iteration; default on lap-grid and grid maps) or ppo (PPO-Lagrangian; default elsewhere)"},
    {"demos", true, false, "expert demonstrations (default: the shipped envs/data/<env>.demos)"},
    {"seed", true, false, "random seed, 0 .. 2147483647 (default 1)"},
    {"zeta-inputs", true, false, "zeta's inputs: all (observation and action, default) or x (observation 0 only; for transfer)"},
    {"set", true, true, "override a setting, key=value (keys: see config.txt)"},
    {"out", true, false, "output directory: config.txt, command.txt, progress.csv, state.ckpt, constraint.ckpt, policy.ckpt, summary.json"},
    kResumeFlag,
    kQuietFlag,
    kVerboseFlag,
};

const std::vector<FlagSpec> kTransferFlags = {
    {"constraint", true, false, "learned constraint (constraint.ckpt written by icrl learn)"},
    {"env", true, false, "environment to train in (see `icrl envs`)"},
    {"seed", true, false, "random seed, 0 .. 2147483647 (default 1)"},
    {"set", true, true, "override a setting, key=value (keys: see config.txt)"},
    {"out", true, false, "output directory: config.txt, command.txt, progress.csv, state.ckpt, constraint.ckpt, policy.ckpt, summary.json"},
    kResumeFlag,
    kQuietFlag,
    kVerboseFlag,
};

// The OuterStats fields behind summary.json, kept in state.ckpt so that a run resumed after its
// last iteration still writes the summary of the uninterrupted run.
constexpr int kLastStats = 9;
std::vector<double> pack(const OuterStats& s) {
  return {static_cast<double>(s.iteration), static_cast<double>(s.env_steps), s.wall_seconds, s.reward, s.reward_std,
          s.violations, s.violation_rate, s.feasible_reward, s.nu};
}
OuterStats unpack(const std::vector<double>& v) {
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

// How a run talks to its directory and terminal.
struct RunIo {
  const RecordedCommand& cmdline;
  bool quiet = false, verbose = false;
};

// Runs Algorithm 1 (or the frozen-constraint training of transfer) and writes DIR's files.
template <class Entry, class ZetaNet>
void run(const std::string& cmd, const Entry& entry, const std::string& env_name, IcrlConfig ic, PpoConfig pc,
         std::uint64_t seed, const ZetaNet& zeta, const Demonstrations* demos, const std::string& demos_path,
         const std::string& extra_config, const std::string& out, const RunIo& io) {
  using Trainer = IcrlTrainer<envs::VecEnv<typename Entry::Env, Entry::kNumEnvs>, Entry::kChunk, ZetaNet>;
  try {
    Trainer::validated(ic);
    Trainer::Agent::check_config(Trainer::agent_config(pc, ic));
  } catch (const Error& e) {
    throw UsageError(std::string(e.what()) + " (change it with --set)");
  }
  auto trainer = std::make_unique<Trainer>(ic, pc, seed, entry.prototype, entry.true_env, zeta, demos, demos_path);

  make_out_dir(out);
  std::string header = "# icrl " + cmd + ": every resolved setting of this run\nenv = " + env_name +
                       "\nmethod = " + (ic.freeze_constraint ? std::string("transfer") : method_name(ic.method)) +
                       "\nseed = " + std::to_string(seed) + "\n" + extra_config + "# " + zeta.describe() +
                       "\nnum_envs = " + std::to_string(Entry::kNumEnvs) + "  # compile-time (cli/envs.hpp)\n";
  const std::string config_text = header + describe_icrl(ic) + describe_config(Trainer::agent_config(pc, ic));
  const std::string config_path = out + "/config.txt", state_path = out + "/state.ckpt";

  // A resumed run continues from DIR/state.ckpt (none yet: killed during the first iteration,
  // start over); a fresh one drops any state an earlier run left in DIR.
  std::int64_t progress_bytes = -1;
  OuterStats s;
  const bool resume = io.cmdline.resume && std::filesystem::exists(state_path);
  if (resume) {
    if (read_text_file(config_path) != config_text)
      throw Error("cannot resume: '" + config_path + "' differs from the settings this program derives from '" + out +
                  "/command.txt' (another icrl version, or changed demonstrations?); start the run again without --resume");
    const CheckpointReader state = CheckpointReader::open(state_path, Trainer::kStateFileKind);
    trainer->load_state(state);
    progress_bytes = state.read_int("cli.progress_bytes");
    s = unpack(read_stats(state, "cli.last", kLastStats));
  } else {
    std::error_code ec;
    std::filesystem::remove(state_path, ec);
    record_command(io.cmdline);
    write_text_atomic(config_path, config_text);
  }

  ProgressTable progress(out + "/progress.csv",
                         "iteration,env_steps,wall_seconds,reward,reward_std,violations,violation_rate,feasible_reward,nu,"
                         "learned_cost,backward_iters_done,kl_forward,kl_reverse,zeta_expert,zeta_nominal,zeta_loss",
                         progress_bytes);
  ProgressLine line(io.quiet, io.verbose);
  line.start(trainer->iterations_done(), s.env_steps);
  if (resume && line.enabled())
    std::fprintf(stderr, "[icrl %s %s] resuming %s after outer iteration %d of %d\n", cmd.c_str(), env_name.c_str(),
                 out.c_str(), trainer->iterations_done(), ic.outer_iterations);
  while (trainer->iterations_done() < ic.outer_iterations) {
    try {
      s = trainer->outer_iteration();
    } catch (const Error& e) {
      throw Error(std::string(e.what()) + (std::filesystem::exists(state_path)
                                               ? "; the last good state is '" + state_path + "' (resume with --resume " + out + ")"
                                               : std::string()));
    }
    progress.row(std::to_string(s.iteration) + "," + std::to_string(s.env_steps) + "," + csv_number(s.wall_seconds) + "," +
                 csv_number(s.reward) + "," + csv_number(s.reward_std) + "," + csv_number(s.violations) + "," +
                 csv_number(s.violation_rate) + "," + csv_number(s.feasible_reward) + "," + csv_number(s.nu) + "," +
                 csv_number(s.learned_cost) + "," + std::to_string(s.backward.iterations_done) + "," +
                 csv_number(s.backward.kl_forward) + "," + csv_number(s.backward.kl_reverse) + "," +
                 csv_number(s.backward.zeta_expert) + "," + csv_number(s.backward.zeta_nominal) + "," +
                 csv_number(s.backward.loss_last));
    trainer->save_constraint(out + "/constraint.ckpt");
    trainer->save_policy(out + "/policy.ckpt", env_name);  // `icrl eval --env ENV` reads it back
    CheckpointWriter state(Trainer::kStateFileKind);  // the commit point of this iteration
    trainer->save_state(state);
    state.add_int("cli.progress_bytes", progress.bytes());
    add_stats(state, "cli.last", pack(s));
    state.save(state_path);
    char details[256];
    std::snprintf(details, sizeof details, "reward %.1f  violations %.4f  nu %.2f  cost 1-zeta %.3f  backward %d (KL %.3f/%.3f)",
                  s.reward, s.violations, s.nu, s.learned_cost, s.backward.iterations_done, s.backward.kl_forward,
                  s.backward.kl_reverse);
    line.print("[icrl " + cmd + " " + env_name + " " + (ic.freeze_constraint ? "transfer" : method_name(ic.method)) + "]",
               s.iteration, ic.outer_iterations, s.env_steps, details);
  }
  progress.close();

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
  write_text_atomic(out + "/summary.json", j);

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
typename ZetaNet::Features x_only() {
  typename ZetaNet::Features f{};
  f[0] = ConstraintFeature::obs(0);
  return f;
}

}  // namespace

std::string shipped_demos(const std::string& env) {
  std::string f = env;
  for (auto& ch : f)
    if (ch == ':' || ch == '/') ch = '-';
  return std::string(ICRL_DATA_DIR) + "/" + f + ".demos";
}

int learn(int argc, char** argv) {
  const RecordedCommand cmdline = resolve_command("learn", argc, argv);
  const Args args = parse_recorded(cmdline, kLearnFlags);
  const RunIo io{cmdline, args.has("quiet"), args.has("verbose")};
  const std::string env_name = args.required("env");
  const std::string out = args.required("out");
  const std::uint64_t seed = args.seed("seed", 1);
  const std::string method = args.get("method", "icrl");
  const std::string inputs = args.get("zeta-inputs", "all");
  IcrlMethod method_id = IcrlMethod::icrl;
  if (!parse_method(method, method_id))
    throw UsageError("--method must be icrl, bc or gc, got '" + method + "'");
  if (inputs != "all" && inputs != "x") throw UsageError("--zeta-inputs must be all or x, got '" + inputs + "'");
  const std::string forward = args.get("forward", is_tabular_env(env_name) ? "exact" : "ppo");
  if (forward != "exact" && forward != "ppo") throw UsageError("--forward must be exact or ppo, got '" + forward + "'");
  if (forward == "exact") {
    if (!is_tabular_env(env_name))
      throw UsageError("--forward exact needs a tabular env (lap-grid, grid:MAP, grid8:MAP), not '" + env_name + "'");
    if (inputs != "all") throw UsageError("--zeta-inputs belongs to --forward ppo (the exact step learns a table)");
    return learn_tabular(env_name, method, args.get("demos", ""), seed, args.all("set"), cmdline, io.quiet);
  }
  const std::string demos_path = args.get("demos", shipped_demos(env_name));

  with_icrl_env(env_name, [&](auto entry) {
    using Entry = decltype(entry);
    using Env = typename Entry::Env;
    const Demonstrations demos = Demonstrations::load(demos_path, env_name);
    IcrlConfig ic = icrl_preset_for(env_name);
    ic.method = method_id;
    ic.nominal_episodes = demos.episodes();  // M = number of expert episodes (SPEC 5)
    if (ic.method == IcrlMethod::bc) {       // SPEC 4: no IS, no early stopping, no regulariser
      ic.update.loss = ConstraintLoss::bce;
      ic.update.importance = ImportanceMode::off;
      ic.update.early_stopping = false;
      ic.update.regularizer = 0.0;
    }
    PpoConfig pc = entry.preset;
    icrl_ppo_preset_for(env_name, pc);
    for (const auto& kv : args.all("set")) apply_any_setting(ic, pc, kv);
    const std::string extra = "demos = " + demos_path + "  # " + std::to_string(demos.episodes()) + " episodes, mean return " +
                              format_number(demos.mean_return()) + "\n";
    constexpr int kAll = default_constraint_inputs<Env>();
    if (inputs == "x") {
      // Only the ant learns an x-only constraint (for the transfer to point-circle, SPEC 7).
#ifdef ICRL_HAVE_BOX2D
      if constexpr (std::is_same_v<Env, envs::AntConstrained>) {
        ConstraintNet<1, 40, 40> zeta;
        zeta.configure(x_only<decltype(zeta)>(), Env::kObsDim, Env::kActDim, env_name);
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
  });
  return 0;
}

int transfer(int argc, char** argv) {
  const RecordedCommand cmdline = resolve_command("transfer", argc, argv);
  const Args args = parse_recorded(cmdline, kTransferFlags);
  const RunIo io{cmdline, args.has("quiet"), args.has("verbose")};
  const std::string env_name = args.required("env");
  const std::string out = args.required("out");
  const std::string path = args.required("constraint");
  const std::uint64_t seed = args.seed("seed", 1);
  const CheckpointReader file = CheckpointReader::open(path, kConstraintFileKind);
  const std::string arch = file.read_text("zeta.architecture");

  with_icrl_env(env_name, [&](auto entry) {
    using Entry = decltype(entry);
    using Env = typename Entry::Env;
    IcrlConfig ic = icrl_preset_for(env_name);
    ic.freeze_constraint = true;
    PpoConfig pc = entry.preset;
    icrl_ppo_preset_for(env_name, pc);
    for (const auto& kv : args.all("set")) apply_any_setting(ic, pc, kv);
    // The expert's reward in the target env, when its demonstrations are shipped.
    std::unique_ptr<Demonstrations> demos;
    if (std::filesystem::exists(shipped_demos(env_name)))
      demos = std::make_unique<Demonstrations>(Demonstrations::load(shipped_demos(env_name), env_name));
    const std::string extra = "constraint = " + path + "\n";
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
      throw Error(path + ": a constraint network '" + arch + "' cannot run in env '" + env_name +
                  "' (accepted: " + accepted + "); learn it with inputs this env has, e.g. icrl learn --zeta-inputs x");
  });
  return 0;
}

std::string learn_usage() { return usage_text("learn", "--env ENV --out DIR [flags]", kLearnFlags); }
std::string transfer_usage() { return usage_text("transfer", "--constraint FILE --env ENV --out DIR [flags]", kTransferFlags); }

}  // namespace icrl::cli
