// benchmarks/bench_embedded.cpp - per-call latency of a header written by `icrl export`
// (point_circle_controller.hpp, generated at build time by examples/embedded_export.cpp: the
// point-circle expert, 4 -> 64 -> 64 -> 2 tanh, and a zeta of the shape `icrl learn --env
// point-circle` learns, 6 -> 20 -> 1). Built like examples/embedded_controller.cpp, with
// -fno-exceptions -fno-rtti and without Eigen. Reports ns per call of the policy's mean action,
// the clipped action, the constraint's cost, and one whole control step (action + cost), each
// the median of 9 timed repeats of a loop of ~50 ms over 64 distinct observations.
#include <cmath>
#include <cstdio>

#include "point_circle_controller.hpp"
#include "timing.hpp"

namespace {

namespace ctl = point_circle_controller;
using icrl::bench::calibrated;
volatile float g_sink = 0.0f;  // keeps results alive so the optimiser cannot drop the work

float g_obs[64][ctl::kObsDim];  // observations round the circle of radius 12, all headings
float g_act[64][ctl::kActDim];  // actions across the box

}  // namespace

int main() {
  for (int k = 0; k < 64; ++k) {
    const float phi = 0.0981748f * static_cast<float>(k), th = 0.7f * static_cast<float>(k);
    g_obs[k][0] = 12.0f * std::cos(phi);
    g_obs[k][1] = 12.0f * std::sin(phi);
    g_obs[k][2] = std::cos(th);
    g_obs[k][3] = std::sin(th);
    g_act[k][0] = 0.25f * std::sin(1.3f * static_cast<float>(k));
    g_act[k][1] = 0.25f * std::cos(0.9f * static_cast<float>(k));
  }
  std::printf("exported header: policy %d floats (%d bytes), constraint %d floats (%d bytes)\n", ctl::kPolicyParams,
              ctl::kPolicyParams * 4, ctl::kConstraintParams, ctl::kConstraintParams * 4);
  const double mean_ns = 1e9 * calibrated([](long i) {
    float a[ctl::kActDim];
    ctl::mean_action(g_obs[i & 63], a);
    g_sink = g_sink + a[0];
  });
  const double action_ns = 1e9 * calibrated([](long i) {
    float a[ctl::kActDim];
    ctl::action(g_obs[i & 63], a);
    g_sink = g_sink + a[0];
  });
  const double cost_ns = 1e9 * calibrated([](long i) { g_sink = g_sink + ctl::cost(g_obs[i & 63], g_act[i & 63]); });
  const double step_ns = 1e9 * calibrated([](long i) {
    float a[ctl::kActDim];
    ctl::action(g_obs[i & 63], a);
    g_sink = g_sink + ctl::cost(g_obs[i & 63], a);
  });
  std::printf("policy mean_action 4->64->64->2       : %8.1f ns\n", mean_ns);
  std::printf("policy action (mean clipped to box)   : %8.1f ns\n", action_ns);
  std::printf("constraint cost 6->20->1              : %8.1f ns\n", cost_ns);
  std::printf("control step (action + cost)          : %8.1f ns\n", step_ns);
  return 0;
}
