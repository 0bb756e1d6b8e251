// cli/jobs.hpp - the per-environment work of each `icrl` command, as a job that with_env calls
// with the environment's compile-time entry (cli/envs.hpp).
//
// Why jobs and not lambdas: a generic lambda is compiled in the file that calls with_env, for
// every environment at once, and instantiating every trainer for every environment in one file
// took more than 3 GB of compiler memory. Here a command's file (main.cpp, learn.cpp) only fills
// in a job and calls with_env; the job's body (cli/ppo_jobs.hpp, cli/icrl_jobs.hpp) is compiled
// once per environment in cli/instances/<env>.cpp, which instantiates it explicitly, one heavy
// piece (a job, the trainer's rollout, its PPO update, or the ICRL outer iteration) per compile
// of that file (ICRL_CLI_PART; the list is in cli/instances/instance.hpp).
#pragma once

#include <cstdint>
#include <string>

#include "args.hpp"
#include "icrl/checkpoint.hpp"
#include "icrl/icrl_method.hpp"
#include "run_files.hpp"

namespace icrl::cli {

// icrl train / icrl expert (PPO or PPO-Lagrangian; cli/ppo_jobs.hpp).
struct TrainJob {
  const RecordedCommand& cmdline;
  const Args& args;
  std::string env_name, out;
  std::uint64_t seed = 1;
  std::int64_t eval_episodes = 20, eval_every = 1;
  bool quiet = false;
  bool expert = false;  // icrl expert: true cost, budget 0, best policy kept by true-env return
  template <class Entry> void operator()(Entry entry) const;
};

// icrl expert --solver on a grid map: solve exactly, distil into the policy network.
struct SolverExpertJob {
  std::string env_name, out;
  std::uint64_t seed = 1;
  std::int64_t eval_episodes = 20;
  bool quiet = false;
  template <class Entry> void operator()(Entry entry) const;
};

// icrl eval: run a saved policy, print one JSON object.
struct EvalJob {
  std::string env_name, policy_path;
  std::int64_t episodes = 20;
  std::uint64_t seed = 0;
  bool deterministic = false;
  template <class Entry> void operator()(Entry entry) const;
};

// icrl demos (recording): run a saved policy in the true env, save the episodes.
struct DemosJob {
  std::string env_name, policy_path, out;
  std::int64_t episodes = 20;
  std::uint64_t seed = 0;
  bool deterministic = false, feasible_only = false;
  template <class Entry> void operator()(Entry entry) const;
};

// How a learn or transfer run talks to its directory and terminal.
struct RunIo {
  const RecordedCommand& cmdline;
  bool quiet = false, verbose = false;
};

// icrl learn --forward ppo: Algorithm 1 (or a baseline) with the PPO-Lagrangian forward step
// (cli/icrl_jobs.hpp). Called for the ICRL envs only.
struct LearnJob {
  const Args& args;
  const RunIo& io;
  std::string env_name, out, demos_path;
  std::uint64_t seed = 1;
  IcrlMethod method = IcrlMethod::icrl;
  bool x_only = false;  // --zeta-inputs x
  template <class Entry> void operator()(Entry entry) const;
};

// icrl transfer: PPO-Lagrangian under a frozen learned constraint. Called for the ICRL envs only.
struct TransferJob {
  const Args& args;
  const RunIo& io;
  const CheckpointReader& file;  // the constraint file, opened and checked by the command
  std::string env_name, out, constraint_path;
  std::uint64_t seed = 1;
  template <class Entry> void operator()(Entry entry) const;
};

}  // namespace icrl::cli
