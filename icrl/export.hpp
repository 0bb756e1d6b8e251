// icrl/export.hpp - `icrl export`: a policy file (and optionally a learned constraint) as one
// self-contained C++17 header for embedded targets.
//
// The header holds the weights as `constexpr float` arrays (printed with %.9g, so every value
// reads back to the same float) and inline inference functions, in namespace NS:
//   continuous policy   void NS::mean_action(const float obs[kObsDim], float mean[kActDim])
//                         the deterministic action of `icrl eval --deterministic`: mu(s) after
//                         the observation normalisation saved with the policy
//                       void NS::action(const float obs[kObsDim], float act[kActDim])
//                         mu(s) clipped to the env's action box, i.e. what the env applies
//                         (= mean_action when the box is not known)
//   discrete policy     int NS::action(const float obs[kObsDim])      the most likely action
//   with a constraint   float NS::zeta(obs, act), float NS::cost(obs, act) = 1 - zeta, with
//                       zeta's input selection and clipping (constraint_net.hpp); act is
//                       float[kActDim] (continuous) or the action index (discrete)
// It needs <cmath> only: no Eigen, no heap, no exceptions, no RTTI, no mutable state; it compiles
// under -std=c++17 -fno-exceptions -fno-rtti -Wall -Wextra -Werror (tests/test_export_header.cpp).
// Everything is computed in float; it agrees with the library (float networks, float64
// normalisation) to about 1e-6.
//
// The files are read generically (architecture text + flat theta), so any width read from a
// policy or constraint file works; a file that does not fit is an icrl::Error naming the file,
// the entry and the fix.
#pragma once

#include <string>
#include <vector>

namespace icrl {

struct HeaderExport {
  std::string policy_path;                      // an ICRL/PLCY file (icrl train, icrl expert)
  std::string constraint_path;                  // an ICRL/CNST file (icrl learn), or empty
  std::vector<double> action_low, action_high;  // [A] the env's action box; empty: not known
};

// The namespace of a header written to `out_path`: its file name without the extension, with
// every character outside [A-Za-z0-9_] replaced by '_' (".../point-circle.hpp" -> point_circle).
// Throws icrl::Error when nothing usable is left or the name is a C++ keyword.
std::string export_namespace(const std::string& out_path);

// The header text for namespace `ns`; `header_name` is the file name written into its comment.
std::string export_header_text(const HeaderExport& spec, const std::string& ns, const std::string& header_name);

// v as a C++ float literal that reads back to exactly v: %.9g, a decimal point when needed, 'f'.
std::string float_literal(float v);

// Writes the header to out_path (atomically: <out_path>.tmp, fsync, rename), namespace from
// export_namespace(out_path).
void export_header(const HeaderExport& spec, const std::string& out_path);

}  // namespace icrl
