// icrl/lagrange_multiplier.hpp - the Lagrange multiplier nu >= 0 of the forward step (eq. (9) of the
// talk, SPEC section 3).
//
// The forward problem  max_pi J_r(pi)  s.t.  J_c(pi) <= alpha  is solved as the saddle point of
// J_r(pi) - nu (J_c(pi) - alpha). After each PPO update the multiplier takes one step on the mean
// unnormalised per-step cost c_bar of the rollout just collected:
//
//   gradient (default): nu = softplus(u), one Adam step on u with loss  -nu (c_bar - alpha),
//                       dloss/du = -(c_bar - alpha) sigmoid(u); nu rises while the budget is
//                       exceeded and decays towards 0 when it is met.
//   PID (Stooke, Achiam & Abbeel 2020, "Responsive Safety in RL by PID Lagrangian Methods"):
//                       e = c_bar - alpha,  I <- max(0, I + K_i e),
//                       D = max(0, c_bar - c_bar_prev),  nu = max(0, K_p e + I + K_d D).
#pragma once

#include <algorithm>
#include <cmath>
#include <string>

#include "icrl/adam.hpp"
#include "icrl/checkpoint.hpp"
#include "icrl/error.hpp"
#include "icrl/losses.hpp"

namespace icrl {

enum class MultiplierRule { gradient, pid };

struct MultiplierConfig {
  MultiplierRule rule = MultiplierRule::gradient;  // how nu follows the cost
  double nu_init = 1.0;     // nu before the first update (SPEC 5: 1 lap-grid / cheetah, 0.1 ant)
  double lr = 0.1;          // Adam step size on u (gradient rule)
  double budget = 0.0;      // alpha: allowed mean per-step cost (0 in ICRL)
  double kp = 0.1;          // PID proportional gain
  double ki = 0.01;         // PID integral gain
  double kd = 0.01;         // PID derivative gain
};

class LagrangeMultiplier {
 public:
  LagrangeMultiplier() { reset(MultiplierConfig{}); }
  explicit LagrangeMultiplier(const MultiplierConfig& c) { reset(c); }

  void reset(const MultiplierConfig& c) {
    if (!(c.nu_init >= 0.0) || !std::isfinite(c.nu_init))
      throw Error("multiplier: nu_init must be a finite number >= 0 (got " + std::to_string(c.nu_init) + ")");
    config_ = c;
    // softplus(u) = 0 only at u = -inf: start the gradient rule at a tiny positive nu instead.
    u_(0) = softplus_inverse(std::max(c.nu_init, 1e-8));
    adam_ = Adam<double, 1>(AdamConfig{c.lr, 0.9, 0.999, 1e-5});
    nu_ = c.rule == MultiplierRule::gradient ? softplus(u_(0)) : c.nu_init;
    integral_ = c.rule == MultiplierRule::pid ? c.nu_init : 0.0;
    prev_cost_ = 0.0;
    have_prev_ = false;
  }

  double nu() const { return nu_; }
  const MultiplierConfig& config() const { return config_; }

  // One update from the mean unnormalised per-step cost of the last rollout. Returns the new nu.
  double update(double mean_cost) {
    const double e = mean_cost - config_.budget;
    if (config_.rule == MultiplierRule::gradient) {
      Eigen::Matrix<double, 1, 1> g;
      g(0) = -e * sigmoid(u_(0));  // d/du of -softplus(u) (c_bar - alpha)
      adam_.step(param_block(u_, g));
      nu_ = softplus(u_(0));
    } else {
      integral_ = std::max(0.0, integral_ + config_.ki * e);
      const double d = have_prev_ ? std::max(0.0, mean_cost - prev_cost_) : 0.0;
      nu_ = std::max(0.0, config_.kp * e + integral_ + config_.kd * d);
    }
    prev_cost_ = mean_cost;
    have_prev_ = true;
    return nu_;
  }

  void save(CheckpointWriter& out, const std::string& prefix) const {
    const Eigen::Matrix<double, 4, 1> s(u_(0), nu_, integral_, prev_cost_);
    out.add(prefix + "state", s);
    out.add_int(prefix + "have_prev", have_prev_ ? 1 : 0);
    adam_.save(out, prefix);
  }
  void load(const CheckpointReader& in, const std::string& prefix) {
    in.require<double>(prefix + "state", 4, 1);
    const std::int64_t hp = in.read_int(prefix + "have_prev");
    Adam<double, 1> a = adam_;
    a.load(in, prefix);
    Eigen::Matrix<double, 4, 1> s;
    in.read(prefix + "state", s);
    u_(0) = s(0);
    nu_ = s(1);
    integral_ = s(2);
    prev_cost_ = s(3);
    have_prev_ = hp != 0;
    adam_ = a;
  }

 private:
  MultiplierConfig config_;
  Eigen::Matrix<double, 1, 1> u_;  // [1] pre-softplus parameter (gradient rule)
  Adam<double, 1> adam_;           // optimiser of u
  double nu_ = 1.0;                // current multiplier
  double integral_ = 0.0;          // PID integral term
  double prev_cost_ = 0.0;         // c_bar of the previous update (PID derivative)
  bool have_prev_ = false;
};

}  // namespace icrl
