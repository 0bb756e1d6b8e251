// icrl/running_stats.hpp - running mean and variance, and the observation / reward / cost
// normalisers built on them (SPEC section 3, "running normalisation").
//
//   RunningMeanStd<N>   mean mu [N] and variance sigma^2 [N] of every vector seen so far, merged
//                       batch by batch with the parallel-variance formula (Chan et al. 1979):
//                         delta = mu_b - mu,   n' = n + n_b,   mu' = mu + delta n_b / n'
//                         M2'   = M2 + M2_b + delta^2 n n_b / n'
//                       started from count 1e-4 (so the first batch dominates at once).
//   ObsNormalizer<N>    o -> clip((o - mu) / sqrt(sigma^2 + 1e-8), -10, 10)
//   ReturnNormalizer<E> r -> clip(r / sqrt(var(G) + 1e-8), -10, 10), where G_e <- gamma G_e + r_e
//                       is a running discounted return per environment copy (reset at episode
//                       end) and var(G) its running variance. Used for reward and for cost; the
//                       Lagrange multiplier always sees the unnormalised cost.
// All statistics are float64, fixed-size, and saved with the policy so evaluation normalises
// observations exactly as training did.
#pragma once

#include <algorithm>
#include <cmath>
#include <string>

#include <Eigen/Core>

#include "icrl/checkpoint.hpp"
#include "icrl/error.hpp"

namespace icrl {

inline constexpr double kNormEps = 1e-8;   // added to the variance before the square root
inline constexpr double kNormClip = 10.0;  // normalised values are clipped to +-kNormClip

template <int N>
class RunningMeanStd {
 public:
  using Vec = Eigen::Matrix<double, N, 1>;

  Vec mean = Vec::Zero();     // [N] running mean
  Vec var = Vec::Ones();      // [N] running (population) variance
  double count = 1e-4;        // number of samples merged so far (plus the 1e-4 start)

  // Merges the columns of batch [N, B] (B samples).
  template <typename Derived>
  void update(const Eigen::MatrixBase<Derived>& batch) {
    static_assert(Derived::RowsAtCompileTime == N, "RunningMeanStd::update: batch must be [N, B]");
    const double nb = static_cast<double>(batch.cols());
    if (nb <= 0) return;
    Vec batch_mean = Vec::Zero();
    for (Eigen::Index j = 0; j < batch.cols(); ++j) batch_mean += batch.col(j).template cast<double>();
    batch_mean /= nb;
    Vec batch_m2 = Vec::Zero();
    for (Eigen::Index j = 0; j < batch.cols(); ++j)
      batch_m2 += (batch.col(j).template cast<double>() - batch_mean).cwiseAbs2();
    const Vec delta = batch_mean - mean;
    const double total = count + nb;
    mean += delta * (nb / total);
    const Vec m2 = var * count + batch_m2 + delta.cwiseAbs2() * (count * nb / total);
    var = m2 / total;
    count = total;
  }

  void save(CheckpointWriter& out, const std::string& prefix) const {
    out.add(prefix + "mean", mean);
    out.add(prefix + "var", var);
    Eigen::Matrix<double, 1, 1> c;
    c(0) = count;
    out.add(prefix + "count", c);
  }
  // Checks every entry first; on error *this is unchanged.
  void load(const CheckpointReader& in, const std::string& prefix) {
    in.require<double>(prefix + "mean", N, 1);
    in.require<double>(prefix + "var", N, 1);
    in.require<double>(prefix + "count", 1, 1);
    Vec m, v;
    Eigen::Matrix<double, 1, 1> c;
    in.read(prefix + "mean", m);
    in.read(prefix + "var", v);
    in.read(prefix + "count", c);
    if (!(v.array() >= 0.0).all() || !(c(0) > 0.0))
      throw Error("'" + in.origin() + "': entry '" + prefix +
                  "var' or 'count' is negative; the file was not written by icrl");
    mean = m;
    var = v;
    count = c(0);
  }
};

// Observation normaliser (SPEC 3): when disabled it passes observations through unchanged.
template <int N>
class ObsNormalizer {
 public:
  bool enabled = false;
  RunningMeanStd<N> stats;

  // Adds the raw observations obs [N, B] to the statistics (only when enabled).
  template <typename Derived>
  void update(const Eigen::MatrixBase<Derived>& obs) {
    if (enabled) stats.update(obs);
  }
  // out [N, B] (float or double) <- normalised obs [N, B] (double).
  template <typename DIn, typename DOut>
  void normalize(const Eigen::MatrixBase<DIn>& obs, Eigen::MatrixBase<DOut>& out) const {
    using S = typename DOut::Scalar;
    if (!enabled) {
      out = obs.template cast<S>();
      return;
    }
    const Eigen::Matrix<double, N, 1> inv_std = (stats.var.array() + kNormEps).sqrt().inverse();
    for (Eigen::Index j = 0; j < obs.cols(); ++j)
      out.col(j) = ((obs.col(j) - stats.mean).cwiseProduct(inv_std))
                       .cwiseMax(-kNormClip)
                       .cwiseMin(kNormClip)
                       .template cast<S>();
  }

  void save(CheckpointWriter& out, const std::string& prefix) const {
    out.add_int(prefix + "enabled", enabled ? 1 : 0);
    stats.save(out, prefix);
  }
  void load(const CheckpointReader& in, const std::string& prefix) {
    const std::int64_t e = in.read_int(prefix + "enabled");
    RunningMeanStd<N> s = stats;
    s.load(in, prefix);
    enabled = e != 0;
    stats = s;
  }
};

// Reward or cost normaliser for E environment copies (SPEC 3).
template <int E>
class ReturnNormalizer {
 public:
  using Column = Eigen::Matrix<double, E, 1>;

  bool enabled = false;
  double gamma = 0.99;              // discount of the running return G
  RunningMeanStd<1> stats;          // statistics of G
  Column running = Column::Zero();  // [E] G_e of the episode in progress

  // Scales r [E] in place (when enabled); done[e] ends copy e's running return after this step.
  template <typename Done>
  void normalize(Column& r, const Done& done) {
    if (!enabled) return;
    running = running * gamma + r;
    stats.update(running.transpose());
    const double inv_std = 1.0 / std::sqrt(stats.var(0) + kNormEps);
    r = (r * inv_std).cwiseMax(-kNormClip).cwiseMin(kNormClip);
    for (int e = 0; e < E; ++e)
      if (done[e]) running(e) = 0.0;
  }
  // The factor values are currently divided by (1 when disabled).
  double scale() const { return enabled ? std::sqrt(stats.var(0) + kNormEps) : 1.0; }

  // Checkpoints (resume): the statistics and the running returns; enabled and gamma are settings.
  void save(CheckpointWriter& out, const std::string& prefix) const {
    stats.save(out, prefix);
    out.add(prefix + "running", running);
  }
  void load(const CheckpointReader& in, const std::string& prefix) {
    in.require<double>(prefix + "running", E, 1);
    RunningMeanStd<1> s = stats;
    s.load(in, prefix);
    Column r;
    in.read(prefix + "running", r);
    stats = s;
    running = r;
  }
};

}  // namespace icrl
