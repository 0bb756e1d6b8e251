// tests/test_adam.cpp - Adam against steps computed by hand, several blocks at once, gradient-norm
// clipping, and an end-to-end fit (network + loss + Adam) that must actually learn.
#include <doctest/doctest.h>

#include <cmath>
#include <memory>

#include "icrl/adam.hpp"
#include "icrl/losses.hpp"
#include "icrl/mlp.hpp"

TEST_CASE("Adam: three steps equal the bias-corrected formula evaluated by hand") {
  icrl::AdamConfig cfg;
  cfg.lr = 0.1;
  cfg.beta1 = 0.9;
  cfg.beta2 = 0.999;
  cfg.eps = 1e-5;
  icrl::Adam<double, 2> opt(cfg);
  Eigen::Vector2d theta(1.0, -1.0), g;
  const double grads[3][2] = {{1.0, -2.0}, {0.5, 0.0}, {-3.0, 4.0}};
  double m[2] = {0, 0}, v[2] = {0, 0}, ref[2] = {1.0, -1.0};
  for (int t = 1; t <= 3; ++t) {
    g << grads[t - 1][0], grads[t - 1][1];
    opt.step(icrl::param_block(theta, g));
    for (int i = 0; i < 2; ++i) {
      m[i] = 0.9 * m[i] + 0.1 * grads[t - 1][i];
      v[i] = 0.999 * v[i] + 0.001 * grads[t - 1][i] * grads[t - 1][i];
      const double mhat = m[i] / (1 - std::pow(0.9, t));
      const double vhat = v[i] / (1 - std::pow(0.999, t));
      ref[i] -= 0.1 * mhat / (std::sqrt(vhat) + 1e-5);
    }
    CHECK(theta[0] == doctest::Approx(ref[0]).epsilon(1e-12));
    CHECK(theta[1] == doctest::Approx(ref[1]).epsilon(1e-12));
  }
  // First step moves every coordinate by ~lr in the direction against the gradient sign.
  CHECK(opt.steps() == 3);
}

TEST_CASE("Adam drives several blocks; each keeps its own moments") {
  icrl::Adam<double, 3, 1> opt;
  opt.config.lr = 0.05;
  Eigen::Vector3d a(3, -2, 1), ga;
  Eigen::Matrix<double, 1, 1> b, gb;
  b << 5;
  // Minimise |a|^2 + (b - 1)^2.
  for (int i = 0; i < 2000; ++i) {
    ga = 2 * a;
    gb << 2 * (b(0) - 1);
    opt.step(icrl::param_block(a, ga), icrl::param_block(b, gb));
  }
  CHECK(a.norm() < 1e-2);
  CHECK(std::abs(b(0) - 1) < 1e-2);
}

TEST_CASE("clip_grad_norm scales all blocks together and reports the norm") {
  Eigen::Vector2f g1(3, 0);
  Eigen::Vector2f g2(0, 4);
  const double n = icrl::clip_grad_norm(1.0, g1, g2);
  CHECK(n == doctest::Approx(5.0));
  CHECK(g1(0) == doctest::Approx(0.6).epsilon(1e-5));
  CHECK(g2(1) == doctest::Approx(0.8).epsilon(1e-5));
  Eigen::Vector2f small(0.1f, 0.1f);
  icrl::clip_grad_norm(1.0, small);
  CHECK(small(0) == 0.1f);  // below the threshold: untouched
}

TEST_CASE("end to end: a tanh [32, 32] network fits sin(3x) on [-1, 1] with Adam") {
  using Net = icrl::Mlp<float, icrl::Activation::tanh, icrl::Activation::identity, 1, 32, 32, 1>;
  constexpr int B = 64;
  icrl::Rng rng(4u, 0u);
  auto net = std::make_unique<Net>();
  net->init_orthogonal(rng, std::sqrt(2.0), 1.0);
  auto ws = std::make_unique<Net::Workspace<B>>();
  icrl::Adam<float, Net::kNumParams> opt;
  opt.config.lr = 3e-3;
  Eigen::Matrix<float, 1, B> x, y, d;
  double first = 0, last = 0;
  for (int it = 0; it < 3000; ++it) {
    for (int j = 0; j < B; ++j) {
      x(j) = static_cast<float>(rng.uniform(-1.0, 1.0));
      y(j) = std::sin(3.0f * x(j));
    }
    net->zero_grad();
    const double loss = icrl::mse(net->forward(x, *ws), y, d);
    net->backward(d, *ws);
    opt.step(icrl::param_block(net->theta, net->grad));
    if (it == 0) first = loss;
    last = loss;
  }
  CHECK(first > 0.1);
  CHECK(last < 1e-3);
}
