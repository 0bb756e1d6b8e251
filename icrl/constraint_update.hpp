// icrl/constraint_update.hpp - the backward step of ICRL: up to B importance-weighted,
// KL-early-stopped maximum-likelihood updates of the constraint network (eqs. (8), (10), (11),
// (12) of the talk; SPEC sections 2.1-2.3), and the cross-entropy step of the two baselines
// (binary classifier and GAIL-constraint, SPEC 4).
//
// Data: D, the expert pairs (from the demonstrations), and S, the nominal pairs (M episodes of the
// current policy in the nominal env), each a PairBuffer of features phi(s, a) [In, n] with episode
// boundaries. Loss of one backward iteration (eq. (11) with the regulariser eq. (8)):
//     L(theta) = - mean_D log(zeta + eps) + mean_S w log(zeta + eps)
//                + delta ( mean_D (1 - zeta) + mean_S (1 - zeta) ),              eps = 1e-5,
// with w the importance weights of eq. (10), held fixed inside the gradient:
//     dL/dzeta = ( -1 / (zeta + eps) - delta ) / |D|        on an expert pair
//     dL/dzeta = (  w / (zeta + eps) - delta ) / |S|        on a nominal pair
// Each iteration is one full-batch Adam step (betas 0.9 / 0.999, eps 1e-5); the batch is streamed
// through the network in fixed-size chunks whose gradients accumulate (mlp.hpp). The step size of
// outer iteration i is lr_0 anneal^i. Zeta and its Adam state persist across outer iterations.
//
// Backward loop (SPEC 2.4 step 3): store zeta_old on S; for j = 0 .. B-1: compute zeta on S, the
// log-ratios and the KL estimates of eq. (12); for j >= 1 stop if KL(old||new) > eps_F or
// KL(new||old) > eps_R (when early stopping is on); weights (eq. (10), or w = 1 when importance
// sampling is off); one Adam step.
//
// Binary cross-entropy (the baselines): L = - mean_D log(zeta + eps) - mean_S log(1 - zeta + eps),
//     dL/dzeta = -1 / ((zeta + eps) |D|) on D,   +1 / ((1 - zeta + eps) |S|) on S;
// no importance weights, no early stopping, no regulariser.
//
// All buffers are sized in the constructor; backward() and bce_step() never touch the heap.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "icrl/adam.hpp"
#include "icrl/checkpoint.hpp"
#include "icrl/demonstrations.hpp"
#include "icrl/error.hpp"
#include "icrl/importance_weights.hpp"
#include "icrl/losses.hpp"

namespace icrl {

// Features phi(s, a) of a set of (s, a) pairs, grouped into episodes; storage sized once.
template <int In>
class PairBuffer {
 public:
  Eigen::Matrix<float, In, Eigen::Dynamic> x;  // [In, capacity] column t = phi(s_t, a_t)
  std::vector<Eigen::Index> starts{0};         // [K + 1] episode k = columns [starts[k], starts[k + 1])

  PairBuffer() = default;
  PairBuffer(Eigen::Index max_pairs, int max_episodes) { reserve(max_pairs, max_episodes); }
  void reserve(Eigen::Index max_pairs, int max_episodes) {
    x.setZero(In, max_pairs);
    starts.reserve(static_cast<std::size_t>(max_episodes) + 1);
    clear();
  }
  void clear() {
    starts.clear();
    starts.push_back(0);
    n_ = 0;
  }
  Eigen::Index capacity() const { return x.cols(); }
  Eigen::Index size() const { return starts.back(); }  // pairs in finished episodes
  int episodes() const { return static_cast<int>(starts.size()) - 1; }

  // Appends phi(obs, act) to the current episode.
  template <class ZetaNet>
  void add(const ZetaNet& zeta, const double* obs, const double* act) {
    ICRL_ASSERT(n_ < capacity());  // sized for M x max episode length at construction
    zeta.encode(obs, act, x, n_);
    ++n_;
  }
  // Drops the first k finished episodes and moves the rest (and any unfinished one) to the
  // front; no allocation.
  void drop_front_episodes(int k) {
    ICRL_ASSERT(k >= 0 && k <= episodes());
    const Eigen::Index cut = starts[static_cast<std::size_t>(k)];
    const Eigen::Index keep = n_ - cut;
    for (Eigen::Index c = 0; c < keep; ++c) x.col(c) = x.col(c + cut);
    starts.erase(starts.begin(), starts.begin() + k);
    for (auto& v : starts) v -= cut;
    n_ = keep;
  }
  // Closes the current episode (an empty one is dropped).
  void end_episode() {
    ICRL_ASSERT(starts.size() < starts.capacity() || starts.back() == n_);
    if (n_ > starts.back()) starts.push_back(n_);
  }

  // All pairs of a demonstration set (allocates: setup only). The features must read only
  // dimensions the demonstrations have.
  template <class ZetaNet>
  static PairBuffer from_demonstrations(const ZetaNet& zeta, const Demonstrations& d, const std::string& origin) {
    ZetaNet::check_features(zeta.features, d.obs_dim, d.act_dim, d.env, origin);
    PairBuffer p(d.steps(), d.episodes());
    Eigen::VectorXd obs(d.obs_dim), act(d.act_dim);
    for (int k = 0; k < d.episodes(); ++k) {
      const std::int64_t o = d.offset(k);
      for (std::int64_t t = o; t < o + d.lengths[static_cast<std::size_t>(k)]; ++t) {
        obs = d.observations.col(t);
        act = d.actions.col(t);
        p.add(zeta, obs.data(), act.data());
      }
      p.end_episode();
    }
    return p;
  }

 private:
  Eigen::Index n_ = 0;  // pairs written, including the unfinished episode
};

enum class ConstraintLoss { icrl, bce };

// Settings of the backward step (SPEC 2, 5); defaults are the LapGridWorld column.
struct ConstraintUpdateConfig {
  ConstraintLoss loss = ConstraintLoss::icrl;  // icrl: eq. (11) + (8); bce: the baselines
  int backward_iterations = 20;                // B, at most this many Adam steps per outer iteration
  double lr = 0.003;                           // lr_0
  double anneal = 1.0;                         // lr_i = lr_0 anneal^i
  double regularizer = 0.0;                    // delta of eq. (8)
  ImportanceMode importance = ImportanceMode::per_episode;  // eq. (10) weights (off: w = 1)
  bool early_stopping = true;                  // eq. (12)
  double kl_forward_limit = 10.0;              // eps_F
  double kl_reverse_limit = 10.0;              // eps_R
  double adam_eps = 1e-5;
  // zeta's level. Eq. (11) leaves it free (zeta -> k zeta moves the D and S terms by -log k and
  // +log k), so with pin_zeta > 0 every Adam step is followed by a shift of the output unit's
  // bias that puts the pin_quantile-quantile of zeta over D at pin_zeta: the expert is feasible,
  // so its pairs are allowed by convention, and only the shape of zeta is learned. 0: off.
  // The logits are read back from float zeta, so the pin holds while they stay within about
  // (-87, 16); a wide network can push them past 16, where zeta is 1.0 in float and the level
  // is lost (docs/experiments.md, navigation).
  double pin_zeta = 0.0;
  double pin_quantile = 0.1;
};

// What one backward step did.
struct BackwardStats {
  int iterations_done = 0;       // Adam steps taken (<= B)
  bool stopped_early = false;    // the KL test ended the loop
  double loss_first = NAN;       // L before the first step
  double loss_last = NAN;        // L before the last step taken
  double kl_forward = 0.0;       // KL(old || new) after the last step
  double kl_reverse = 0.0;       // KL(new || old) after the last step
  double zeta_expert = NAN;      // mean zeta on D after the step
  double zeta_nominal = NAN;     // mean zeta on S after the step
  double lr = 0.0;               // the step size used
};

// Throws icrl::Error naming the field (and its `icrl learn --set` key) unless every field of c is
// in range; returns c.
inline ConstraintUpdateConfig validated_update(const ConstraintUpdateConfig& c) {
  auto fail = [](const std::string& field, const std::string& key, const std::string& why) {
    throw Error("ConstraintUpdateConfig::" + field + " (--set " + key + ") " + why);
  };
  if (c.backward_iterations < 1 || c.backward_iterations > 100000)
    fail("backward_iterations", "backward_iters", "must be in 1..100000");
  if (!(c.lr > 0) || !std::isfinite(c.lr)) fail("lr", "zeta_lr", "must be a positive number");
  if (!(c.anneal > 0 && c.anneal <= 1)) fail("anneal", "zeta_anneal", "must be in (0, 1]");
  if (!(c.regularizer >= 0) || !std::isfinite(c.regularizer)) fail("regularizer", "regularizer", "must be >= 0");
  if (!(c.kl_forward_limit > 0)) fail("kl_forward_limit", "kl_forward_limit", "must be > 0");
  if (!(c.kl_reverse_limit > 0)) fail("kl_reverse_limit", "kl_reverse_limit", "must be > 0");
  if (!(c.adam_eps > 0)) fail("adam_eps", "zeta_adam_eps", "must be > 0");
  if (!(c.pin_zeta >= 0 && c.pin_zeta < 1)) fail("pin_zeta", "pin_zeta", "must be in [0, 1) (0: off)");
  if (!(c.pin_quantile >= 0 && c.pin_quantile <= 1)) fail("pin_quantile", "pin_quantile", "must be in [0, 1]");
  return c;
}

template <class ZetaNet, int Chunk = 256>
class ConstraintLearner {
 public:
  static constexpr int In = ZetaNet::kIn;
  static constexpr int kParams = ZetaNet::Net::kNumParams;

  ZetaNet zeta;  // the constraint network being learned

  // Checks the config and sizes the buffers for at most max_nominal pairs in max_episodes
  // episodes per backward step.
  ConstraintLearner(const ConstraintUpdateConfig& config, Eigen::Index max_nominal, int max_episodes)
      : config_(validated(config)) {
    zeta_old_.setZero(max_nominal);
    zeta_new_.setZero(max_nominal);
    log_r_.setZero(max_nominal);
    w_.setOnes(max_nominal);
    ell_.setZero(std::max(1, max_episodes));
    adam_.config = AdamConfig{config_.lr, 0.9, 0.999, config_.adam_eps};
  }

  static ConstraintUpdateConfig validated(const ConstraintUpdateConfig& c) { return validated_update(c); }

  const ConstraintUpdateConfig& config() const { return config_; }
  const Adam<float, kParams>& optimizer() const { return adam_; }
  Adam<float, kParams>& optimizer() { return adam_; }

  // The backward step of outer iteration `outer` (SPEC 2.4 step 3) on expert pairs D and nominal
  // pairs S (S must fit the capacity given at construction).
  BackwardStats backward(const PairBuffer<In>& D, const PairBuffer<In>& S, int outer);  // below the class

  // One full-batch step of binary cross-entropy (expert 1, nominal 0); returns the loss before it.
  double bce_step(const PairBuffer<In>& D, const PairBuffer<In>& S);  // below the class

  // The ICRL loss (eq. (11) + (8)) at the current parameters with the current weights; with
  // grad = true also its gradient (accumulated into zeta.net.grad). For tests and logging.
  double icrl_loss(const PairBuffer<In>& D, const PairBuffer<In>& S, bool grad) {
    const double nd = static_cast<double>(D.size()), ns = static_cast<double>(S.size());
    const double delta = config_.regularizer;
    double loss = pass(D, [&](float z, Eigen::Index) {
      const double zz = z;
      return Term{(-std::log(zz + kLogEps) + delta * (1.0 - zz)) / nd, (-1.0 / (zz + kLogEps) - delta) / nd};
    }, grad);
    loss += pass(S, [&](float z, Eigen::Index t) {
      const double zz = z, w = w_(t);
      return Term{(w * std::log(zz + kLogEps) + delta * (1.0 - zz)) / ns, (w / (zz + kLogEps) - delta) / ns};
    }, grad);
    return loss;
  }

  // Sizes pin_zeta's buffers for an expert set of n pairs (setup only: allocates).
  void reserve_expert(Eigen::Index n) {
    d_zeta_.resize(n);
    d_logit_.resize(n);
  }

  // zeta on every pair of P, into out [>= P.size()].
  void evaluate(const PairBuffer<In>& P, Eigen::VectorXf& out) {
    for (Eigen::Index start = 0; start < P.size(); start += Chunk) {
      const Eigen::Index m = std::min<Eigen::Index>(Chunk, P.size() - start);
      load_chunk(P, start, m);
      const auto& z = zeta.forward(xc_, ws_);
      out.segment(start, m) = z.leftCols(m).transpose();
    }
  }
  double mean_zeta(const PairBuffer<In>& P) {
    double s = 0.0;
    for (Eigen::Index start = 0; start < P.size(); start += Chunk) {
      const Eigen::Index m = std::min<Eigen::Index>(Chunk, P.size() - start);
      load_chunk(P, start, m);
      s += static_cast<double>(zeta.forward(xc_, ws_).leftCols(m).sum());
    }
    return s / static_cast<double>(P.size());
  }

  // Importance weights of the last backward iteration [S.size()] (for tests and inspection).
  const Eigen::VectorXf& weights() const { return w_; }
  Eigen::VectorXf& weights() { return w_; }

  // Optimiser state for checkpoints (resume).
  void save(CheckpointWriter& out, const std::string& prefix) const { adam_.save(out, prefix); }
  void load(const CheckpointReader& in, const std::string& prefix) { adam_.load(in, prefix); }

 private:
  struct Term {
    double loss;   // this pair's contribution to L
    double dzeta;  // dL/dzeta of this pair
  };

  // Shifts the output bias so that the pin_quantile-quantile of zeta's logit over D is
  // logit(pin_zeta) (lower nearest rank). Its buffers are sized by reserve_expert (the trainer
  // calls it at construction), else on the first call.
  void pin_level(const PairBuffer<In>& D) {
    const Eigen::Index n = D.size();
    if (d_zeta_.size() < n) reserve_expert(n);
    const double target = std::log(config_.pin_zeta) - std::log1p(-config_.pin_zeta);
    // zeta in float saturates at 1 - 6e-8 and 1e-38: a logit read from it is exact only within
    // about (-87, 16), so the shift is repeated until the quantile lands on the target.
    for (int round = 0; round < 8; ++round) {
      evaluate(D, d_zeta_);
      for (Eigen::Index t = 0; t < n; ++t) {
        const double z = std::min(std::max(static_cast<double>(d_zeta_(t)), 1e-37), 1.0 - 1e-7);
        d_logit_(t) = std::log(z) - std::log1p(-z);
      }
      const double shift = target - lower_quantile(d_logit_.data(), n, config_.pin_quantile);
      zeta.net.theta(kParams - 1) += static_cast<float>(shift);
      if (std::abs(shift) < 1e-3) break;
    }
  }

  // One Adam step on eq. (11) + (8) with the weights in w_; returns the loss before it.
  double icrl_step(const PairBuffer<In>& D, const PairBuffer<In>& S) {
    zeta.net.zero_grad();
    const double loss = icrl_loss(D, S, true);
    adam_.step(param_block(zeta.net.theta, zeta.net.grad));
    return loss;
  }

  void load_chunk(const PairBuffer<In>& P, Eigen::Index start, Eigen::Index m) {
    xc_.leftCols(m) = P.x.middleCols(start, m);
    if (m < Chunk) xc_.rightCols(Chunk - m).setZero();
  }

  // Streams P through zeta; term(zeta_t, t) gives each pair's loss and dL/dzeta. With grad, the
  // gradient is accumulated (padding columns carry dL/dzeta = 0). Returns the summed loss.
  template <class TermFn>
  double pass(const PairBuffer<In>& P, TermFn&& term, bool grad = true) {
    double loss = 0.0;
    for (Eigen::Index start = 0; start < P.size(); start += Chunk) {
      const Eigen::Index m = std::min<Eigen::Index>(Chunk, P.size() - start);
      load_chunk(P, start, m);
      const auto& z = zeta.forward(xc_, ws_);
      dout_.setZero();
      for (Eigen::Index b = 0; b < m; ++b) {
        const Term tm = term(z(b), start + b);
        loss += tm.loss;
        dout_(b) = static_cast<float>(tm.dzeta);
      }
      if (grad) zeta.net.backward(dout_, ws_);
    }
    return loss;
  }

  ConstraintUpdateConfig config_;
  Adam<float, kParams> adam_;
  Eigen::VectorXf zeta_old_, zeta_new_;  // [capacity of S] zeta before the step / now
  Eigen::VectorXd log_r_;                // [capacity of S] log r_t (eq. (10))
  Eigen::VectorXd ell_;                  // [max episodes] l_k, episode log-ratios
  Eigen::VectorXf w_;                    // [capacity of S] importance weights
  Eigen::VectorXf d_zeta_;               // [|D|] zeta on D (pin_level)
  Eigen::VectorXd d_logit_;              // [|D|] its logits, partly sorted (pin_level)
  typename ZetaNet::template Input<Chunk> xc_ = ZetaNet::template Input<Chunk>::Zero();  // [In, Chunk]
  typename ZetaNet::template Row<Chunk> dout_ = ZetaNet::template Row<Chunk>::Zero();    // [1, Chunk] dL/dzeta
  typename ZetaNet::template Workspace<Chunk> ws_;
};

// backward() and bce_step() are defined outside the class so that they are not inline: a program
// that declares them `extern template` compiles them once, in a translation unit of their own
// (the icrl program does, cli/instances/; see PpoLagrangian::rollout).

template <class ZetaNet, int Chunk>
BackwardStats ConstraintLearner<ZetaNet, Chunk>::backward(const PairBuffer<In>& D, const PairBuffer<In>& S, int outer) {
  ICRL_ASSERT(D.size() > 0 && S.size() > 0 && S.size() <= zeta_old_.size() && S.episodes() <= ell_.size());
  BackwardStats st;
  st.lr = config_.lr * std::pow(config_.anneal, outer);
  adam_.config.lr = st.lr;
  if (config_.loss == ConstraintLoss::bce) {
    for (int j = 0; j < config_.backward_iterations; ++j) {
      const double l = bce_step(D, S);
      if (j == 0) st.loss_first = l;
      st.loss_last = l;
      ++st.iterations_done;
    }
  } else {
    evaluate(S, zeta_old_);
    for (int j = 0; j < config_.backward_iterations; ++j) {
      if (j > 0) evaluate(S, zeta_new_);
      const auto& now = j > 0 ? zeta_new_ : zeta_old_;
      log_ratios(now, zeta_old_, S.starts, log_r_, ell_);
      const KlEstimates kl = kl_estimates(ell_.data(), S.episodes());
      st.kl_forward = kl.forward;
      st.kl_reverse = kl.reverse;
      if (config_.early_stopping && j >= 1 &&
          (kl.forward > config_.kl_forward_limit || kl.reverse > config_.kl_reverse_limit)) {
        st.stopped_early = true;
        break;
      }
      importance_weights(config_.importance, log_r_, ell_, S.starts, w_);
      const double l = icrl_step(D, S);
      if (config_.pin_zeta > 0) pin_level(D);
      if (j == 0) st.loss_first = l;
      st.loss_last = l;
      ++st.iterations_done;
    }
    if (!st.stopped_early) {  // the KL after the last step, for the record
      evaluate(S, zeta_new_);
      log_ratios(zeta_new_, zeta_old_, S.starts, log_r_, ell_);
      const KlEstimates kl = kl_estimates(ell_.data(), S.episodes());
      st.kl_forward = kl.forward;
      st.kl_reverse = kl.reverse;
    }
  }
  evaluate(S, zeta_new_);
  st.zeta_nominal = static_cast<double>(zeta_new_.head(S.size()).sum()) / static_cast<double>(S.size());
  st.zeta_expert = mean_zeta(D);
  return st;
}

template <class ZetaNet, int Chunk>
double ConstraintLearner<ZetaNet, Chunk>::bce_step(const PairBuffer<In>& D, const PairBuffer<In>& S) {
  zeta.net.zero_grad();
  const double nd = static_cast<double>(D.size()), ns = static_cast<double>(S.size());
  double loss = pass(D, [&](float z, Eigen::Index) {
    const double zz = z;
    return Term{-std::log(zz + kLogEps) / nd, -1.0 / ((zz + kLogEps) * nd)};
  });
  loss += pass(S, [&](float z, Eigen::Index) {
    const double zz = z;
    return Term{-std::log(1.0 - zz + kLogEps) / ns, 1.0 / ((1.0 - zz + kLogEps) * ns)};
  });
  adam_.step(param_block(zeta.net.theta, zeta.net.grad));
  return loss;
}

}  // namespace icrl
