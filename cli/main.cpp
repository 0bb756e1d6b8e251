// cli/main.cpp - the `icrl` program.
//
//   icrl train --env ENV --seed S --steps N [--cost-limit A] [--set key=value ...] --out DIR
//   icrl expert --env ENV --seed S [--steps N] [--set key=value ...] --out DIR
//   icrl expert --env grid:MAP|grid8:MAP --solver [--seed S] --out DIR   (cli/grid_expert.hpp)
//   icrl learn --env ENV [--method icrl|bc|gc] [--demos FILE] --seed S [--set key=value ...] --out DIR
//   icrl transfer --constraint FILE --env ENV --seed S [--set key=value ...] --out DIR
//   icrl eval  --env ENV --policy FILE [--episodes K] [--seed S] [--deterministic]
//   icrl demos --env ENV --policy FILE --episodes M --out FILE.demos [--seed S] [--deterministic]
//   icrl demos --info FILE.demos          icrl demos --export FILE.demos --format csv|npy --out PATH
//   icrl demos --import FILE.csv|PREFIX_observations.npy --env ENV --out FILE.demos
//   icrl export --policy FILE [--constraint FILE] --out NAME.hpp       (cli/export.cpp)
//   icrl envs
//
// Each command checks its flags here and hands a job (cli/jobs.hpp) to with_env; what the job
// does with the environment is in cli/ppo_jobs.hpp and cli/icrl_jobs.hpp.
//
// Exit status: 0 success, 1 a run or a file failed (the message names the file and the fix),
// 2 bad command line (the message lists what is accepted).
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include "args.hpp"
#include "envs.hpp"
#include "export.hpp"
#include "jobs.hpp"
#include "learn.hpp"
#include "tabular.hpp"
#include "icrl/checkpoint.hpp"
#include "icrl/demonstrations.hpp"
#include "icrl/error.hpp"
#include "icrl/text_format.hpp"
#include "output.hpp"
#include "ppo_settings.hpp"
#include "run_files.hpp"

namespace icrl::cli {
namespace {

// ---- icrl train ------------------------------------------------------------------------------
const std::vector<FlagSpec> kTrainFlags = {
    {"env", true, false, "environment (see `icrl envs`)"},
    {"seed", true, false, "random seed, 0 .. 2147483647 (default 1)"},
    {"steps", true, false, "environment steps to train for (default: the env's preset)"},
    {"cost-limit", true, false, "budget alpha: allowed mean per-step cost (same as --set cost_limit=A)"},
    {"set", true, true, "override a hyperparameter, key=value (keys: see config.txt)"},
    {"eval-episodes", true, false, "final evaluation episodes, >= 20 (default 20)"},
    {"out", true, false, "output directory: config.txt, command.txt, progress.csv, state.ckpt, policy.ckpt, summary.json"},
    kResumeFlag,
    kQuietFlag,
    kVerboseFlag,
};

// icrl expert: the same training in the nominal env with the true cost and budget 0, judged every
// --eval-every updates in the true env (a violation ends the episode); the best policy so far is
// kept in DIR/expert.ckpt.
const std::vector<FlagSpec> kExpertFlags = {
    {"env", true, false, "environment (see `icrl envs`)"},
    {"seed", true, false, "random seed, 0 .. 2147483647 (default 1)"},
    {"steps", true, false, "environment steps to train for (default: the env's preset)"},
    {"set", true, true, "override a hyperparameter, key=value (keys: see config.txt)"},
    {"eval-every", true, false, "updates between true-env evaluations (default 1)"},
    {"eval-episodes", true, false, "episodes of the final expert evaluation, >= 20 (default 20)"},
    {"out", true, false, "output directory: config.txt, command.txt, progress.csv, state.ckpt, expert.ckpt, policy.ckpt, summary.json"},
    kResumeFlag,
    kQuietFlag,
    kVerboseFlag,
    {"solver", false, false, "grid envs: solve exactly and distil the solver's policy instead of PPO"},
};

// icrl expert --solver (grid maps only): the true env solved exactly and the solver's policy
// distilled into the policy network (cli/grid_expert.hpp), no PPO. Writes expert.ckpt and
// policy.ckpt (the same policy) and summary.json with the PPO expert's keys.
int solver_expert(const Args& args) {
  const std::string env_name = args.required("env");
  if (!is_grid_name(env_name))
    throw UsageError("--solver: env '" + env_name + "' is not a grid map; --solver takes grid:MAP or grid8:MAP "
                     "(e.g. grid8:rooms8); drop --solver to train the expert with PPO");
  for (const char* flag : {"steps", "set", "eval-every"})
    if (args.has(flag))
      throw UsageError(std::string("--") + flag + " sets up PPO and does not apply with --solver; drop one of them");
  const std::string out = args.required("out");
  const std::uint64_t seed = args.seed("seed", 1);
  const std::int64_t eval_episodes = args.integer("eval-episodes", 20, 20, 100000);
  with_env(env_name, SolverExpertJob{env_name, out, seed, eval_episodes, args.has("quiet")});
  return 0;
}

int train(int argc, char** argv, bool expert) {
  const RecordedCommand cmdline = resolve_command(expert ? "expert" : "train", argc, argv);
  const Args args = parse_recorded(cmdline, expert ? kExpertFlags : kTrainFlags);
  if (expert && args.has("solver")) return solver_expert(args);  // seconds: --resume runs it again
  const std::string env_name = args.required("env");
  const std::string out = args.required("out");
  const std::uint64_t seed = args.seed("seed", 1);
  const std::int64_t eval_episodes = args.integer("eval-episodes", 20, 20, 100000);
  const std::int64_t eval_every = args.integer("eval-every", 1, 1, 1000000);
  const bool quiet = args.has("quiet");
  with_env(env_name, TrainJob{cmdline, args, env_name, out, seed, eval_episodes, eval_every, quiet, expert});
  return 0;
}

// ---- icrl eval -------------------------------------------------------------------------------
const std::vector<FlagSpec> kEvalFlags = {
    {"env", true, false, "environment the policy was trained on"},
    {"policy", true, false, "policy file written by icrl train (policy.ckpt)"},
    {"episodes", true, false, "episodes to run (default 20)"},
    {"seed", true, false, "seed of the evaluation episodes (default 0)"},
    {"deterministic", false, false, "act with the mean / most likely action instead of sampling"},
};

int eval(int argc, char** argv) {
  const Args args("eval", kEvalFlags, argc, argv, 2);
  const std::string env_name = args.required("env");
  const std::string policy_path = args.required("policy");
  const std::int64_t episodes = args.integer("episodes", 20, 1, 1000000);
  const std::uint64_t seed = args.seed("seed", 0);
  const bool deterministic = args.has("deterministic");
  with_env(env_name, EvalJob{env_name, policy_path, episodes, seed, deterministic});
  return 0;
}

// ---- icrl demos ------------------------------------------------------------------------------
const std::vector<FlagSpec> kDemosFlags = {
    {"env", true, false, "record: environment of the policy"},
    {"policy", true, false, "record: policy file written by icrl train or icrl expert"},
    {"episodes", true, false, "record: episodes to record (default 20)"},
    {"seed", true, false, "record: seed of the episodes (default 0)"},
    {"deterministic", false, false, "record: act with the mean / most likely action"},
    {"feasible-only", false, false, "record: keep only episodes without a violation (up to 10x attempts)"},
    {"out", true, false, "record: the .demos file to write; export: the CSV file or .npy prefix"},
    {"info", true, false, "print a summary of a .demos file as one JSON object"},
    {"export", true, false, "convert a .demos file for Python: with --format and --out"},
    {"import", true, false, "convert a CSV file (header episode,t,obs_0..,act_0..[,reward][,cost]) or PREFIX_observations.npy "
                            "(with _actions, _episode[, _rewards, _costs].npy) into --out FILE.demos for --env"},
    {"format", true, false, "export format: csv or npy (default csv)"},
};

int demos(int argc, char** argv) {
  const Args args("demos", kDemosFlags, argc, argv, 2);
  if (args.has("info")) {
    std::printf("%s\n", Demonstrations::load(args.get("info")).info_json().c_str());
    return 0;
  }
  if (args.has("export")) {
    const Demonstrations d = Demonstrations::load(args.get("export"));
    const std::string format = args.get("format", "csv"), out = args.required("out");
    if (format == "csv") d.export_csv(out);
    else if (format == "npy") d.export_npy(out);
    else throw UsageError("--format needs csv or npy, got '" + format + "'");
    std::fprintf(stderr, "icrl demos: wrote %s%s\n", out.c_str(), format == "npy" ? "_{observations,actions,rewards,costs,episode}.npy" : "");
    return 0;
  }
  if (args.has("import")) {
    const std::string env_name = args.required("env"), out = args.required("out");
    int obs_dim = 0, act_dim = 0;
    with_env(env_name, [&](auto entry) {
      using Env = typename decltype(entry)::Env;
      obs_dim = Env::kObsDim;
      act_dim = Env::kDiscrete ? 1 : Env::kActDim;
    });
    const std::string in = args.get("import");
    auto ends_with = [&](const std::string& suffix) {
      return in.size() >= suffix.size() && in.compare(in.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    if (!ends_with(".csv") && !ends_with(".npy"))
      throw UsageError("--import reads FILE.csv or PREFIX_observations.npy (with PREFIX_actions.npy and "
                       "PREFIX_episode.npy beside it), got '" + in + "'");
    const Demonstrations d = ends_with(".csv") ? Demonstrations::import_csv(in, env_name, obs_dim, act_dim)
                                               : Demonstrations::import_npy(in, env_name, obs_dim, act_dim);
    d.save(out);
    std::printf("%s\n", d.info_json().c_str());
    return 0;
  }
  const std::string env_name = args.required("env");
  const std::string policy_path = args.required("policy");
  const std::string out = args.required("out");
  const std::int64_t episodes = args.integer("episodes", 20, 1, 1000000);
  const std::uint64_t seed = args.seed("seed", 0);
  with_env(env_name, DemosJob{env_name, policy_path, out, episodes, seed, args.has("deterministic"), args.has("feasible-only")});
  return 0;
}

int list_envs() {
  for (const auto& d : env_descriptions()) std::printf("%-22s %s\n", d.name, d.what);
  return 0;
}

std::string main_usage() {
  return "usage: icrl <command> [flags]\n"
         "commands:\n"
         "  train   train (Lagrangian) PPO on an environment and save the policy\n"
         "  expert  train an expert under the true constraint (budget 0), keep the best in the true env\n"
         "  learn   learn a constraint from demonstrations: ICRL (Algorithm 1) or the bc / gc baselines\n"
         "  suite   run icrl / bc / gc on every task and seed of a generated task family (grids, navigation)\n"
         "  transfer train PPO-Lagrangian in another env under a frozen learned constraint\n"
         "  eval    evaluate a saved policy\n"
         "  demos   record demonstrations with a policy; --info, --export for existing files\n"
         "  export  write a policy (and a learned constraint) as a self-contained C++ header for embedded use\n"
         "  envs    list the environments\n"
         "`icrl <command> --help` lists a command's flags.\n";
}

}  // namespace
}  // namespace icrl::cli

int main(int argc, char** argv) {
  using namespace icrl::cli;
  const std::string command = argc >= 2 ? argv[1] : "";
  const bool help = argc >= 3 && (std::string(argv[2]) == "--help" || std::string(argv[2]) == "-h");
  try {
    if (command == "train") {
      if (help) return std::fputs(usage_text("train", "--env ENV --out DIR [flags]", kTrainFlags).c_str(), stdout), 0;
      return train(argc, argv, false);
    }
    if (command == "expert") {
      if (help) return std::fputs(usage_text("expert", "--env ENV --out DIR [flags]", kExpertFlags).c_str(), stdout), 0;
      return train(argc, argv, true);
    }
    if (command == "eval") {
      if (help) return std::fputs(usage_text("eval", "--env ENV --policy FILE [flags]", kEvalFlags).c_str(), stdout), 0;
      return eval(argc, argv);
    }
    if (command == "demos") {
      if (help) return std::fputs(usage_text("demos", "--env ENV --policy FILE --out FILE.demos [flags] | --info FILE | --export FILE --out PATH | --import FILE.csv|PREFIX_observations.npy --env ENV --out FILE.demos", kDemosFlags).c_str(), stdout), 0;
      return demos(argc, argv);
    }
    if (command == "learn") {
      if (help) return std::fputs(learn_usage().c_str(), stdout), 0;
      return learn(argc, argv);
    }
    if (command == "suite") {
      if (help) return std::fputs(suite_usage().c_str(), stdout), 0;
      return suite(argc, argv);
    }
    if (command == "transfer") {
      if (help) return std::fputs(transfer_usage().c_str(), stdout), 0;
      return transfer(argc, argv);
    }
    if (command == "export") {
      if (help) return std::fputs(export_usage().c_str(), stdout), 0;
      return export_header_command(argc, argv);
    }
    if (command == "envs") return list_envs();
    if (command == "--help" || command == "-h" || command == "help") return std::fputs(main_usage().c_str(), stdout), 0;
    std::fprintf(stderr, "icrl: %s\n%s",
                 command.empty() ? "missing command" : ("unknown command '" + command + "'").c_str(),
                 main_usage().c_str());
    return 2;
  } catch (const UsageError& e) {
    std::fprintf(stderr, "icrl %s: error: %s\n(run `icrl %s --help` for the accepted flags)\n", command.c_str(),
                 e.what(), command.c_str());
    return 2;
  } catch (const icrl::Error& e) {
    std::fprintf(stderr, "icrl %s: error: %s\n", command.c_str(), e.what());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "icrl %s: unexpected failure: %s\n", command.c_str(), e.what());
    return 1;
  }
}
