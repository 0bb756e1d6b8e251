// icrl/importance_weights.hpp - importance weights of the nominal samples (eq. (10)) and the two
// KL estimates that stop the backward loop early (eq. (12)); SPEC sections 2.2 and 2.3.
//
// The nominal samples S were drawn by the policy that was optimal under zeta_old. After the
// backward step has moved zeta, eq. (10) reweights them towards the policy zeta_new would induce:
//     r_t = (zeta_new(s_t, a_t) + eps) / (zeta_old(s_t, a_t) + eps),  eps = 1e-5.
// Two ways to turn r into weights w (each with mean 1):
//   per step     w_t = r_t / mean_t(r)                                         (eq. (11) as written)
//   per episode  l_k = sum_{t in episode k} log r_t,   w_t = K softmax(l)_k   for every t in k
// The per-episode product of up to 1000 ratios overflows float, so everything is done with
// log r in double and a max-shifted log-sum-exp.
//
// Eq. (12): with the episode log-ratios l_k (new over old), the self-normalised estimates
//     KL(old || new) = logmeanexp(l) - mean(l)                 ("forward", stop when > eps_F)
//     KL(new || old) = sum_k softmax(l)_k l_k - logmeanexp(l)   ("reverse", stop when > eps_R)
// are both >= 0 (Jensen) and 0 exactly when every l_k is equal. The slides bound them from above.
//
// Nothing here allocates: callers pass buffers sized once.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "icrl/error.hpp"
#include "icrl/losses.hpp"

namespace icrl {

enum class ImportanceMode { off, per_step, per_episode };

inline const char* importance_mode_name(ImportanceMode m) {
  return m == ImportanceMode::off ? "off" : m == ImportanceMode::per_step ? "step" : "episode";
}

// "episode", "step" or "off" (importance_mode_name's names) to the mode; false for anything else.
inline bool parse_importance_mode(const std::string& s, ImportanceMode& out) {
  if (s == "episode") out = ImportanceMode::per_episode;
  else if (s == "step") out = ImportanceMode::per_step;
  else if (s == "off") out = ImportanceMode::off;
  else return false;
  return true;
}

// log(mean(exp(l))) over l[0 .. K), max-shifted so that no exp overflows.
inline double log_mean_exp(const double* l, int K) {
  ICRL_ASSERT(K > 0);
  double m = l[0];
  for (int k = 1; k < K; ++k) m = std::max(m, l[k]);
  double s = 0.0;
  for (int k = 0; k < K; ++k) s += std::exp(l[k] - m);
  return m + std::log(s / K);
}

struct KlEstimates {
  double forward = 0.0;  // KL(old || new), compared with eps_F
  double reverse = 0.0;  // KL(new || old), compared with eps_R
};

// Eq. (12) from the episode log-ratios l [K].
inline KlEstimates kl_estimates(const double* l, int K) {
  const double lme = log_mean_exp(l, K);
  double mean = 0.0, soft = 0.0;
  for (int k = 0; k < K; ++k) {
    mean += l[k];
    soft += std::exp(l[k] - lme) / K * l[k];  // softmax(l)_k = exp(l_k - lme) / K
  }
  KlEstimates kl;
  // Both are >= 0 in exact arithmetic; clamp the rounding noise of equal l_k.
  kl.forward = std::max(0.0, lme - mean / K);
  kl.reverse = std::max(0.0, soft - lme);
  return kl;
}

// The samples' ratios and the episodes' log-ratios, from zeta before (old) and after (new_) the
// updates so far. starts [K + 1]: episode k is samples [starts[k], starts[k + 1]).
//   log_r [>= n]  log r_t                  ell [>= K]  l_k = sum of log r_t over episode k
template <typename VecNew, typename VecOld>
void log_ratios(const VecNew& zeta_new, const VecOld& zeta_old, const std::vector<Eigen::Index>& starts,
                Eigen::VectorXd& log_r, Eigen::VectorXd& ell) {
  const int K = static_cast<int>(starts.size()) - 1;
  ICRL_ASSERT(K >= 1 && ell.size() >= K && log_r.size() >= starts[K]);
  for (int k = 0; k < K; ++k) {
    double sum = 0.0;
    for (Eigen::Index t = starts[k]; t < starts[k + 1]; ++t) {
      log_r(t) = std::log(static_cast<double>(zeta_new(t)) + kLogEps) - std::log(static_cast<double>(zeta_old(t)) + kLogEps);
      sum += log_r(t);
    }
    ell(k) = sum;
  }
}

// The weights w [>= n] of eq. (10) in the given mode (off: w = 1), each with mean 1.
inline void importance_weights(ImportanceMode mode, const Eigen::VectorXd& log_r, const Eigen::VectorXd& ell,
                               const std::vector<Eigen::Index>& starts, Eigen::VectorXf& w) {
  const int K = static_cast<int>(starts.size()) - 1;
  const Eigen::Index n = starts[K];
  ICRL_ASSERT(w.size() >= n);
  if (mode == ImportanceMode::off) {
    w.head(n).setOnes();
  } else if (mode == ImportanceMode::per_step) {
    // r_t / mean(r) = exp(log r_t - m) / mean(exp(log r - m)) for any shift m.
    const double m = log_r.head(n).maxCoeff();
    double s = 0.0;
    for (Eigen::Index t = 0; t < n; ++t) s += std::exp(log_r(t) - m);
    const double mean = s / static_cast<double>(n);
    for (Eigen::Index t = 0; t < n; ++t) w(t) = static_cast<float>(std::exp(log_r(t) - m) / mean);
  } else {
    // K softmax(l)_k = exp(l_k - logmeanexp(l)).
    const double lme = log_mean_exp(ell.data(), K);
    for (int k = 0; k < K; ++k) {
      const float wk = static_cast<float>(std::exp(ell(k) - lme));
      w.segment(starts[k], starts[k + 1] - starts[k]).setConstant(wk);
    }
  }
}

}  // namespace icrl
