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
//
// Bound: after every update nu is clamped to [0, nu_max] (nu_max = inf, the default: no bound).
// Neither rule winds up beyond it. Gradient: when the Adam step takes u past
// u_max = softplus^-1(nu_max), u is set to u_max, nu to nu_max exactly, and Adam's moments restart,
// so the momentum gathered against the bound is dropped and the first step with c_bar < alpha
// lowers nu. PID: the integral is clamped to [0, nu_max] as well, so with c_bar < alpha the next
// nu = K_p e + I + K_d D is below nu_max (e < 0, D = 0).
//
// The budget alpha may change between updates (set_budget: ICRL's outer loop may set it each outer
// iteration); it is part of the saved state.
#pragma once

#include <algorithm>
#include <cmath>
#include <limits>
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
  double nu_max = std::numeric_limits<double>::infinity();  // nu stays in [0, nu_max] (> 0, >= nu_init)
};

class LagrangeMultiplier {
 public:
  LagrangeMultiplier() { reset(MultiplierConfig{}); }
  explicit LagrangeMultiplier(const MultiplierConfig& c) { reset(c); }

  void reset(const MultiplierConfig& c) {
    if (!(c.nu_init >= 0.0) || !std::isfinite(c.nu_init))
      throw Error("multiplier: nu_init must be a finite number >= 0 (got " + std::to_string(c.nu_init) + ")");
    if (!(c.nu_max > 0.0))
      throw Error("multiplier: nu_max must be > 0 (got " + std::to_string(c.nu_max) + ")");
    if (!(c.nu_max >= c.nu_init))
      throw Error("multiplier: nu_max must be >= nu_init (got nu_max " + std::to_string(c.nu_max) + ", nu_init " +
                  std::to_string(c.nu_init) + ")");
    config_ = c;
    // u_max = softplus^-1(nu_max); +inf when there is no bound (u is then never clamped).
    u_max_ = std::isfinite(c.nu_max) ? softplus_inverse(c.nu_max) : std::numeric_limits<double>::infinity();
    // softplus(u) = 0 only at u = -inf: start the gradient rule at a tiny positive nu instead.
    u_(0) = std::min(softplus_inverse(std::max(c.nu_init, 1e-8)), u_max_);
    adam_ = Adam<double, 1>(AdamConfig{c.lr, 0.9, 0.999, 1e-5});
    nu_ = c.rule == MultiplierRule::gradient ? std::min(softplus(u_(0)), c.nu_max) : c.nu_init;
    integral_ = c.rule == MultiplierRule::pid ? c.nu_init : 0.0;
    prev_cost_ = 0.0;
    have_prev_ = false;
  }

  double nu() const { return nu_; }
  const MultiplierConfig& config() const { return config_; }

  // Sets the budget alpha of the following updates. Must be finite; does not allocate.
  void set_budget(double alpha) {
    if (!std::isfinite(alpha)) throw Error("multiplier: the budget (cost_limit) must be finite");
    config_.budget = alpha;
  }

  // One update from the mean unnormalised per-step cost of the last rollout. Returns the new nu,
  // in [0, nu_max].
  double update(double mean_cost) {
    const double e = mean_cost - config_.budget;
    if (config_.rule == MultiplierRule::gradient) {
      Eigen::Matrix<double, 1, 1> g;
      g(0) = -e * sigmoid(u_(0));  // d/du of -softplus(u) (c_bar - alpha)
      adam_.step(param_block(u_, g));
      if (u_(0) > u_max_) {
        // Projected step: u back onto u_max, nu = nu_max exactly, no momentum into the bound.
        u_(0) = u_max_;
        nu_ = config_.nu_max;
        adam_.reset();
      } else {
        nu_ = std::min(softplus(u_(0)), config_.nu_max);
      }
    } else {
      integral_ = std::min(config_.nu_max, std::max(0.0, integral_ + config_.ki * e));
      const double d = have_prev_ ? std::max(0.0, mean_cost - prev_cost_) : 0.0;
      nu_ = std::min(config_.nu_max, std::max(0.0, config_.kp * e + integral_ + config_.kd * d));
    }
    prev_cost_ = mean_cost;
    have_prev_ = true;
    return nu_;
  }

  // State under `<prefix>`: state = [u, nu, I, c_bar_prev], have_prev, budget (alpha) and Adam's.
  void save(CheckpointWriter& out, const std::string& prefix) const {
    const Eigen::Matrix<double, 4, 1> s(u_(0), nu_, integral_, prev_cost_);
    out.add(prefix + "state", s);
    out.add_int(prefix + "have_prev", have_prev_ ? 1 : 0);
    Eigen::Matrix<double, 1, 1> b;
    b(0) = config_.budget;
    out.add(prefix + "budget", b);
    adam_.save(out, prefix);
  }
  // A state without `<prefix>budget` (written before the budget could change at run time) keeps
  // the configured budget, which is the one it was trained with.
  void load(const CheckpointReader& in, const std::string& prefix) {
    in.require<double>(prefix + "state", 4, 1);
    const bool has_budget = in.has(prefix + "budget");
    if (has_budget) in.require<double>(prefix + "budget", 1, 1);
    const std::int64_t hp = in.read_int(prefix + "have_prev");
    Adam<double, 1> a = adam_;
    a.load(in, prefix);
    Eigen::Matrix<double, 4, 1> s;
    in.read(prefix + "state", s);
    Eigen::Matrix<double, 1, 1> b;
    b(0) = config_.budget;
    if (has_budget) in.read(prefix + "budget", b);
    u_(0) = s(0);
    nu_ = s(1);
    integral_ = s(2);
    prev_cost_ = s(3);
    have_prev_ = hp != 0;
    config_.budget = b(0);
    adam_ = a;
  }

 private:
  MultiplierConfig config_;
  Eigen::Matrix<double, 1, 1> u_;  // [1] pre-softplus parameter (gradient rule)
  double u_max_ = std::numeric_limits<double>::infinity();  // softplus^-1(nu_max), u's upper bound
  Adam<double, 1> adam_;           // optimiser of u
  double nu_ = 1.0;                // current multiplier
  double integral_ = 0.0;          // PID integral term
  double prev_cost_ = 0.0;         // c_bar of the previous update (PID derivative)
  bool have_prev_ = false;
};

}  // namespace icrl
