// icrl/constraint_net.hpp - the constraint network zeta_theta(s, a) in (0, 1): a learned
// constraint as a first-class object (eq. (5) of the talk, SPEC section 2).
//
// zeta approximates the indicator "this state-action is allowed" (eq. (5)); the forward step
// pays the cost c(s, a) = 1 - zeta(s, a). The network is
//     x = phi(s, a) [In]   ->   ReLU MLP (Hidden...)   ->   one linear unit   ->   sigmoid
// where phi selects and clips its inputs (SPEC 2):
//     obs feature i      s_i clipped to [-20, 20]               (raw, unnormalised observations)
//     action feature j   a_j clipped to the env's action bounds (continuous actions)
//     one-hot k          [a == k]                               (discrete actions)
// The default selection is every observation dimension followed by every action dimension (or
// the one-hot of the discrete action). A narrower selection is what makes a constraint
// transferable (SPEC 7: ant -> point-circle uses the x coordinate only).
//
// A ConstraintNet is saved to and loaded from a `.ckpt` file of kind "CNST" (the container of
// checkpoint.hpp: magic, version, CRC-32), can be queried for zeta and the cost of any (s, a),
// and for the grid envs renders the learned map as text (cli/). The same class is the
// discriminator D of the GAIL-constraint baseline (SPEC 4), which has the identical shape.
//
// Shapes are compile-time: In inputs, widths Hidden...; batches are fixed-size chunks.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <string>

#include <Eigen/Core>

#include "icrl/checkpoint.hpp"
#include "icrl/error.hpp"
#include "icrl/mlp.hpp"
#include "icrl/rng.hpp"

namespace icrl {

inline constexpr const char* kConstraintFileKind = "CNST";
inline constexpr double kObsClip = 20.0;  // |s_i| <= 20 before zeta sees it (SPEC 2)

// One input of zeta: which number of (s, a) it reads and how it is clipped.
struct ConstraintFeature {
  enum Kind : int { kObs = 0, kAction = 1, kOneHot = 2 };
  int kind = kObs;
  int index = 0;       // kObs: observation dimension; kAction: action dimension; kOneHot: action value
  double low = -kObsClip, high = kObsClip;  // clip range (kOneHot: unused)

  static ConstraintFeature obs(int i) { return {kObs, i, -kObsClip, kObsClip}; }
  static ConstraintFeature action(int j, double lo, double hi) { return {kAction, j, lo, hi}; }
  static ConstraintFeature one_hot(int k) { return {kOneHot, k, 0.0, 1.0}; }

  // The feature's value for observation obs [>= index + 1] and action act (discrete: act[0] is
  // the action index as a number).
  float value(const double* obs, const double* act) const {
    switch (kind) {
      case kObs: return static_cast<float>(std::min(std::max(obs[index], low), high));
      case kAction: return static_cast<float>(std::min(std::max(act[index], low), high));
      default: return std::lround(act[0]) == index ? 1.0f : 0.0f;
    }
  }
  std::string describe() const {
    return kind == kObs ? "s" + std::to_string(index)
           : kind == kAction ? "a" + std::to_string(index)
                             : "[a=" + std::to_string(index) + "]";
  }
};

// Number of inputs of the default selection for an environment type: all observation
// dimensions, then all action dimensions (or one indicator per discrete action).
template <class Env>
constexpr int default_constraint_inputs() {
  return Env::kObsDim + (Env::kDiscrete ? Env::kNumActions : Env::kActDim);
}

template <int In, int... Hidden>
class ConstraintNet {
 public:
  static constexpr int kIn = In;
  using Net = Mlp<float, Activation::relu, Activation::sigmoid, In, Hidden..., 1>;
  template <int B> using Input = Eigen::Matrix<float, In, B>;  // [In, B] features phi(s, a)
  template <int B> using Row = Eigen::Matrix<float, 1, B>;     // [1, B] zeta per column
  template <int B> using Workspace = typename Net::template Workspace<B>;
  using Features = std::array<ConstraintFeature, In>;

  Net net;                 // x [In] -> zeta in (0, 1)
  Features features{};     // phi: what each input reads
  std::string env;         // the env it was learned in (information; transfer may change env)
  std::string method;      // "icrl", "bc" or "gc"
  int obs_dim = 0;         // observation size of that env: queries must supply at least the
  int act_dim = 0;         //   dimensions the features read

  // PyTorch's default Linear initialisation, U(-1/sqrt(fan_in), 1/sqrt(fan_in)): zeta starts
  // near 0.5 everywhere (the reference starts the same way).
  void init(Rng& rng) { net.init_fan_in_uniform(rng); }

  // The default selection for Env (see default_constraint_inputs).
  template <class Env>
  static Features default_features() {
    static_assert(In == default_constraint_inputs<Env>(), "In must be obs dim + action inputs for the default selection");
    Features f{};
    int i = 0;
    for (int d = 0; d < Env::kObsDim; ++d) f[i++] = ConstraintFeature::obs(d);
    if constexpr (Env::kDiscrete) {
      for (int k = 0; k < Env::kNumActions; ++k) f[i++] = ConstraintFeature::one_hot(k);
    } else {
      const auto lo = Env::action_low(), hi = Env::action_high();
      for (int j = 0; j < Env::kActDim; ++j) f[i++] = ConstraintFeature::action(j, lo(j), hi(j));
    }
    return f;
  }

  // Sets the selection and the dimensions of the env queries come from; checks every feature
  // reads a dimension that exists there (throws icrl::Error naming the feature).
  void configure(const Features& f, int env_obs_dim, int env_act_dim, const std::string& env_name) {
    check_features(f, env_obs_dim, env_act_dim, env_name, "constraint network");
    features = f;
    obs_dim = env_obs_dim;
    act_dim = env_act_dim;
    env = env_name;
  }

  // phi(s, a) into column `col` of x.
  template <typename Derived>
  void encode(const double* obs, const double* act, Eigen::MatrixBase<Derived>& x, Eigen::Index col) const {
    for (int i = 0; i < In; ++i) x(i, col) = features[i].value(obs, act);
  }

  // zeta for every column of x [In, B] (kept in ws).
  template <int B>
  const Row<B>& forward(const Input<B>& x, Workspace<B>& ws) const { return net.forward(x, ws); }

  // One query: zeta(s, a) for obs [obs_dim] and act [act_dim] (discrete: [index]). Uses a
  // workspace on the stack: no heap, safe to call from several threads on a const net.
  double zeta(const double* obs, const double* act) const {
    Input<1> x;
    encode(obs, act, x, 0);
    Workspace<1> ws;
    return static_cast<double>(net.forward(x, ws)(0));
  }
  // The cost the forward step pays, c(s, a) = 1 - zeta(s, a) (SPEC 2).
  double cost(const double* obs, const double* act) const { return 1.0 - zeta(obs, act); }

  // Checks that every feature reads a dimension of an env with the given sizes.
  static void check_features(const Features& f, int env_obs_dim, int env_act_dim, const std::string& env_name,
                             const std::string& what) {
    for (int i = 0; i < In; ++i) {
      const auto& ft = f[i];
      // A one-hot input reads the action index, act[0]: the env needs an action dimension.
      const bool ok = ft.kind == ConstraintFeature::kObs      ? ft.index >= 0 && ft.index < env_obs_dim
                      : ft.kind == ConstraintFeature::kAction ? ft.index >= 0 && ft.index < env_act_dim
                      : ft.kind == ConstraintFeature::kOneHot ? ft.index >= 0 && env_act_dim >= 1
                                                              : false;
      if (!ok)
        throw Error(what + ": input " + std::to_string(i) + " (" + ft.describe() + ") does not exist in env '" +
                    env_name + "' (" + std::to_string(env_obs_dim) + " observation dims, " +
                    std::to_string(env_act_dim) + " action dims): choose a constraint whose inputs the env has");
      if (!(ft.low <= ft.high))
        throw Error(what + ": input " + std::to_string(i) + " (" + ft.describe() + ") has the clip range [" +
                    std::to_string(ft.low) + ", " + std::to_string(ft.high) +
                    "] with low above high: give every input a range low <= high (read from a file: it is damaged; "
                    "re-run icrl learn)");
    }
  }

  // One line: architecture and inputs, e.g. "zeta: mlp relu/sigmoid 3 20 1 on s0 [a=0] [a=1]".
  std::string describe() const {
    std::string s = "zeta: " + Net::architecture() + " on";
    for (const auto& f : features) s += " " + f.describe();
    return s;
  }

  // ---- files -----------------------------------------------------------------------------
  // Entries: env, method, obs_dim, act_dim, features (i64 [In, 2]: kind, index), clip (f64
  // [In, 2]: low, high), zeta.architecture, zeta.theta.
  void save(CheckpointWriter& out) const {
    Eigen::Matrix<std::int64_t, In, 2> kinds;
    Eigen::Matrix<double, In, 2> clip;
    for (int i = 0; i < In; ++i) {
      kinds(i, 0) = features[i].kind;
      kinds(i, 1) = features[i].index;
      clip(i, 0) = features[i].low;
      clip(i, 1) = features[i].high;
    }
    out.add_text("env", env);
    out.add_text("method", method);
    out.add_int("obs_dim", obs_dim);
    out.add_int("act_dim", act_dim);
    out.add("features", kinds);
    out.add("clip", clip);
    net.save(out, "zeta.");
  }
  void save(const std::string& path) const {
    CheckpointWriter out(kConstraintFileKind);
    save(out);
    out.save(path);
  }
  // Verifies everything first; on any error *this is unchanged.
  void load(const CheckpointReader& in) {
    in.require_text("zeta.architecture", Net::architecture());
    Eigen::Matrix<std::int64_t, In, 2> kinds;
    Eigen::Matrix<double, In, 2> clip;
    in.read("features", kinds);
    in.read("clip", clip);
    const std::int64_t od = in.read_int("obs_dim"), ad = in.read_int("act_dim");
    if (od < 0 || od > 4096 || ad < 0 || ad > 4096)
      throw Error(in.origin() + ": entry 'obs_dim'/'act_dim' out of range: the file is damaged; re-run icrl learn");
    Features f{};
    for (int i = 0; i < In; ++i) {
      if (kinds(i, 0) < 0 || kinds(i, 0) > 2 || kinds(i, 1) < 0 || kinds(i, 1) > 4096)
        throw Error(in.origin() + ": entry 'features' row " + std::to_string(i) +
                    " is not a valid input (kind 0..2, index 0..4096): the file is damaged; re-run icrl learn");
      f[i] = ConstraintFeature{static_cast<int>(kinds(i, 0)), static_cast<int>(kinds(i, 1)), clip(i, 0), clip(i, 1)};
    }
    check_features(f, static_cast<int>(od), static_cast<int>(ad), in.read_text("env"), in.origin());
    ConstraintNet copy = *this;
    copy.net.load(in, "zeta.");
    copy.features = f;
    copy.env = in.read_text("env");
    copy.method = in.read_text("method");
    copy.obs_dim = static_cast<int>(od);
    copy.act_dim = static_cast<int>(ad);
    *this = copy;
  }
  static ConstraintNet load_file(const std::string& path) {
    ConstraintNet c;
    c.load(CheckpointReader::open(path, kConstraintFileKind));
    return c;
  }
};

}  // namespace icrl
