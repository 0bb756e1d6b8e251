// tests/test_mlp.cpp - finite-difference gradient checks of every layer, activation and loss
// (double, and float with a looser tolerance), and the initialisations.
#include <doctest/doctest.h>

#include <cmath>
#include <memory>
#include <type_traits>

#include "icrl/losses.hpp"
#include "icrl/mlp.hpp"

using icrl::Activation;
using icrl::Rng;

namespace {

// L(theta, x) = sum(C .* net(x)) with a fixed random C, so dL/doutput = C.
template <typename Net, int B>
double probe_loss(const Net& net, const Eigen::Matrix<typename Net::Scalar, Net::kIn, B>& x,
                  const Eigen::Matrix<typename Net::Scalar, Net::kOut, B>& C) {
  auto ws = std::make_unique<typename Net::template Workspace<B>>();
  return static_cast<double>(C.cwiseProduct(net.forward(x, *ws)).sum());
}

// Compares backward() with central differences for every parameter and every input.
template <typename Net, int B>
void check_gradients(double h, double tol, std::uint64_t seed, bool fan_in_init) {
  using S = typename Net::Scalar;
  Rng rng(seed, 11u);
  auto net = std::make_unique<Net>();
  if (fan_in_init)
    net->init_fan_in_uniform(rng);
  else
    net->init_orthogonal(rng, 1.0, 1.0);
  // Non-zero biases so every term of the gradient is exercised.
  for (int i = 0; i < Net::kNumParams; ++i) net->theta[i] += static_cast<S>(0.1 * rng.normal());
  Eigen::Matrix<S, Net::kIn, B> x;
  Eigen::Matrix<S, Net::kOut, B> C;
  for (int i = 0; i < x.size(); ++i) x(i) = static_cast<S>(rng.normal());
  for (int i = 0; i < C.size(); ++i) C(i) = static_cast<S>(rng.normal());

  auto ws = std::make_unique<typename Net::template Workspace<B>>();
  net->zero_grad();
  net->forward(x, *ws);
  net->backward(C, *ws);

  // Double: the worst coordinate must agree. Float: round-off and (for relu) kinks inside +-h make
  // single coordinates noisy, so the whole vector is compared: |g_num - g| / |g_num|.
  double worst = 0.0, diff2 = 0.0, norm2 = 0.0;
  for (int i = 0; i < Net::kNumParams; ++i) {
    const S saved = net->theta[i];
    net->theta[i] = saved + static_cast<S>(h);
    const double up = probe_loss<Net, B>(*net, x, C);
    net->theta[i] = saved - static_cast<S>(h);
    const double down = probe_loss<Net, B>(*net, x, C);
    net->theta[i] = saved;
    const double numeric = (up - down) / (2 * h);
    const double analytic = static_cast<double>(net->grad[i]);
    worst = std::max(worst, std::abs(numeric - analytic) / std::max(1.0, std::abs(numeric)));
    diff2 += (numeric - analytic) * (numeric - analytic);
    norm2 += numeric * numeric;
  }
  if (std::is_same_v<S, double>)
    CHECK(worst < tol);
  else
    CHECK(std::sqrt(diff2 / norm2) < tol);

  double worst_input = 0.0;
  diff2 = norm2 = 0.0;
  for (int i = 0; i < x.size(); ++i) {
    Eigen::Matrix<S, Net::kIn, B> xp = x, xm = x;
    xp(i) += static_cast<S>(h);
    xm(i) -= static_cast<S>(h);
    const double numeric = (probe_loss<Net, B>(*net, xp, C) - probe_loss<Net, B>(*net, xm, C)) / (2 * h);
    const double analytic = static_cast<double>(ws->input_grad()(i));
    worst_input = std::max(worst_input, std::abs(numeric - analytic) / std::max(1.0, std::abs(numeric)));
    diff2 += (numeric - analytic) * (numeric - analytic);
    norm2 += numeric * numeric;
  }
  if (std::is_same_v<S, double>)
    CHECK(worst_input < tol);
  else
    CHECK(std::sqrt(diff2 / norm2) < tol);
}

}  // namespace

TEST_CASE("gradient check, double: every hidden and output activation") {
  check_gradients<icrl::Mlp<double, Activation::tanh, Activation::identity, 3, 7, 5, 2>, 4>(1e-6, 1e-7, 1, false);
  check_gradients<icrl::Mlp<double, Activation::relu, Activation::sigmoid, 4, 6, 1>, 5>(1e-6, 1e-7, 2, true);
  check_gradients<icrl::Mlp<double, Activation::sigmoid, Activation::tanh, 2, 3, 3>, 3>(1e-6, 1e-7, 3, true);
  check_gradients<icrl::Mlp<double, Activation::identity, Activation::relu, 5, 4>, 2>(1e-6, 1e-7, 4, true);
  check_gradients<icrl::Mlp<double, Activation::tanh, Activation::tanh, 6, 8, 8, 8, 3>, 1>(1e-6, 1e-7, 5, false);
}

TEST_CASE("gradient check, float: the networks the method uses, looser tolerance") {
  check_gradients<icrl::Mlp<float, Activation::tanh, Activation::identity, 3, 64, 64, 1>, 8>(1e-2, 1e-2, 6, false);
  check_gradients<icrl::Mlp<float, Activation::relu, Activation::sigmoid, 2, 20, 1>, 8>(1e-3, 1e-2, 7, true);
}

TEST_CASE("backward accumulates over batches until zero_grad") {
  using Net = icrl::Mlp<double, Activation::tanh, Activation::identity, 2, 4, 1>;
  Rng rng(8u, 0u);
  Net net;
  net.init_orthogonal(rng, std::sqrt(2.0), 1.0);
  Eigen::Matrix<double, 2, 3> x = Eigen::Matrix<double, 2, 3>::Random();
  Eigen::Matrix<double, 1, 3> d = Eigen::Matrix<double, 1, 3>::Ones();
  Net::Workspace<3> ws;
  net.zero_grad();
  net.forward(x, ws);
  net.backward(d, ws);
  const Net::Params once = net.grad;
  net.forward(x, ws);
  net.backward(d, ws);
  CHECK((net.grad - 2 * once).norm() < 1e-12);
  net.zero_grad();
  CHECK(net.grad.norm() == 0.0);
}

TEST_CASE("parameter layout: W_0, b_0, W_1, b_1 in one flat vector") {
  using Net = icrl::Mlp<float, Activation::tanh, Activation::identity, 18, 64, 64, 6>;
  static_assert(Net::kNumParams == 18 * 64 + 64 + 64 * 64 + 64 + 64 * 6 + 6, "parameter count");
  static_assert(Net::bias_offset(0) == 18 * 64, "b_0 follows W_0");
  static_assert(Net::weight_offset(2) == 18 * 64 + 64 + 64 * 64 + 64, "W_2 offset");
  auto net = std::make_unique<Net>();
  net->theta.setZero();
  net->b<1>()(3) = 5.0f;
  CHECK(net->theta[Net::bias_offset(1) + 3] == 5.0f);
  net->W<0>()(2, 1) = 7.0f;  // column-major: index row + col * rows
  CHECK(net->theta[2 + 1 * 64] == 7.0f);
}

TEST_CASE("forward matches a hand-written computation") {
  using Net = icrl::Mlp<double, Activation::relu, Activation::sigmoid, 2, 3, 1>;
  Net net;
  net.W<0>() << 1, -1, 0.5, 2, -3, 0;
  net.b<0>() << 0.1, -0.2, 0.3;
  net.W<1>() << 0.7, -0.4, 1.5;
  net.b<1>() << -0.05;
  Eigen::Vector2d x(0.3, -0.6);
  Net::Workspace<1> ws;
  // The comma initialiser fills row by row: W_0 = [[1, -1], [0.5, 2], [-3, 0]].
  const double h0 = std::max(0.0, 1 * 0.3 - 1 * -0.6 + 0.1);
  const double h1 = std::max(0.0, 0.5 * 0.3 + 2 * -0.6 - 0.2);
  const double h2 = std::max(0.0, -3 * 0.3 + 0 * -0.6 + 0.3);
  const double z = 0.7 * h0 - 0.4 * h1 + 1.5 * h2 - 0.05;
  CHECK(net.forward(x, ws)(0) == doctest::Approx(1.0 / (1.0 + std::exp(-z))).epsilon(1e-14));
}

TEST_CASE("orthogonal init: W^T W = gain^2 I (tall), W W^T = gain^2 I (wide); biases zero") {
  using Net = icrl::Mlp<double, Activation::tanh, Activation::identity, 3, 64, 64, 2>;
  Rng rng(9u, 0u);
  auto net = std::make_unique<Net>();
  net->init_orthogonal(rng, std::sqrt(2.0), 0.01);
  const auto W0 = net->W<0>();  // [64, 3] tall
  const auto W1 = net->W<1>();  // [64, 64] square
  const auto W2 = net->W<2>();  // [2, 64] wide
  CHECK((W0.transpose() * W0 - 2.0 * Eigen::Matrix3d::Identity()).cwiseAbs().maxCoeff() < 1e-12);
  CHECK((W1.transpose() * W1 - 2.0 * Eigen::Matrix<double, 64, 64>::Identity()).cwiseAbs().maxCoeff() < 1e-12);
  CHECK((W1 * W1.transpose() - 2.0 * Eigen::Matrix<double, 64, 64>::Identity()).cwiseAbs().maxCoeff() < 1e-12);
  CHECK((W2 * W2.transpose() - 1e-4 * Eigen::Matrix2d::Identity()).cwiseAbs().maxCoeff() < 1e-15);
  CHECK(net->b<0>().norm() == 0.0);
  CHECK(net->b<2>().norm() == 0.0);
  // Different seeds give different weights; the same seed the same ones.
  Rng again(9u, 0u), other(10u, 0u);
  auto a = std::make_unique<Net>(), b = std::make_unique<Net>();
  a->init_orthogonal(again, std::sqrt(2.0), 0.01);
  b->init_orthogonal(other, std::sqrt(2.0), 0.01);
  CHECK(a->theta == net->theta);
  CHECK(b->theta != net->theta);
}

TEST_CASE("fan-in uniform init stays inside +-1/sqrt(fan_in) and fills the range") {
  using Net = icrl::Mlp<float, Activation::relu, Activation::sigmoid, 4, 20, 1>;
  Rng rng(10u, 0u);
  Net net;
  net.init_fan_in_uniform(rng);
  CHECK(net.W<0>().cwiseAbs().maxCoeff() <= 0.5f);
  CHECK(net.W<0>().cwiseAbs().maxCoeff() > 0.4f);
  CHECK(net.W<1>().cwiseAbs().maxCoeff() <= 1.0f / std::sqrt(20.0f));
  CHECK(std::abs(net.W<0>().mean()) < 0.1f);
}

TEST_CASE("losses: mse and bce gradients match finite differences; values by hand") {
  Eigen::Matrix<double, 1, 4> p, y, g;
  p << 0.1, 0.4, 0.8, 0.999;
  y << 0, 1, 1, 0.5;
  const double L = icrl::bce(p, y, g);
  const double e = 1e-5;
  const double hand = -(std::log(1 - 0.1 + e) + std::log(0.4 + e) + std::log(0.8 + e) +
                        0.5 * std::log(0.999 + e) + 0.5 * std::log(1 - 0.999 + e)) / 4;
  CHECK(L == doctest::Approx(hand).epsilon(1e-12));
  Eigen::Matrix<double, 1, 4> tmp;
  for (int i = 0; i < 4; ++i) {
    auto pp = p, pm = p;
    pp(i) += 1e-7;
    pm(i) -= 1e-7;
    const double num = (icrl::bce(pp, y, tmp) - icrl::bce(pm, y, tmp)) / 2e-7;
    CHECK(g(i) == doctest::Approx(num).epsilon(1e-5));
  }
  Eigen::Matrix<double, 3, 2> a, t, ga;
  a << 1, 2, 3, 4, 5, 6;
  t << 1, 1, 1, 1, 1, 1;
  const double M = icrl::mse(a, t, ga);
  CHECK(M == doctest::Approx((0 + 1 + 4 + 9 + 16 + 25) / 6.0));
  CHECK(ga(2, 1) == doctest::Approx(2.0 * 5 / 6));
}

TEST_CASE("softplus, its inverse and sigmoid: stable at extremes and inverse of each other") {
  for (double x : {-800.0, -30.0, -1.0, 0.0, 0.5, 3.0, 30.0, 800.0}) {
    const double sp = icrl::softplus(x);
    CHECK(std::isfinite(sp));
    CHECK(sp >= 0.0);
    if (x > -30) CHECK(icrl::softplus_inverse(sp) == doctest::Approx(x).epsilon(1e-9));
    CHECK(icrl::sigmoid(x) >= 0.0);
    CHECK(icrl::sigmoid(x) <= 1.0);
  }
  CHECK(icrl::softplus(0.0) == doctest::Approx(std::log(2.0)));
  CHECK(icrl::softplus(800.0) == 800.0);
  CHECK(icrl::softplus_inverse(1.0) == doctest::Approx(std::log(std::exp(1.0) - 1.0)));
  CHECK(icrl::sigmoid(-800.0) == 0.0);
  CHECK(icrl::sigmoid(2.0) == doctest::Approx(1.0 / (1.0 + std::exp(-2.0))));
}
