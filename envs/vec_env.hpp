// envs/vec_env.hpp - E copies of one environment stepped in lockstep, with automatic reset.
//
// SPEC section 3: a rollout runs E parallel copies of the env (reference: 5) for n_steps each.
// VecEnv<Env, E> owns the E copies and one icrl::Rng per copy. Each step() advances every copy by
// one action; a copy whose episode ends (terminated or truncated) is reset at once, so the
// returned observation is always the one to act on next. The last observation of the finished
// episode is kept in final_obs, because GAE bootstraps V(s_T) through a time-limit truncation
// (SPEC section 3) and s_T is no longer the copy's current observation after the reset.
//
// Seeding: reset_all(seed) gives copy i the generator Rng(seed, i) - the same seed, stream i.
// Copy i's whole sequence of episodes therefore depends only on (seed, i) and its own actions,
// not on E: VecEnv<Env, 5> copy 0 replays exactly like a single Env reset with Rng(seed, 0).
//
// Storage is fixed-size (std::array and fixed Eigen matrices); step() never allocates.
//
// A start hook (set_start_hook) may move a copy to another state right after each of its resets,
// drawing from the copy's generator: ICRL's demonstration starts (icrl_trainer.hpp) use it.
//
// Checkpoints: save()/load() hold every copy's episode state (Env::save_state, env.hpp), its
// generator and episode statistics and the last step's outputs, so a VecEnv loaded into a
// fresh object continues exactly as the saved one would have.
#pragma once

#include <Eigen/Core>

#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>

#include "env.hpp"
#include "icrl/checkpoint.hpp"
#include "icrl/error.hpp"
#include "icrl/rng.hpp"

namespace icrl::envs {

// Called after every reset of a copy (reset_all and the automatic resets of step()); may load
// another state into env and must then write its observation into obs. Draws only from rng, the
// copy's generator, so a run stays a function of its seed.
template <class Env>
class StartHook {
 public:
  virtual ~StartHook() = default;
  virtual void on_start(Env& env, icrl::Rng& rng, typename Env::Obs& obs) = 0;
};

template <class Env, int E>
class VecEnv {
  static_assert(E >= 1, "VecEnv needs at least one copy");
  static_assert(check_env<Env>(),
                "VecEnv: Env does not provide the environment interface (env.hpp)");

 public:
  using EnvType = Env;  // the environment each copy is
  static constexpr int kNumEnvs = E;
  static constexpr int kObsDim = Env::kObsDim;

  using Obs = typename Env::Obs;
  using Action = typename Env::Action;
  using Actions = std::array<Action, E>;               // one action per copy
  using ObsBatch = Eigen::Matrix<double, kObsDim, E>;  // column i = copy i's observation
  using Column = Eigen::Matrix<double, E, 1>;          // one scalar per copy
  using StartHookType = StartHook<Env>;
  // Env can start from a recorded observation (env.hpp, state_of_observation): what a start hook
  // that replays demonstrations needs.
  static constexpr bool kCanStartFromObservation = has_state_of_observation_v<Env>;

  // Summary of one finished episode of one copy.
  struct EpisodeStats {
    double ret = 0.0;         // undiscounted sum of rewards
    double cost = 0.0;        // undiscounted sum of costs
    int length = 0;           // number of steps
    bool terminated = false;  // ended in a terminal state
    bool truncated = false;   // ended by the time limit
  };

  // Result of one lockstep step(); column / entry i belongs to copy i.
  struct Step {
    ObsBatch obs = ObsBatch::Zero();        // observation to act on next: where done(i), the new
                                            // episode's first observation
    ObsBatch final_obs = ObsBatch::Zero();  // s_{t+1} of the transition just taken: where done(i)
                                            // the finished episode's last observation (before the
                                            // reset), elsewhere equal to obs
    Column reward = Column::Zero();         // reward of the transition
    Column cost = Column::Zero();           // cost of the transition
    std::array<bool, E> terminated{};       // the transition reached a terminal state
    std::array<bool, E> truncated{};        // the time limit ended the episode
    bool done(int i) const { return terminated[i] || truncated[i]; }
  };

  // All copies start as copies of prototype (carrying e.g. a constrained variant's config).
  explicit VecEnv(const Env& prototype = Env()) { envs_.fill(prototype); }

  // Seeds copy i with Rng(seed, i), resets every copy and clears all episode statistics.
  // Returns the first observations [kObsDim, E].
  const ObsBatch& reset_all(std::uint64_t seed) {
    for (int i = 0; i < E; ++i) {
      rngs_[i] = icrl::Rng(seed, static_cast<std::uint64_t>(i));
      result_.obs.col(i) = start(i);
      running_[i] = EpisodeStats{};
      last_[i] = EpisodeStats{};
      finished_[i] = 0;
    }
    result_.final_obs = result_.obs;
    result_.reward.setZero();
    result_.cost.setZero();
    result_.terminated.fill(false);
    result_.truncated.fill(false);
    started_ = true;
    return result_.obs;
  }

  // Steps copy i with actions[i] for every i; auto-resets finished copies (see Step).
  const Step& step(const Actions& actions) {
    ICRL_ASSERT(started_);  // call reset_all(seed) first
    for (int i = 0; i < E; ++i) {
      const StepResult<kObsDim> r = envs_[i].step(actions[i]);
      result_.final_obs.col(i) = r.obs;
      result_.reward(i) = r.reward;
      result_.cost(i) = r.cost;
      result_.terminated[i] = r.terminated;
      result_.truncated[i] = r.truncated;

      EpisodeStats& ep = running_[i];
      ep.ret += r.reward;
      ep.cost += r.cost;
      ep.length += 1;
      if (r.terminated || r.truncated) {
        ep.terminated = r.terminated;
        ep.truncated = r.truncated;
        last_[i] = ep;
        ++finished_[i];
        ep = EpisodeStats{};
        result_.obs.col(i) = start(i);
      } else {
        result_.obs.col(i) = r.obs;
      }
    }
    return result_;
  }

  const ObsBatch& obs() const { return result_.obs; }  // current observations [kObsDim, E]
  const Step& last_step() const { return result_; }    // what the last step() returned

  // The most recently finished episode of copy i (all zero before the first one finishes).
  const EpisodeStats& last_episode(int i) const { return last_[i]; }
  // The episode copy i is in now, so far.
  const EpisodeStats& running_episode(int i) const { return running_[i]; }
  // How many episodes copy i has finished since reset_all.
  long episodes_finished(int i) const { return finished_[i]; }

  // Under `<prefix>venv.`: state [kStateDim, E], rng [4, E] (int64 bits), episode statistics
  // [running ret, cost, length, flags; last ...; finished] [9, E], last step's obs / final_obs
  // [kObsDim, E] and reward, cost, terminated, truncated [4, E].
  void save(CheckpointWriter& out, const std::string& prefix) const {
    const std::string p = prefix + "venv.";
    Eigen::Matrix<double, Env::kStateDim, E> st;
    Eigen::Matrix<std::int64_t, 4, E> rng;
    Eigen::Matrix<double, 9, E> ep;
    Eigen::Matrix<double, 4, E> last;
    for (int i = 0; i < E; ++i) {
      envs_[i].save_state(st.col(i).data());
      const icrl::Rng::State r = rngs_[i].save_state();
      for (int k = 0; k < 4; ++k) std::memcpy(&rng(k, i), &r.words[k], sizeof(std::uint64_t));
      ep.col(i) << running_[i].ret, running_[i].cost, running_[i].length, flags(running_[i]), last_[i].ret,
          last_[i].cost, last_[i].length, flags(last_[i]), static_cast<double>(finished_[i]);
      last.col(i) << result_.reward(i), result_.cost(i), result_.terminated[i] ? 1.0 : 0.0,
          result_.truncated[i] ? 1.0 : 0.0;
    }
    out.add(p + "state", st);
    out.add(p + "rng", rng);
    out.add(p + "episodes", ep);
    out.add(p + "obs", result_.obs);
    out.add(p + "final_obs", result_.final_obs);
    out.add(p + "last_step", last);
    out.add_int(p + "started", started_ ? 1 : 0);
  }
  // Checks every entry first (shapes, finite values, counts); on error *this is unchanged except
  // for a failure inside an env's load_state, which names the field.
  void load(const CheckpointReader& in, const std::string& prefix) {
    const std::string p = prefix + "venv.";
    in.require<double>(p + "state", Env::kStateDim, E);
    in.require<std::int64_t>(p + "rng", 4, E);
    in.require<double>(p + "episodes", 9, E);
    in.require<double>(p + "obs", kObsDim, E);
    in.require<double>(p + "final_obs", kObsDim, E);
    in.require<double>(p + "last_step", 4, E);
    Eigen::Matrix<double, Env::kStateDim, E> st;
    Eigen::Matrix<std::int64_t, 4, E> rng;
    Eigen::Matrix<double, 9, E> ep;
    Eigen::Matrix<double, 4, E> last;
    in.read(p + "state", st);
    in.read(p + "rng", rng);
    in.read(p + "episodes", ep);
    in.read(p + "last_step", last);
    ObsBatch obs, final_obs;
    in.read(p + "obs", obs);
    in.read(p + "final_obs", final_obs);
    const bool started = in.read_int(p + "started") != 0;
    auto count = [&](double v, const char* field) {
      if (!(v >= 0 && v <= 2147483647.0) || v != std::floor(v))
        throw Error("'" + in.origin() + "': entry '" + p + "episodes' field " + field +
                    " is not a count; the file was not written by icrl");
      return v;
    };
    for (int i = 0; i < E; ++i) {
      for (int k : {2, 3, 6, 7, 8}) count(ep(k, i), "length/flags/finished");
      envs_[i].load_state(st.col(i).data());
    }
    for (int i = 0; i < E; ++i) {
      icrl::Rng::State r{};
      for (int k = 0; k < 4; ++k) std::memcpy(&r.words[k], &rng(k, i), sizeof(std::uint64_t));
      rngs_[i].load_state(r);
      running_[i] = episode_from(ep.col(i).template segment<4>(0));
      last_[i] = episode_from(ep.col(i).template segment<4>(4));
      finished_[i] = static_cast<long>(ep(8, i));
      result_.reward(i) = last(0, i);
      result_.cost(i) = last(1, i);
      result_.terminated[i] = last(2, i) != 0;
      result_.truncated[i] = last(3, i) != 0;
    }
    result_.obs = obs;
    result_.final_obs = final_obs;
    started_ = started;
  }

  // Every later reset of a copy is followed by hook->on_start (nullptr: none). Not owned; not
  // part of the checkpoint (the owner sets it again after load).
  void set_start_hook(StartHookType* hook) { start_hook_ = hook; }

  Env& env(int i) { return envs_[i]; }  // copy i
  const Env& env(int i) const { return envs_[i]; }
  icrl::Rng& rng(int i) { return rngs_[i]; }  // copy i's generator (checkpoints)
  const icrl::Rng& rng(int i) const { return rngs_[i]; }

 private:
  // A new episode of copy i: reset, then the start hook; returns its first observation.
  Obs start(int i) {
    Obs o = envs_[i].reset(rngs_[i]);
    if (start_hook_) start_hook_->on_start(envs_[i], rngs_[i], o);
    return o;
  }
  static double flags(const EpisodeStats& e) { return (e.terminated ? 1.0 : 0.0) + (e.truncated ? 2.0 : 0.0); }
  static EpisodeStats episode_from(const Eigen::Matrix<double, 4, 1>& v) {
    EpisodeStats e;
    e.ret = v(0);
    e.cost = v(1);
    e.length = static_cast<int>(v(2));
    e.terminated = (static_cast<int>(v(3)) & 1) != 0;
    e.truncated = (static_cast<int>(v(3)) & 2) != 0;
    return e;
  }

  std::array<Env, E> envs_;                // the copies
  std::array<icrl::Rng, E> rngs_;          // rngs_[i] = Rng(seed, i) after reset_all
  Step result_;                            // the last step's outputs, returned by reference
  std::array<EpisodeStats, E> running_{};  // the episode in progress, per copy
  std::array<EpisodeStats, E> last_{};     // the last finished episode, per copy
  std::array<long, E> finished_{};         // finished episodes since reset_all, per copy
  bool started_ = false;                   // reset_all has been called
  StartHookType* start_hook_ = nullptr;    // moves a copy after its reset (not owned)
};

}  // namespace icrl::envs
