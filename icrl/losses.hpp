// icrl/losses.hpp - the losses and scalar functions the method needs, each with its gradient.
//
//   mse         L = mean (y_hat - y)^2                       dL/dy_hat = 2 (y_hat - y) / n
//   bce         L = -mean [ y log(p + eps) + (1 - y) log(1 - p + eps) ]   on probabilities p
//               dL/dp = -[ y / (p + eps) - (1 - y) / (1 - p + eps) ] / n
//               (eps = 1e-5, SPEC 2.1; the binary-classifier and GAIL-constraint baselines)
//   softplus    log(1 + e^x), computed as max(x, 0) + log1p(e^-|x|) (never overflows); the
//               Lagrange multiplier is nu = softplus(u) >= 0 (SPEC 3)
//   softplus_inverse   x + log(-expm1(-x)) for x > 0, so u_0 = softplus_inverse(nu_0)
//   sigmoid     1 / (1 + e^-x), evaluated without overflow for either sign
//   lower_quantile   the q-quantile of n numbers, lower nearest rank (reorders them)
// The log-likelihood of eq. (11) lives with the constraint network, which owns its weights.
#pragma once

#include <algorithm>
#include <cmath>

#include <Eigen/Core>

namespace icrl {

inline constexpr double kLogEps = 1e-5;  // eps inside log(zeta + eps), SPEC 2.1

// Mean squared error over all entries; writes dL/dpred into d_pred (same shape).
template <typename DP, typename DT, typename DG>
double mse(const Eigen::MatrixBase<DP>& pred, const Eigen::MatrixBase<DT>& target,
           Eigen::MatrixBase<DG>& d_pred) {
  using S = typename DP::Scalar;
  const auto n = static_cast<S>(pred.size());
  d_pred = (S(2) / n) * (pred - target);
  return static_cast<double>((pred - target).squaredNorm()) / static_cast<double>(pred.size());
}

// Binary cross-entropy on probabilities p in [0, 1] against labels y in [0, 1].
template <typename DP, typename DT, typename DG>
double bce(const Eigen::MatrixBase<DP>& p, const Eigen::MatrixBase<DT>& y,
           Eigen::MatrixBase<DG>& d_p, double eps = kLogEps) {
  using S = typename DP::Scalar;
  const S e = static_cast<S>(eps);
  const auto n = static_cast<S>(p.size());
  const auto P = p.array();
  const auto Y = y.array();
  d_p.array() = -(Y / (P + e) - (S(1) - Y) / (S(1) - P + e)) / n;
  const S total = (Y * (P + e).log() + (S(1) - Y) * (S(1) - P + e).log()).sum();
  return -static_cast<double>(total) / static_cast<double>(p.size());
}

inline double softplus(double x) { return std::max(x, 0.0) + std::log1p(std::exp(-std::abs(x))); }
inline double softplus_inverse(double y) { return y + std::log(-std::expm1(-y)); }
inline double sigmoid(double x) {
  if (x >= 0) return 1.0 / (1.0 + std::exp(-x));
  const double e = std::exp(x);
  return e / (1.0 + e);
}

// The q-quantile (q in [0, 1]) of v[0..n), n >= 1, by lower nearest rank: the element of rank
// min(n - 1, floor(q n)) in ascending order. Partly reorders v; no allocation.
inline double lower_quantile(double* v, std::ptrdiff_t n, double q) {
  const std::ptrdiff_t k = std::min<std::ptrdiff_t>(n - 1, static_cast<std::ptrdiff_t>(q * static_cast<double>(n)));
  std::nth_element(v, v + k, v + n);
  return v[k];
}

}  // namespace icrl
