// examples/embedded_export.cpp - build-time step of examples/embedded_controller.cpp: writes the
// header it includes, as `icrl export` would, from the shipped point-circle expert and a stand-in
// constraint.
//
//   embedded_export POLICY OUT_DIR   ->  OUT_DIR/point_circle_wall.ckpt, OUT_DIR/point_circle_controller.hpp
//
// No learned constraint is shipped, so this fits one: a zeta network of the shape `icrl learn
// --env point-circle` learns (6 -> 20 -> 1 on x, y, cos th, sin th, a0, a1) is trained by plain
// supervised binary cross-entropy to the env's true constraint (allowed when x > -3), on uniform
// random states and actions, seed fixed: the same file on every build. It is *not* an ICRL
// result; put the constraint.ckpt of an `icrl learn` run in its place for that.
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>

#include "envs/point_circle.hpp"
#include "icrl/adam.hpp"
#include "icrl/constraint_net.hpp"
#include "icrl/error.hpp"
#include "icrl/export.hpp"
#include "icrl/losses.hpp"
#include "icrl/rng.hpp"

namespace {

using Env = icrl::envs::PointCircle;
using Zeta = icrl::ConstraintNet<Env::kObsDim + Env::kActDim, 20>;
constexpr double kWall = -3.0;  // PointCircleLeftWall: x <= -3 is a violation

// zeta fitted to [x > -3] by 3000 Adam steps on batches of 64 uniform (s, a).
void fit_wall(Zeta& z) {
  constexpr int B = 64;
  icrl::Rng rng(6u, 0u);
  z.init(rng);
  z.configure(Zeta::default_features<Env>(), Env::kObsDim, Env::kActDim, Env::kName);
  z.method = "supervised fit to x > -3 (examples/embedded_export.cpp)";
  icrl::AdamConfig config;
  config.lr = 3e-3;
  icrl::Adam<float, Zeta::Net::kNumParams> adam(config);
  auto ws = std::make_unique<Zeta::Workspace<B>>();
  Zeta::Input<B> x;
  Zeta::Row<B> y, dp;
  for (int step = 0; step < 3000; ++step) {
    for (int b = 0; b < B; ++b) {
      const double th = rng.uniform(-3.2, 3.2);
      const double s[Env::kObsDim] = {rng.uniform(-20.0, 20.0), rng.uniform(-20.0, 20.0), std::cos(th), std::sin(th)};
      const double a[Env::kActDim] = {rng.uniform(-0.25, 0.25), rng.uniform(-0.25, 0.25)};
      z.encode(s, a, x, b);
      y(b) = s[0] > kWall ? 1.0f : 0.0f;
    }
    icrl::bce(z.forward(x, *ws), y, dp);
    z.net.zero_grad();
    z.net.backward(dp, *ws);
    adam.step(icrl::param_block(z.net.theta, z.net.grad));
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: embedded_export POLICY OUT_DIR\n");
    return 2;
  }
  const std::string policy = argv[1], out = argv[2];
  try {
    auto z = std::make_unique<Zeta>();
    fit_wall(*z);
    const std::string zeta_path = out + "/point_circle_wall.ckpt";
    z->save(zeta_path);
    icrl::HeaderExport spec;
    spec.policy_path = policy;
    spec.constraint_path = zeta_path;
    for (int j = 0; j < Env::kActDim; ++j) {
      spec.action_low.push_back(Env::action_low()(j));
      spec.action_high.push_back(Env::action_high()(j));
    }
    icrl::export_header(spec, out + "/point_circle_controller.hpp");
  } catch (const icrl::Error& e) {
    std::fprintf(stderr, "embedded_export: %s\n", e.what());
    return 1;
  }
  return 0;
}
