// icrl/icrl_method.hpp - the three ways of learning a constraint that share Algorithm 1's loop:
// ICRL itself (the backward step of eqs. (8), (10)-(12)), the binary classifier and
// GAIL-constraint (SPEC 4). Both trainers (icrl_trainer.hpp: PPO-Lagrangian forward step;
// tabular_icrl.hpp: exact forward step) take one of these.
#pragma once

#include <string>

namespace icrl {

enum class IcrlMethod { icrl, bc, gc };

inline const char* method_name(IcrlMethod m) {
  return m == IcrlMethod::icrl ? "icrl" : m == IcrlMethod::bc ? "bc" : "gc";
}

// "icrl", "bc" or "gc" to the method; false for anything else.
inline bool parse_method(const std::string& s, IcrlMethod& out) {
  if (s == "icrl") out = IcrlMethod::icrl;
  else if (s == "bc") out = IcrlMethod::bc;
  else if (s == "gc") out = IcrlMethod::gc;
  else return false;
  return true;
}

}  // namespace icrl
