// tests/test_export_header.cpp - the headers `icrl export` writes (icrl/export.hpp), compiled the
// way firmware compiles them: -fno-exceptions -fno-rtti -Wall -Wextra -Werror and more
// (tests/meson.build), without Eigen and without the icrl library. For the same 16 inputs, every
// header's policy and constraint must give what the icrl library computed (export_expected.hpp,
// written together with the headers by tests/export_fixtures.cpp) within 1e-5, and a discrete
// policy the same action.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>

#include "export_expected.hpp"
#include "export_lap.hpp"
#include "export_norm.hpp"
#include "export_pc.hpp"

namespace {

constexpr float kTol = 1e-5f;

// |got - want| <= kTol, with both values in the failure message.
void check_close(float got, float want, const char* what, int sample) {
  CHECK_MESSAGE(std::fabs(got - want) <= kTol, what, " of sample ", sample, ": header ", got, ", library ", want);
}

}  // namespace

TEST_CASE("exported point-circle expert and constraint agree with the library") {
  namespace e = expected::pc;
  static_assert(export_pc::kObsDim == 4 && export_pc::kActDim == 2, "point-circle: 4 observations, 2 actions");
  static_assert(!export_pc::kDiscrete && export_pc::kHasConstraint, "a Gaussian policy with a constraint");
  CHECK(std::strcmp(export_pc::kEnv, "point-circle") == 0);
  int clipped = 0;
  float zeta_min = 1.0f, zeta_max = 0.0f;
  for (int k = 0; k < expected::kSamples; ++k) {
    float mean[2], act[2];
    export_pc::mean_action(e::obs[k], mean);
    export_pc::action(e::obs[k], act);
    for (int j = 0; j < 2; ++j) {
      check_close(mean[j], e::mean[k][j], "mean action", k);
      check_close(act[j], e::action[k][j], "clipped action", k);
      clipped += e::mean[k][j] != e::action[k][j] ? 1 : 0;
    }
    const float z = export_pc::zeta(e::obs[k], e::act[k]);
    check_close(z, e::zeta[k], "zeta", k);
    check_close(export_pc::cost(e::obs[k], e::act[k]), 1.0f - e::zeta[k], "cost", k);
    zeta_min = std::fmin(zeta_min, z);
    zeta_max = std::fmax(zeta_max, z);
  }
  // The inputs exercise the action box and a zeta far from its initial 0.5.
  CHECK(clipped > 0);
  CHECK(zeta_max - zeta_min > 0.3f);
}

TEST_CASE("exported normalised policy (clip +-10, no action box) and narrow constraint agree with the library") {
  namespace e = expected::norm;
  static_assert(export_norm::kObsDim == 5 && export_norm::kActDim == 3, "5 observations, 3 actions");
  for (int k = 0; k < expected::kSamples; ++k) {
    float mean[3], act[3];
    export_norm::mean_action(e::obs[k], mean);
    export_norm::action(e::obs[k], act);
    for (int j = 0; j < 3; ++j) {
      check_close(mean[j], e::mean[k][j], "mean action", k);
      CHECK(act[j] == mean[j]);  // no action box: action() is the mean
    }
    check_close(export_norm::zeta(e::obs[k], e::act[k]), e::zeta[k], "zeta", k);
    check_close(export_norm::cost(e::obs[k], e::act[k]), 1.0f - e::zeta[k], "cost", k);
  }
}

TEST_CASE("exported lap-grid expert (categorical) and one-hot constraint agree with the library") {
  namespace e = expected::lap;
  static_assert(export_lap::kObsDim == 1 && export_lap::kNumActions == 2 && export_lap::kDiscrete,
                "lap-grid: 1 observation, 2 discrete actions");
  int forward = 0;
  for (int k = 0; k < expected::kSamples; ++k) {
    CHECK_MESSAGE(export_lap::action(e::obs[k]) == e::action[k], "action of sample ", k);
    forward += e::action[k] == 0 ? 1 : 0;
    check_close(export_lap::zeta(e::obs[k], e::act[k]), e::zeta[k], "zeta", k);
    check_close(export_lap::cost(e::obs[k], e::act[k]), 1.0f - e::zeta[k], "cost", k);
  }
  CHECK(forward > 0);  // the expert drives forward (action 0) somewhere
}
