// icrl/init.hpp - weight initialisation.
//
// orthogonal_init: W = gain * Q, where Q has orthonormal columns (rows >= cols) or orthonormal
//   rows (rows < cols), obtained from a matrix of N(0, 1) draws by modified Gram-Schmidt run twice
//   in double precision (Saxe et al. 2014; the init of PPO implementations, SPEC section 3:
//   gain sqrt(2) on hidden layers, 0.01 on the policy head, 1 on value heads).
// fan_in_uniform_init: every entry ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in)), the common default for
//   linear layers (used by the constraint network and the GAIL discriminator).
// Both run once, at construction; they may use the heap.
#pragma once

#include <cmath>

#include <Eigen/Core>

#include "icrl/rng.hpp"

namespace icrl {

template <typename Derived>
void orthogonal_init(Eigen::MatrixBase<Derived>&& W, double gain, Rng& rng) {
  const Eigen::Index rows = W.rows(), cols = W.cols();
  const bool tall = rows >= cols;
  // Orthonormalise the k = min(rows, cols) vectors of length n = max(rows, cols).
  const Eigen::Index n = tall ? rows : cols, k = tall ? cols : rows;
  Eigen::MatrixXd Q(n, k);  // [n, k] columns become orthonormal
  for (Eigen::Index j = 0; j < k; ++j)
    for (Eigen::Index i = 0; i < n; ++i) Q(i, j) = rng.normal();
  for (int pass = 0; pass < 2; ++pass) {
    for (Eigen::Index j = 0; j < k; ++j) {
      for (Eigen::Index p = 0; p < j; ++p) Q.col(j) -= Q.col(p).dot(Q.col(j)) * Q.col(p);
      Q.col(j) /= Q.col(j).norm();
    }
  }
  using S = typename Derived::Scalar;
  if (tall)
    W = (gain * Q).template cast<S>();
  else
    W = (gain * Q.transpose()).template cast<S>();
}

template <typename Derived>
void fan_in_uniform_init(Eigen::MatrixBase<Derived>&& M, int fan_in, Rng& rng) {
  const double bound = 1.0 / std::sqrt(static_cast<double>(fan_in));
  using S = typename Derived::Scalar;
  for (Eigen::Index j = 0; j < M.cols(); ++j)
    for (Eigen::Index i = 0; i < M.rows(); ++i) M(i, j) = static_cast<S>(rng.uniform(-bound, bound));
}

}  // namespace icrl
