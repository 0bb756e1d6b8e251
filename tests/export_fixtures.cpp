// tests/export_fixtures.cpp - build-time generator for tests/test_export_header.cpp: exports three
// policy/constraint pairs with icrl::export_header and writes, for the same random inputs, what
// the icrl library itself computes, so the header test can compare the two (within 1e-5).
//
//   export_fixtures SOURCE_DIR OUT_DIR
//
// The pairs (every constraint is the library's random init, saved with ConstraintNet::save; the
// synthetic and lap-grid ones, whose inputs are small, have their weights scaled by 2 and 3 so
// that zeta spans (0, 1) instead of staying near 0.5):
//   export_pc    the shipped point-circle expert (Gaussian, observation normalisation on), the
//                env's action box, zeta on every observation and action dim (ConstraintNet<6, 20>)
//   export_norm  a random Gaussian policy, 5 observations -> 3 actions, normalisation with wide
//                random statistics (the +-10 clip is hit), no action box, zeta on s3 and a1 only
//                with two hidden layers (ConstraintNet<2, 40, 40>: a transfer-style selection)
//   export_lap   the shipped lap-grid expert (categorical, 2 actions), zeta on s0, [a=0], [a=1]
// Inputs reach past every clip range (observations past +-20, actions past the box). Outputs go
// to OUT_DIR/export_expected.hpp as constexpr arrays in namespace expected::<pair>.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "envs/lap_grid.hpp"
#include "envs/point_circle.hpp"
#include "icrl/constraint_net.hpp"
#include "icrl/error.hpp"
#include "icrl/export.hpp"
#include "icrl/policy.hpp"
#include "icrl/ppo_lagrangian.hpp"
#include "icrl/rng.hpp"
#include "icrl/running_stats.hpp"

namespace {

constexpr int kSamples = 16;

// Inputs and library outputs of one pair, as the text of a namespace.
class Expected {
 public:
  explicit Expected(const std::string& name) { text_ = "namespace " + name + " {\n"; }
  // `inline constexpr float NAME[kSamples][cols]` (cols 0: [kSamples]) from values [kSamples * max(cols, 1)].
  void floats(const std::string& name, const float* values, int cols) {
    text_ += "inline constexpr float " + name + "[kSamples]" + (cols ? "[" + std::to_string(cols) + "]" : "") + " = {";
    for (int i = 0; i < kSamples * std::max(cols, 1); ++i) {
      text_ += (i ? ", " : "") + std::string(cols && i % cols == 0 ? "{" : "") + icrl::float_literal(values[i]) +
               (cols && i % cols == cols - 1 ? "}" : "");
    }
    text_ += "};\n";
  }
  void ints(const std::string& name, const int* values) {
    text_ += "inline constexpr int " + name + "[kSamples] = {";
    for (int i = 0; i < kSamples; ++i) text_ += (i ? ", " : "") + std::to_string(values[i]);
    text_ += "};\n";
  }
  std::string text() const { return text_ + "}  // namespace\n"; }

 private:
  std::string text_;
};

// A float drawn from U(lo, hi), so the library and the header see the same input.
float draw(icrl::Rng& rng, double lo, double hi) { return static_cast<float>(rng.uniform(lo, hi)); }

template <class Zeta>
void save_scaled_constraint(Zeta& z, std::uint64_t seed, float scale, const typename Zeta::Features& features, int obs_dim,
                            int act_dim, const std::string& env, const std::string& path) {
  icrl::Rng rng(seed, 0u);
  z.init(rng);
  z.net.theta *= scale;
  z.configure(features, obs_dim, act_dim, env);
  z.method = "icrl";
  z.save(path);
}

// icrl::export_header of a policy and a constraint file, with the action box low/high if known.
void export_pair(const std::string& policy_path, const std::string& zeta_path, const std::string& header,
                 std::vector<double> low = {}, std::vector<double> high = {}) {
  icrl::HeaderExport spec;
  spec.policy_path = policy_path;
  spec.constraint_path = zeta_path;
  spec.action_low = std::move(low);
  spec.action_high = std::move(high);
  icrl::export_header(spec, header);
}

// The library's deterministic action for obs: the saved normalisation, then the policy's act().
template <class Policy, int O>
void library_act(const Policy& policy, const icrl::ObsNormalizer<O>& norm, const float* obs, float* out) {
  Eigen::Matrix<double, O, 1> s;
  for (int i = 0; i < O; ++i) s(i) = obs[i];
  Eigen::Matrix<float, O, 1> x;
  norm.normalize(s, x);
  typename Policy::template Workspace<1> ws;
  typename Policy::template ActBatch<1> a;
  typename Policy::template Row<1> logp;
  icrl::Rng unused(0u, 0u);
  policy.act(x, ws, unused, true, a, logp);
  for (int j = 0; j < Policy::kActStore; ++j) out[j] = a(j, 0);
}

template <class Zeta>
float library_zeta(const Zeta& z, const float* obs, int obs_dim, const float* act, int act_dim) {
  double s[16], a[16];
  for (int i = 0; i < obs_dim; ++i) s[i] = obs[i];
  for (int j = 0; j < act_dim; ++j) a[j] = act[j];
  return static_cast<float>(z.zeta(s, a));
}

// export_pc: the point-circle expert, its action box, zeta on all 6 inputs.
std::string point_circle(const std::string& src, const std::string& out) {
  using Env = icrl::envs::PointCircle;
  constexpr int O = Env::kObsDim, A = Env::kActDim;
  const std::string policy_path = src + "/envs/data/point-circle.expert.ckpt";
  auto policy = std::make_unique<icrl::GaussianPolicy<O, A>>();
  icrl::ObsNormalizer<O> norm;
  icrl::load_policy_file(policy_path, Env::kName, *policy, norm);
  if (!norm.enabled) throw icrl::Error(policy_path + ": expected observation normalisation on (the test relies on it)");
  auto zeta = std::make_unique<icrl::ConstraintNet<O + A, 20>>();
  const std::string zeta_path = out + "/pc.constraint.ckpt";
  save_scaled_constraint(*zeta, 11, 1.0f, decltype(zeta)::element_type::default_features<Env>(), O, A, Env::kName, zeta_path);

  const Env::Action low = Env::action_low(), high = Env::action_high();
  export_pair(policy_path, zeta_path, out + "/export_pc.hpp", {low(0), low(1)}, {high(0), high(1)});

  icrl::Rng rng(21u, 0u);
  float obs[kSamples][O], act[kSamples][A], mean[kSamples][A], clipped[kSamples][A], z[kSamples];
  for (int k = 0; k < kSamples; ++k) {
    const double th = rng.uniform(-4.0, 4.0);
    obs[k][0] = draw(rng, -30.0, 30.0);
    obs[k][1] = draw(rng, -30.0, 30.0);
    obs[k][2] = static_cast<float>(std::cos(th));
    obs[k][3] = static_cast<float>(std::sin(th));
    for (int j = 0; j < A; ++j) act[k][j] = draw(rng, -0.6, 0.6);
    library_act(*policy, norm, obs[k], mean[k]);
    for (int j = 0; j < A; ++j)
      clipped[k][j] = static_cast<float>(std::min(std::max(static_cast<double>(mean[k][j]), Env::action_low()(j)),
                                                  Env::action_high()(j)));
    z[k] = library_zeta(*zeta, obs[k], O, act[k], A);
  }
  Expected e("pc");
  e.floats("obs", &obs[0][0], O);
  e.floats("act", &act[0][0], A);
  e.floats("mean", &mean[0][0], A);
  e.floats("action", &clipped[0][0], A);
  e.floats("zeta", z, 0);
  return e.text();
}

// export_norm: a random policy with wide normalisation statistics, no box, a narrow zeta.
std::string normalised(const std::string& out) {
  constexpr int O = 5, A = 3;
  icrl::Rng rng(31u, 0u);
  auto policy = std::make_unique<icrl::GaussianPolicy<O, A>>();
  policy->init(rng, 0.0);
  policy->net.init_orthogonal(rng, std::sqrt(2.0), 1.0);  // a head of gain 1: means of order 1
  icrl::ObsNormalizer<O> norm;
  norm.enabled = true;
  for (int i = 0; i < O; ++i) {
    norm.stats.mean(i) = rng.uniform(-3.0, 3.0);
    norm.stats.var(i) = rng.uniform(0.1, 4.0);
  }
  norm.stats.count = 1000.0;
  const std::string policy_path = out + "/norm.policy.ckpt";
  icrl::save_policy_file(policy_path, "synthetic", *policy, norm);
  using Zeta = icrl::ConstraintNet<2, 40, 40>;
  auto zeta = std::make_unique<Zeta>();
  const std::string zeta_path = out + "/norm.constraint.ckpt";
  save_scaled_constraint(*zeta, 32, 2.0f, {icrl::ConstraintFeature::obs(3), icrl::ConstraintFeature::action(1, -0.5, 0.7)},
                         O, A, "synthetic", zeta_path);

  export_pair(policy_path, zeta_path, out + "/export_norm.hpp");

  float obs[kSamples][O], act[kSamples][A], mean[kSamples][A], z[kSamples];
  for (int k = 0; k < kSamples; ++k) {
    for (int i = 0; i < O; ++i) obs[k][i] = draw(rng, -25.0, 25.0);
    for (int j = 0; j < A; ++j) act[k][j] = draw(rng, -1.0, 1.0);
    library_act(*policy, norm, obs[k], mean[k]);
    z[k] = library_zeta(*zeta, obs[k], O, act[k], A);
  }
  Expected e("norm");
  e.floats("obs", &obs[0][0], O);
  e.floats("act", &act[0][0], A);
  e.floats("mean", &mean[0][0], A);
  e.floats("zeta", z, 0);
  return e.text();
}

// export_lap: the lap-grid expert (categorical), zeta on s0 and the one-hot action.
std::string lap_grid(const std::string& src, const std::string& out) {
  using Env = icrl::envs::LapGrid;
  constexpr int O = Env::kObsDim, K = Env::kNumActions;
  const std::string policy_path = src + "/envs/data/lap-grid.expert.ckpt";
  auto policy = std::make_unique<icrl::CategoricalPolicy<O, K>>();
  icrl::ObsNormalizer<O> norm;
  icrl::load_policy_file(policy_path, Env::kName, *policy, norm);
  using Zeta = icrl::ConstraintNet<O + K, 20>;
  auto zeta = std::make_unique<Zeta>();
  const std::string zeta_path = out + "/lap.constraint.ckpt";
  save_scaled_constraint(*zeta, 41, 3.0f, Zeta::default_features<Env>(), O, 1, Env::kName, zeta_path);

  export_pair(policy_path, zeta_path, out + "/export_lap.hpp");

  icrl::Rng rng(51u, 0u);
  float obs[kSamples][O], z[kSamples];
  int act[kSamples], best[kSamples];
  for (int k = 0; k < kSamples; ++k) {
    // Resample inputs whose two logits nearly tie: there float rounding may pick either action.
    for (;;) {
      obs[k][0] = draw(rng, -1.5, 1.5);
      Eigen::Matrix<float, O, 1> x;
      x(0) = obs[k][0];
      typename decltype(policy)::element_type::Net::template Workspace<1> ws;
      const auto& l = policy->net.forward(x, ws);
      if (std::abs(l(0) - l(1)) > 1e-3f) break;
    }
    act[k] = static_cast<int>(rng.uniform_int(K));
    float a = 0.0f;
    library_act(*policy, norm, obs[k], &a);
    best[k] = static_cast<int>(a);
    const float a_in = static_cast<float>(act[k]);
    z[k] = library_zeta(*zeta, obs[k], O, &a_in, 1);
  }
  Expected e("lap");
  e.floats("obs", &obs[0][0], O);
  e.ints("act", act);
  e.ints("action", best);
  e.floats("zeta", z, 0);
  return e.text();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: export_fixtures SOURCE_DIR OUT_DIR\n");
    return 2;
  }
  const std::string src = argv[1], out = argv[2];
  try {
    std::string text =
        "// export_expected.hpp - generated by tests/export_fixtures.cpp: the inputs of\n"
        "// tests/test_export_header.cpp and what the icrl library computes for them.\n"
        "#pragma once\n\nnamespace expected {\n\ninline constexpr int kSamples = " +
        std::to_string(kSamples) + ";\n\n";
    text += point_circle(src, out) + "\n" + normalised(out) + "\n" + lap_grid(src, out) + "\n}  // namespace expected\n";
    icrl::write_file_atomic(out + "/export_expected.hpp", std::vector<unsigned char>(text.begin(), text.end()));
  } catch (const icrl::Error& e) {
    std::fprintf(stderr, "export_fixtures: %s\n", e.what());
    return 1;
  }
  return 0;
}
