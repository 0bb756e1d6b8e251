// icrl/gae.hpp - generalised advantage estimation (Schulman et al. 2016) with correct
// bootstrapping through time-limit truncation (SPEC section 3).
//
// A rollout holds T steps of E environment copies, sample index i = t E + e. With values
// V_t = V(s_t), for every copy e and t = T-1 down to 0:
//
//     next = done_t ? bootstrap_t : (t + 1 < T ? V_{t+1} : last_value_e)
//     delta_t = r_t + gamma next - V_t
//     A_t = delta_t + gamma lambda (1 - done_t) A_{t+1}
//     R_t = A_t + V_t                              (the critic's regression target)
//
// where done_t means the episode ended at step t (terminated or truncated) and bootstrap_t is
// V(s_{t+1}) of the *final* observation when the episode was cut by the time limit, and 0 when it
// terminated (SPEC 3; the Python reference bootstrapped with V(s_{T-1}) and treated truncation as
// terminal, a quirk we do not copy). last_value_e is V of copy e's observation after the last
// step. The same function serves the reward stream (gamma, lambda) and the cost stream
// (gamma_c, lambda_c): the two advantages of eq. (9)'s Lagrangian.
#pragma once

#include <Eigen/Core>

#include "icrl/error.hpp"

namespace icrl {

// All vectors have T E entries except last_value [E]. Writes advantages and returns (may not
// alias the inputs). No allocation.
inline void compute_gae(const Eigen::Ref<const Eigen::VectorXd>& reward,
                        const Eigen::Ref<const Eigen::VectorXd>& value,
                        const Eigen::Ref<const Eigen::Matrix<unsigned char, Eigen::Dynamic, 1>>& done,
                        const Eigen::Ref<const Eigen::VectorXd>& bootstrap,
                        const Eigen::Ref<const Eigen::VectorXd>& last_value, int T, int E,
                        double gamma, double lambda, Eigen::Ref<Eigen::VectorXd> advantage,
                        Eigen::Ref<Eigen::VectorXd> returns) {
  [[maybe_unused]] const Eigen::Index n = static_cast<Eigen::Index>(T) * E;
  ICRL_ASSERT(reward.size() >= n && value.size() >= n && done.size() >= n && bootstrap.size() >= n);
  ICRL_ASSERT(last_value.size() == E && advantage.size() >= n && returns.size() >= n);
  for (int e = 0; e < E; ++e) {
    double next_adv = 0.0;
    for (int t = T - 1; t >= 0; --t) {
      const Eigen::Index i = static_cast<Eigen::Index>(t) * E + e;
      double next_value;
      if (done(i)) {
        next_value = bootstrap(i);
        next_adv = 0.0;
      } else {
        next_value = t + 1 < T ? value(i + E) : last_value(e);
      }
      const double delta = reward(i) + gamma * next_value - value(i);
      next_adv = delta + gamma * lambda * next_adv;
      advantage(i) = next_adv;
      returns(i) = next_adv + value(i);
    }
  }
}

}  // namespace icrl
