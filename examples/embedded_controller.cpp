// examples/embedded_controller.cpp - what firmware does with a header from `icrl export`: a
// control loop that reads an observation, asks the policy for an action, checks the action with
// the constraint's cost, and holds still instead when the cost says the step is not allowed.
// It uses the exported header and the C standard library only: no Eigen, no icrl library, no
// heap in the loop; built with -fno-exceptions -fno-rtti (examples/meson.build).
//
// The header, point_circle_controller.hpp, is generated at build time by
// examples/embedded_export.cpp from the shipped point-circle expert
// (envs/data/point-circle.expert.ckpt) and a stand-in constraint: no learned constraint is
// shipped, so that program fits a zeta network of the shape `icrl learn --env point-circle`
// produces to the env's true constraint (x > -3 allowed). With a learned one:
//   icrl export --policy expert.ckpt --constraint run/constraint.ckpt --out point_circle_controller.hpp
//
//   embedded_controller            observations from a built-in sensor stub: a sweep once round
//                                  the circle of radius 10, heading clockwise along it
//   embedded_controller FILE       observations from FILE: lines of kObsDim numbers
//                                  (x y cos_th sin_th), or the CSV of
//                                  `icrl demos --export envs/data/point-circle.demos --format csv`
// One line per step: observation, the policy's action, zeta, the cost, and what is done.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "point_circle_controller.hpp"

namespace ctl = point_circle_controller;

namespace {

constexpr float kMaxCost = 0.5f;  // act only when c(s, a) = 1 - zeta(s, a) is below this
constexpr int kSweepSteps = 24;

// The sensor: the next observation into obs; false when there is none. A FILE when given,
// otherwise the sweep round the circle.
class Sensor {
 public:
  explicit Sensor(std::FILE* file) : file_(file) {}

  bool read(float obs[ctl::kObsDim]) {
    if (!file_) return sweep(obs);
    char line[1024];
    while (std::fgets(line, sizeof line, file_)) {
      if (std::strncmp(line, "episode,t", 9) == 0) {  // a demos CSV: episode, t, obs_0, ...
        skip_ = 2;
        continue;
      }
      float values[ctl::kObsDim + 2];
      int n = 0;
      for (char* p = line; n < skip_ + ctl::kObsDim;) {
        char* end = nullptr;
        const float v = std::strtof(p, &end);
        if (end == p) break;
        values[n++] = v;
        p = end + std::strspn(end, ", \t");
      }
      if (n < skip_ + ctl::kObsDim) continue;  // not an observation line
      for (int i = 0; i < ctl::kObsDim; ++i) obs[i] = values[skip_ + i];
      return true;
    }
    return false;
  }

 private:
  bool sweep(float obs[ctl::kObsDim]) {
    if (step_ == kSweepSteps) return false;
    const float phi = 6.2831853f * static_cast<float>(step_++) / kSweepSteps;  // position angle
    obs[0] = 10.0f * std::cos(phi);
    obs[1] = 10.0f * std::sin(phi);
    obs[2] = std::sin(phi);   // clockwise tangent: heading phi - pi/2
    obs[3] = -std::cos(phi);
    return true;
  }

  std::FILE* file_;
  int skip_ = 0;  // leading columns before the observation
  int step_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  std::FILE* file = nullptr;
  if (argc == 2) {
    file = std::fopen(argv[1], "r");
    if (!file) {
      std::fprintf(stderr, "embedded_controller: cannot open '%s': check the path\n", argv[1]);
      return 1;
    }
  } else if (argc > 2) {
    std::fprintf(stderr, "usage: embedded_controller [OBSERVATIONS_FILE]\n");
    return 2;
  }
  std::printf("env %s: %d observations -> %d actions; constraint: %s\n", ctl::kEnv, ctl::kObsDim, ctl::kActDim,
              ctl::kHasConstraint ? "yes" : "no");
  std::printf("%4s %8s %8s %7s %7s | %7s %7s | %6s %6s | %s\n", "step", "x", "y", "cos", "sin", "a0", "a1", "zeta",
              "cost", "decision");
  Sensor sensor(file);
  float obs[ctl::kObsDim];
  float act[ctl::kActDim];
  int steps = 0, held = 0;
  while (sensor.read(obs)) {
    ctl::action(obs, act);                    // the policy's action, clipped to the action box
    const float zeta = ctl::zeta(obs, act);   // learned probability that (s, a) is allowed
    const float cost = 1.0f - zeta;           // = ctl::cost(obs, act)
    const bool hold = cost >= kMaxCost;
    std::printf("%4d %8.3f %8.3f %7.3f %7.3f | %7.4f %7.4f | %6.3f %6.3f | %s\n", steps, static_cast<double>(obs[0]),
                static_cast<double>(obs[1]), static_cast<double>(obs[2]), static_cast<double>(obs[3]),
                static_cast<double>(act[0]), static_cast<double>(act[1]), static_cast<double>(zeta),
                static_cast<double>(cost), hold ? "HOLD (cost too high)" : "act");
    if (hold)
      for (float& a : act) a = 0.0f;  // the safe fallback: stand still
    // ... here firmware would send act to the actuators ...
    ++steps;
    held += hold ? 1 : 0;
  }
  if (file) std::fclose(file);
  std::printf("%d steps, %d held because the constraint's cost was >= %.2f\n", steps, held,
              static_cast<double>(kMaxCost));
  return 0;
}
