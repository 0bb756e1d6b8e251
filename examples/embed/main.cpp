// examples/embed/main.cpp - a program outside the icrl build that uses the installed library:
// it builds a small network, runs it once and saves it. Built by Makefile (pkg-config) or
// meson.build (icrl as a subproject); see README "Using icrl from another project".
#include <cmath>
#include <cstdio>

#include <icrl/icrl.hpp>

int main() {
  using Net = icrl::Mlp<float, icrl::Activation::tanh, icrl::Activation::identity, 3, 64, 64, 1>;
  icrl::Rng rng(7u, 0u);
  static Net net;  // ~70 KiB: static storage rather than the stack
  net.init_orthogonal(rng, std::sqrt(2.0), 1.0);
  Net::Workspace<1> ws;
  const Eigen::Vector3f x(0.1f, -0.2f, 0.3f);
  std::printf("icrl net output: %.6f\n", static_cast<double>(net.forward(x, ws)(0)));
  icrl::CheckpointWriter w("CKPT");
  net.save(w, "net.");
  w.save("embed.ckpt");
  return 0;
}
