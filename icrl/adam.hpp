// icrl/adam.hpp - Adam (Kingma & Ba 2015) over a fixed set of parameter blocks, and global
// gradient-norm clipping.
//
// For each block with parameters theta [N] and gradient g [N], step t = 1, 2, ...:
//     m <- beta1 m + (1 - beta1) g              v <- beta2 v + (1 - beta2) g^2
//     theta <- theta - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
// (the bias-corrected form PyTorch uses, so eps sits where the reference implementations put it).
// beta^t is kept as a running product, not pow(), so the result is the same on every machine.
// SPEC: eps = 1e-5 for PPO and for the constraint network (section 2.1, 3).
//
// One optimiser may drive several blocks at once, e.g. a policy network and its log-std:
//     Adam<float, Policy::kNumParams, kActDim> opt;
//     opt.step(param_block(policy.theta, policy.grad), param_block(log_std, d_log_std));
// Moments are fixed-size members: no heap, ever.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <tuple>
#include <utility>

#include <Eigen/Core>

#include "icrl/checkpoint.hpp"

namespace icrl {

struct AdamConfig {
  double lr = 3e-4;      // step size (changed between steps by learning-rate schedules)
  double beta1 = 0.9;    // decay of the first-moment estimate
  double beta2 = 0.999;  // decay of the second-moment estimate
  double eps = 1e-5;     // added to the bias-corrected sqrt(v)
};

// A parameter vector [N] and its gradient [N], updated in place by Adam::step.
template <typename S, int N>
struct ParamBlock {
  Eigen::Matrix<S, N, 1>* value;       // [N]
  const Eigen::Matrix<S, N, 1>* grad;  // [N]
};
template <typename S, int N>
ParamBlock<S, N> param_block(Eigen::Matrix<S, N, 1>& value, const Eigen::Matrix<S, N, 1>& grad) {
  return {&value, &grad};
}

template <typename S, int... Sizes>
class Adam {
 public:
  static_assert(sizeof...(Sizes) >= 1, "Adam needs at least one parameter block");

  AdamConfig config;

  Adam() { reset(); }
  explicit Adam(const AdamConfig& c) : config(c) { reset(); }

  // Forget all moments and restart at t = 0.
  void reset() {
    std::apply([](auto&... m) { (m.setZero(), ...); }, m_);
    std::apply([](auto&... v) { (v.setZero(), ...); }, v_);
    t_ = 0;
    beta1_pow_ = 1.0;
    beta2_pow_ = 1.0;
  }

  std::int64_t steps() const { return t_; }

  // One Adam step on every block, in the order of Sizes.
  void step(ParamBlock<S, Sizes>... blocks) {
    ++t_;
    beta1_pow_ *= config.beta1;
    beta2_pow_ *= config.beta2;
    step_blocks(std::index_sequence_for<ParamBlock<S, Sizes>...>{}, blocks...);
  }

  // Moments m_k, v_k and the step count, under `<prefix>adam.`.
  void save(CheckpointWriter& out, const std::string& prefix) const {
    save_blocks(out, prefix, std::index_sequence_for<ParamBlock<S, Sizes>...>{});
    out.add_int(prefix + "adam.t", t_);
  }
  // Checks all entries first, then copies: on error *this is unchanged.
  void load(const CheckpointReader& in, const std::string& prefix) {
    check_blocks(in, prefix, std::index_sequence_for<ParamBlock<S, Sizes>...>{});
    const std::int64_t t = in.read_int(prefix + "adam.t");
    if (t < 0) throw Error("'" + in.origin() + "': entry '" + prefix + "adam.t' is negative");
    load_blocks(in, prefix, std::index_sequence_for<ParamBlock<S, Sizes>...>{});
    t_ = t;
    beta1_pow_ = 1.0;
    beta2_pow_ = 1.0;
    // The same products step() forms, bit for bit. They reach a fixed point (0; 1 for beta = 1)
    // after about 750 000 factors for beta2 = 0.999, so a damaged t of 2^62 cannot hang the load.
    for (std::int64_t i = 0; i < t; ++i) {
      const double p1 = beta1_pow_ * config.beta1, p2 = beta2_pow_ * config.beta2;
      if (p1 == beta1_pow_ && p2 == beta2_pow_) break;
      beta1_pow_ = p1;
      beta2_pow_ = p2;
    }
  }

 private:
  template <std::size_t... I>
  void step_blocks(std::index_sequence<I...>, ParamBlock<S, Sizes>... blocks) {
    (update(std::get<I>(m_), std::get<I>(v_), blocks), ...);
  }

  template <int N>
  void update(Eigen::Matrix<S, N, 1>& m, Eigen::Matrix<S, N, 1>& v, ParamBlock<S, N> block) {
    const S b1 = static_cast<S>(config.beta1), b2 = static_cast<S>(config.beta2);
    const auto& g = *block.grad;
    m = b1 * m + (S(1) - b1) * g;
    v = b2 * v + (S(1) - b2) * g.cwiseAbs2();
    const S step_size = static_cast<S>(config.lr / (1.0 - beta1_pow_));
    const S sqrt_bc2 = static_cast<S>(std::sqrt(1.0 - beta2_pow_));
    const S eps = static_cast<S>(config.eps);
    block.value->array() -= step_size * m.array() / (v.array().sqrt() / sqrt_bc2 + eps);
  }

  template <std::size_t... I>
  void save_blocks(CheckpointWriter& out, const std::string& p, std::index_sequence<I...>) const {
    ((out.add(p + "adam.m" + std::to_string(I), std::get<I>(m_)),
      out.add(p + "adam.v" + std::to_string(I), std::get<I>(v_))), ...);
  }
  template <std::size_t... I>
  void check_blocks(const CheckpointReader& in, const std::string& p, std::index_sequence<I...>) const {
    ((in.template require<S>(p + "adam.m" + std::to_string(I), Sizes, 1),
      check_second_moment<Sizes>(in, p + "adam.v" + std::to_string(I))), ...);
  }
  // v is a mean of squares: a negative entry would make the next step NaN.
  template <int N>
  static void check_second_moment(const CheckpointReader& in, const std::string& name) {
    Eigen::Matrix<S, N, 1> v;
    in.read(name, v);
    if (!(v.array() >= S(0)).all())
      throw Error("'" + in.origin() + "': entry '" + name +
                  "' (Adam's second moments) holds a negative value; the file was not written by icrl");
  }
  template <std::size_t... I>
  void load_blocks(const CheckpointReader& in, const std::string& p, std::index_sequence<I...>) {
    ((in.read(p + "adam.m" + std::to_string(I), std::get<I>(m_)),
      in.read(p + "adam.v" + std::to_string(I), std::get<I>(v_))), ...);
  }

  std::tuple<Eigen::Matrix<S, Sizes, 1>...> m_;  // first moments, one [N_k] per block
  std::tuple<Eigen::Matrix<S, Sizes, 1>...> v_;  // second moments, one [N_k] per block
  std::int64_t t_ = 0;                           // steps taken
  double beta1_pow_ = 1.0, beta2_pow_ = 1.0;     // beta1^t, beta2^t
};

// Global gradient-norm clipping over any number of gradient vectors (PPO: max_norm = 0.5):
// if ||(g_1, ..., g_k)||_2 > max_norm, every g_i is scaled by max_norm / (norm + 1e-6).
// Returns the norm before clipping.
template <typename... G>
double clip_grad_norm(double max_norm, Eigen::MatrixBase<G>&... grads) {
  const double sq = (0.0 + ... + static_cast<double>(grads.squaredNorm()));
  const double norm = std::sqrt(sq);
  if (norm > max_norm) {
    const double scale = max_norm / (norm + 1e-6);
    ((grads *= static_cast<typename G::Scalar>(scale)), ...);
  }
  return norm;
}

}  // namespace icrl
