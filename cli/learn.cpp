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
// and ends exactly as the uninterrupted run would have (icrl/run_dir.hpp, cli/run_files.hpp). The per-env defaults are
// SPEC 5's (icrl/presets.hpp). This file checks the flags and hands a job to with_env; the
// run itself is cli/icrl_jobs.hpp.
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
#include "icrl/icrl_trainer.hpp"
#include "jobs.hpp"
#include "output.hpp"
#include "ppo_settings.hpp"
#include "run_files.hpp"
#include "tabular.hpp"

namespace icrl::cli {
namespace {

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
      integer("nominal_memory", [](IcrlConfig& c) -> int& { return c.nominal_memory; }, 1, 1000,
              "S holds the nominal episodes of the last this many outer iterations (1: Algorithm 1)"),
      real("demo_starts", [](IcrlConfig& c) -> double& { return c.demo_starts; },
           "probability that a forward-step episode starts in a state of the demonstrations (0: Algorithm 1)"),
      integer("eval_episodes", [](IcrlConfig& c) -> int& { return c.eval_episodes; }, 1, 100000, "true-env episodes behind the reward"),
      integer("backward_iters", [](IcrlConfig& c) -> int& { return c.update.backward_iterations; }, 1, 100000,
              "B: zeta updates per outer iteration (at most)"),
      real("zeta_lr", [](IcrlConfig& c) -> double& { return c.update.lr; }, "lr_0 of zeta's Adam"),
      real("zeta_anneal", [](IcrlConfig& c) -> double& { return c.update.anneal; }, "lr_i = lr_0 anneal^i"),
      real("regularizer", [](IcrlConfig& c) -> double& { return c.update.regularizer; }, "delta of eq. (8)"),
      real("pin_zeta", [](IcrlConfig& c) -> double& { return c.update.pin_zeta; },
           "zeta's level: the pin_quantile-quantile of zeta on the expert's pairs is held at this value (0: off)"),
      real("pin_quantile", [](IcrlConfig& c) -> double& { return c.update.pin_quantile; }, "see pin_zeta"),
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
      IcrlSetting{"cost", "what the forward step pays for zeta: one_minus_zeta, neg_log_zeta, expert_relative or expert_indicator",
                  [](const IcrlConfig& c) { return std::string(learned_cost_name(c.cost)); },
                  [](IcrlConfig& c, const std::string& v) {
                    if (!parse_learned_cost(v, c.cost))
                      throw UsageError("--set cost needs one_minus_zeta, neg_log_zeta, expert_relative or expert_indicator, got '" + v + "'");
                  }},
      real("expert_quantile", [](IcrlConfig& c) -> double& { return c.expert_quantile; },
           "cost expert_relative / expert_indicator: the quantile of log zeta on the expert's pairs that costs nothing"),
      IcrlSetting{"expert_budget", "the forward step's budget = the mean learned cost of the expert's steps, each outer iteration",
                  [](const IcrlConfig& c) { return std::string(c.expert_budget ? "true" : "false"); },
                  [](IcrlConfig& c, const std::string& v) { c.expert_budget = parse_bool("--set expert_budget", v); }},
      real("log_zeta_reward", [](IcrlConfig& c) -> double& { return c.log_zeta_reward; },
           "w > 0: the forward step is plain PPO on r + w log(zeta + 1e-5) (eqs. (1)-(5), 1/beta = w); 0: PPO-Lagrangian on the cost"),
  };
  return table;
}

}  // namespace

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

namespace {

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

  with_icrl_env(env_name, LearnJob{args, io, env_name, out, demos_path, seed, method_id, inputs == "x"});
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

  with_icrl_env(env_name, TransferJob{args, io, file, env_name, out, path, seed});
  return 0;
}

std::string learn_usage() { return usage_text("learn", "--env ENV --out DIR [flags]", kLearnFlags); }
std::string transfer_usage() { return usage_text("transfer", "--constraint FILE --env ENV --out DIR [flags]", kTransferFlags); }

}  // namespace icrl::cli
