// cli/ppo_settings.hpp - the names under which PpoConfig's fields are set (`--set key=value`)
// and written (config.txt). One table, so the two can never disagree.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "args.hpp"
#include "icrl/ppo_lagrangian.hpp"
#include "icrl/text_format.hpp"

namespace icrl::cli {

struct Setting {
  std::string key;                                           // name after --set
  std::string comment;                                       // one line for config.txt
  std::function<std::string(const PpoConfig&)> get;          // current value as text
  std::function<void(PpoConfig&, const std::string&)> set;   // parses and assigns (UsageError)
};


inline const std::vector<Setting>& ppo_settings() {
  auto integer = [](const char* key, int PpoConfig::*field, std::int64_t lo, std::int64_t hi, const char* comment) {
    return Setting{key, comment, [field](const PpoConfig& c) { return std::to_string(c.*field); },
                   [key, field, lo, hi](PpoConfig& c, const std::string& v) {
                     c.*field = static_cast<int>(parse_integer(std::string("--set ") + key, v, lo, hi));
                   }};
  };
  auto real = [](const char* key, double PpoConfig::*field, const char* comment) {
    return Setting{key, comment, [field](const PpoConfig& c) { return format_number(c.*field); },
                   [key, field](PpoConfig& c, const std::string& v) {
                     c.*field = parse_number(std::string("--set ") + key, v);
                   }};
  };
  auto flag = [](const char* key, bool PpoConfig::*field, const char* comment) {
    return Setting{key, comment, [field](const PpoConfig& c) { return std::string(c.*field ? "true" : "false"); },
                   [key, field](PpoConfig& c, const std::string& v) {
                     c.*field = parse_bool(std::string("--set ") + key, v);
                   }};
  };
  auto mult = [](const char* key, double MultiplierConfig::*field, const char* comment) {
    return Setting{key, comment, [field](const PpoConfig& c) { return format_number(c.multiplier.*field); },
                   [key, field](PpoConfig& c, const std::string& v) {
                     c.multiplier.*field = parse_number(std::string("--set ") + key, v);
                   }};
  };
  static const std::vector<Setting> table = {
      integer("n_steps", &PpoConfig::n_steps, 1, 1 << 20, "rollout length per environment copy per update"),
      integer("minibatch_size", &PpoConfig::minibatch_size, 1, 1 << 24, "samples per gradient step"),
      integer("epochs", &PpoConfig::epochs, 1, 1000, "passes over the rollout per update"),
      real("lr", &PpoConfig::lr, "Adam step size of the policy and both critics"),
      real("adam_eps", &PpoConfig::adam_eps, "Adam epsilon"),
      real("clip", &PpoConfig::clip, "epsilon of the clipped surrogate"),
      flag("normalize_advantage", &PpoConfig::normalize_advantage, "scale the reward advantage to unit std per minibatch (false: centre only)"),
      Setting{"cost_advantage", "cost advantage per minibatch: center (A_c - mean) or standardize (as the reward's)",
              [](const PpoConfig& c) {
                return std::string(c.cost_advantage == CostAdvantageScale::standardize ? "standardize" : "center");
              },
              [](PpoConfig& c, const std::string& v) {
                if (v == "center") c.cost_advantage = CostAdvantageScale::center;
                else if (v == "standardize") c.cost_advantage = CostAdvantageScale::standardize;
                else throw UsageError("--set cost_advantage needs center or standardize, got '" + v + "'");
              }},
      real("target_kl", &PpoConfig::target_kl, "skip remaining epochs once an epoch's mean KL > 1.5 x this (0: never)"),
      real("max_grad_norm", &PpoConfig::max_grad_norm, "global gradient-norm clip"),
      real("entropy_coef", &PpoConfig::entropy_coef, "weight of the entropy bonus"),
      real("value_coef", &PpoConfig::value_coef, "weight of each critic's mean squared error"),
      real("init_log_std", &PpoConfig::init_log_std, "initial log sigma of a Gaussian policy"),
      real("gamma", &PpoConfig::gamma, "reward discount"),
      real("lambda", &PpoConfig::lambda, "reward GAE lambda"),
      real("cost_gamma", &PpoConfig::cost_gamma, "cost discount"),
      real("cost_lambda", &PpoConfig::cost_lambda, "cost GAE lambda"),
      flag("normalize_obs", &PpoConfig::normalize_obs, "running observation normalisation"),
      flag("normalize_reward", &PpoConfig::normalize_reward, "scale rewards by a running return std"),
      flag("normalize_cost", &PpoConfig::normalize_cost, "scale costs by a running return std"),
      flag("use_cost", &PpoConfig::use_cost, "false: plain PPO (no cost critic, nu = 0)"),
      Setting{"multiplier", "gradient (nu = softplus(u), Adam on u) or pid",
              [](const PpoConfig& c) {
                return std::string(c.multiplier.rule == MultiplierRule::pid ? "pid" : "gradient");
              },
              [](PpoConfig& c, const std::string& v) {
                if (v == "gradient") c.multiplier.rule = MultiplierRule::gradient;
                else if (v == "pid") c.multiplier.rule = MultiplierRule::pid;
                else throw UsageError("--set multiplier needs gradient or pid, got '" + v + "'");
              }},
      mult("nu_init", &MultiplierConfig::nu_init, "multiplier before the first update"),
      // inf is written for the default (no bound) and read back; any other value must be finite.
      Setting{"nu_max", "upper bound of the multiplier: nu stays in [0, nu_max] (inf: none)",
              [](const PpoConfig& c) { return format_number(c.multiplier.nu_max); },
              [](PpoConfig& c, const std::string& v) {
                if (v == "inf") {
                  c.multiplier.nu_max = std::numeric_limits<double>::infinity();
                  return;
                }
                try {
                  c.multiplier.nu_max = parse_number("--set nu_max", v);
                } catch (const UsageError&) {
                  throw UsageError("--set nu_max needs a finite number or inf, got '" + v + "'");
                }
              }},
      mult("nu_lr", &MultiplierConfig::lr, "Adam step size of the multiplier (gradient rule)"),
      mult("cost_limit", &MultiplierConfig::budget, "budget alpha: allowed mean per-step cost"),
      mult("pid_kp", &MultiplierConfig::kp, "PID proportional gain"),
      mult("pid_ki", &MultiplierConfig::ki, "PID integral gain"),
      mult("pid_kd", &MultiplierConfig::kd, "PID derivative gain"),
  };
  return table;
}

// Applies one `key=value`; UsageError listing the keys when key is unknown.
inline void apply_setting(PpoConfig& c, const std::string& assignment) {
  const auto eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0)
    throw UsageError("--set needs key=value, got '" + assignment + "'");
  const std::string key = assignment.substr(0, eq), value = assignment.substr(eq + 1);
  for (const auto& s : ppo_settings())
    if (s.key == key) return s.set(c, value);
  std::string keys;
  for (const auto& s : ppo_settings()) keys += (keys.empty() ? "" : ", ") + s.key;
  throw UsageError("--set: unknown key '" + key + "' (accepted: " + keys + ")");
}

// config.txt: one `key = value  # comment` line per setting.
inline std::string describe_config(const PpoConfig& c) {
  std::string s;
  for (const auto& e : ppo_settings()) {
    std::string line = e.key + " = " + e.get(c);
    if (line.size() < 40) line.resize(40, ' ');
    s += line + "  # " + e.comment + "\n";
  }
  return s;
}

}  // namespace icrl::cli
