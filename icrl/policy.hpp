// icrl/policy.hpp - the two stochastic policies of Lagrangian PPO (SPEC section 3), each an
// Mlp<float, tanh, identity, obs, 64, 64, out> plus a distribution head, forward and backward
// side by side.
//
// GaussianPolicy<O, A> (continuous actions): the network outputs the mean mu(s) [A]; the log
// standard deviation log sigma [A] is a free parameter, independent of the state (initialised
// to 0). For an action a:
//     log pi(a|s) = sum_j [ -z_j^2 / 2 - log sigma_j - log(2 pi) / 2 ],   z_j = (a_j - mu_j) / sigma_j
//     d log pi / d mu_j = z_j / sigma_j,       d log pi / d log sigma_j = z_j^2 - 1
//     H = sum_j [ log sigma_j + (1 + log(2 pi)) / 2 ],   dH / d log sigma_j = 1
// Actions are sampled as mu + sigma n with n from our own Rng::normal(); the trainer stores the
// unclipped sample and its log-probability, and the environment clips (SPEC 3).
//
// CategoricalPolicy<O, K> (discrete actions): the network outputs logits l [K];
//     log pi(k|s) = l_k - logsumexp(l),      d log pi(a|s) / d l_k = [k = a] - pi_k
//     H = -sum_k pi_k log pi_k,              dH / d l_k = -pi_k (log pi_k + H)
// Actions are stored as the float value of the index (exact for any realistic K).
//
// Both share one interface, used by ppo_lagrangian.hpp:
//   init(rng, init_log_std)                        orthogonal init (gain sqrt 2 hidden, 0.01 head)
//   act(obs [O,B], ws, rng, deterministic, actions [kActStore,B], logp [1,B])
//   evaluate(obs, actions, ws, logp [1,B], entropy [1,B])       forward for the PPO loss
//   backward(actions, dlogp [1,B], dentropy [1,B], ws)          accumulates into the gradients
//   zero_grad(), save(), load()
// Nothing here allocates: every buffer is a fixed-size member of a Workspace<B>.
#pragma once

#include <cmath>
#include <string>

#include <Eigen/Core>

#include "icrl/activation.hpp"
#include "icrl/checkpoint.hpp"
#include "icrl/error.hpp"
#include "icrl/mlp.hpp"
#include "icrl/rng.hpp"

namespace icrl {

inline constexpr int kPolicyHidden = 64;  // SPEC 3: [64, 64] tanh for policy and both critics
inline constexpr double kHalfLog2Pi = 0.91893853320467274178;  // log(2 pi) / 2

template <int O, int A>
class GaussianPolicy {
 public:
  static constexpr bool kDiscrete = false;
  static constexpr int kObsDim = O;
  static constexpr int kActStore = A;  // rows of a stored action
  using Net = Mlp<float, Activation::tanh, Activation::identity, O, kPolicyHidden, kPolicyHidden, A>;
  using LogStd = Eigen::Matrix<float, A, 1>;
  template <int B> using ObsBatch = Eigen::Matrix<float, O, B>;  // [O, B]
  template <int B> using ActBatch = Eigen::Matrix<float, A, B>;  // [A, B]
  template <int B> using Row = Eigen::Matrix<float, 1, B>;       // [1, B]

  template <int B>
  struct Workspace {
    typename Net::template Workspace<B> net;
    Eigen::Matrix<float, A, B> z;     // [A, B] (a - mu) / sigma of the last evaluate()
    Eigen::Matrix<float, A, B> d_mu;  // [A, B] dL/dmu
  };

  Net net;                               // s -> mu(s)
  LogStd log_std = LogStd::Zero();       // [A] log sigma, state independent
  LogStd d_log_std = LogStd::Zero();     // [A] dL/dlog sigma, accumulated by backward()

  void init(Rng& rng, double init_log_std) {
    net.init_orthogonal(rng, std::sqrt(2.0), 0.01);
    log_std.setConstant(static_cast<float>(init_log_std));
    d_log_std.setZero();
  }
  void zero_grad() {
    net.zero_grad();
    d_log_std.setZero();
  }

  // Samples a ~ N(mu(s), sigma^2) (or a = mu(s) when deterministic) for every column of obs.
  template <int B>
  void act(const ObsBatch<B>& obs, Workspace<B>& ws, Rng& rng, bool deterministic,
           ActBatch<B>& actions, Row<B>& logp) const {
    const auto& mu = net.forward(obs, ws.net);
    for (int b = 0; b < B; ++b) {
      double lp = 0.0;
      for (int j = 0; j < A; ++j) {
        const double n = deterministic ? 0.0 : rng.normal();
        const double sigma = std::exp(static_cast<double>(log_std(j)));
        actions(j, b) = static_cast<float>(static_cast<double>(mu(j, b)) + sigma * n);
        const double z = (static_cast<double>(actions(j, b)) - mu(j, b)) / sigma;
        lp += -0.5 * z * z - static_cast<double>(log_std(j)) - kHalfLog2Pi;
      }
      logp(b) = static_cast<float>(lp);
    }
  }

  // Forward for the loss: log pi(actions | obs) and the entropy, per column.
  template <int B>
  void evaluate(const ObsBatch<B>& obs, const ActBatch<B>& actions, Workspace<B>& ws,
                Row<B>& logp, Row<B>& entropy) const {
    const auto& mu = net.forward(obs, ws.net);
    const LogStd inv_sigma = (-log_std.array()).exp();
    ws.z = (actions - mu).cwiseProduct(inv_sigma.template replicate<1, B>());
    const float lp0 = -log_std.sum() - static_cast<float>(A * kHalfLog2Pi);
    logp = (-0.5f * ws.z.cwiseAbs2().colwise().sum()).array() + lp0;
    entropy.setConstant(log_std.sum() + static_cast<float>(A * (0.5 + kHalfLog2Pi)));
  }

  // Given dL/dlogp [1, B] and dL/dentropy [1, B] for the batch of the last evaluate(ws),
  // accumulates dL/dtheta (network) and dL/dlog sigma.
  template <int B>
  void backward(const ActBatch<B>& /*actions*/, const Row<B>& dlogp, const Row<B>& dentropy,
                Workspace<B>& ws) {
    const LogStd inv_sigma = (-log_std.array()).exp();
    // d log pi / d mu = z / sigma
    ws.d_mu = ws.z.cwiseProduct(inv_sigma.template replicate<1, B>()).cwiseProduct(dlogp.template replicate<A, 1>());
    // d log pi / d log sigma = z^2 - 1;  dH / d log sigma = 1
    d_log_std += (ws.z.cwiseAbs2().array() - 1.0f).matrix() * dlogp.transpose();
    d_log_std.array() += dentropy.sum();
    net.backward(ws.d_mu, ws.net);
  }

  void save(CheckpointWriter& out, const std::string& prefix) const {
    net.save(out, prefix + "net.");
    out.add(prefix + "log_std", log_std);
  }
  void load(const CheckpointReader& in, const std::string& prefix) {
    in.require<float>(prefix + "log_std", A, 1);
    Net n = net;
    n.load(in, prefix + "net.");
    in.read(prefix + "log_std", log_std);
    net = n;
  }
};

template <int O, int K>
class CategoricalPolicy {
 public:
  static_assert(K >= 2, "a categorical policy needs at least two actions");
  static constexpr bool kDiscrete = true;
  static constexpr int kObsDim = O;
  static constexpr int kActStore = 1;  // the action index, as a float
  using Net = Mlp<float, Activation::tanh, Activation::identity, O, kPolicyHidden, kPolicyHidden, K>;
  template <int B> using ObsBatch = Eigen::Matrix<float, O, B>;  // [O, B]
  template <int B> using ActBatch = Eigen::Matrix<float, 1, B>;  // [1, B] action index
  template <int B> using Row = Eigen::Matrix<float, 1, B>;       // [1, B]

  template <int B>
  struct Workspace {
    typename Net::template Workspace<B> net;
    Eigen::Matrix<float, K, B> log_pi;  // [K, B] log-softmax of the logits
    Eigen::Matrix<float, K, B> d_l;     // [K, B] dL/dlogits
  };

  Net net;  // s -> logits [K]

  void init(Rng& rng, double /*init_log_std: continuous only*/) { net.init_orthogonal(rng, std::sqrt(2.0), 0.01); }
  void zero_grad() { net.zero_grad(); }

  template <int B>
  void act(const ObsBatch<B>& obs, Workspace<B>& ws, Rng& rng, bool deterministic,
           ActBatch<B>& actions, Row<B>& logp) const {
    net.forward(obs, ws.net);
    log_softmax(ws);
    for (int b = 0; b < B; ++b) {
      int k = 0;
      if (deterministic) {
        ws.log_pi.col(b).maxCoeff(&k);
      } else {
        double p[K];
        for (int j = 0; j < K; ++j) p[j] = std::exp(static_cast<double>(ws.log_pi(j, b)));
        k = rng.categorical(p, K);
      }
      actions(0, b) = static_cast<float>(k);
      logp(b) = ws.log_pi(k, b);
    }
  }

  template <int B>
  void evaluate(const ObsBatch<B>& obs, const ActBatch<B>& actions, Workspace<B>& ws,
                Row<B>& logp, Row<B>& entropy) const {
    net.forward(obs, ws.net);
    log_softmax(ws);
    for (int b = 0; b < B; ++b) {
      logp(b) = ws.log_pi(index(actions(0, b)), b);
      entropy(b) = -(ws.log_pi.col(b).array().exp() * ws.log_pi.col(b).array()).sum();
    }
  }

  template <int B>
  void backward(const ActBatch<B>& actions, const Row<B>& dlogp, const Row<B>& dentropy,
                Workspace<B>& ws) {
    for (int b = 0; b < B; ++b) {
      const auto pi = ws.log_pi.col(b).array().exp();
      const float h = -(pi * ws.log_pi.col(b).array()).sum();
      // d log pi(a) / d l = onehot(a) - pi;   dH / d l = -pi (log pi + H)
      ws.d_l.col(b) = (-dlogp(b) * pi - dentropy(b) * pi * (ws.log_pi.col(b).array() + h)).matrix();
      ws.d_l(index(actions(0, b)), b) += dlogp(b);
    }
    net.backward(ws.d_l, ws.net);
  }

  void save(CheckpointWriter& out, const std::string& prefix) const { net.save(out, prefix + "net."); }
  void load(const CheckpointReader& in, const std::string& prefix) { net.load(in, prefix + "net."); }

 private:
  static int index(float a) {
    const int k = static_cast<int>(a);
    ICRL_ASSERT(k >= 0 && k < K);
    return k;
  }
  template <int B>
  static void log_softmax_into(const Eigen::Matrix<float, K, B>& l, Eigen::Matrix<float, K, B>& out) {
    for (int b = 0; b < B; ++b) {
      const float m = l.col(b).maxCoeff();
      const float lse = m + std::log((l.col(b).array() - m).exp().sum());
      out.col(b) = l.col(b).array() - lse;
    }
  }
  template <int B>
  void log_softmax(Workspace<B>& ws) const { log_softmax_into<B>(ws.net.output(), ws.log_pi); }
};

}  // namespace icrl
