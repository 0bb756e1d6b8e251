// benchmarks/bench_mlp.cpp - speed of the fixed-size networks:
//   single-sample forward of 3->64->64->1 and 18->64->64->6 tanh MLPs (ns per call), and a
//   batch-64 forward + backward + Adam step of the 18->64->64->6 network (us per step).
// Each figure is the median of 9 timed repeats of a loop long enough to last ~50 ms. Results
// for BENCHMARKS.md: `meson test -C build --benchmark -v`.
#include <cmath>
#include <cstdio>
#include <memory>
#include <vector>

#include "icrl/adam.hpp"
#include "icrl/losses.hpp"
#include "icrl/mlp.hpp"
#include "timing.hpp"

namespace {

using icrl::bench::calibrated;
volatile float g_sink = 0.0f;  // keeps results alive so the optimiser cannot drop the work

template <int In, int Out>
double single_forward_ns() {
  using Net = icrl::Mlp<float, icrl::Activation::tanh, icrl::Activation::identity, In, 64, 64, Out>;
  icrl::Rng rng(1u, 0u);
  auto net = std::make_unique<Net>();
  net->init_orthogonal(rng, std::sqrt(2.0), 0.01);
  typename Net::template Workspace<1> ws;
  // 64 distinct inputs, cycled, so the branch predictor and caches see a realistic stream.
  std::vector<Eigen::Matrix<float, In, 1>, Eigen::aligned_allocator<Eigen::Matrix<float, In, 1>>> inputs(64);
  for (auto& v : inputs) v.setRandom();
  return 1e9 * calibrated([&](long i) {
    g_sink = g_sink + net->forward(inputs[static_cast<std::size_t>(i & 63)], ws)(0);
  });
}

// Reference on the same machine: the same 3->64->64->1 forward written directly with Eigen
// fixed-size members (no workspace, no flat parameter vector): the floor icrl should match.
double plain_eigen_forward_ns() {
  struct Plain {
    Eigen::Matrix<float, 64, 3> W0;   // [64, 3]
    Eigen::Matrix<float, 64, 1> b0;   // [64]
    Eigen::Matrix<float, 64, 64> W1;  // [64, 64]
    Eigen::Matrix<float, 64, 1> b1;   // [64]
    Eigen::Matrix<float, 1, 64> W2;   // [1, 64]
    float b2 = 0.0f;
  };
  auto p = std::make_unique<Plain>();
  p->W0.setRandom();
  p->b0.setRandom();
  p->W1 = 0.1f * Eigen::Matrix<float, 64, 64>::Random();
  p->b1.setRandom();
  p->W2.setRandom();
  std::vector<Eigen::Vector3f, Eigen::aligned_allocator<Eigen::Vector3f>> inputs(64);
  for (auto& v : inputs) v.setRandom();
  return 1e9 * calibrated([&](long i) {
    const Eigen::Vector3f& x = inputs[static_cast<std::size_t>(i & 63)];
    const Eigen::Matrix<float, 64, 1> h1 = (p->W0 * x + p->b0).array().tanh();
    const Eigen::Matrix<float, 64, 1> h2 = (p->W1 * h1 + p->b1).array().tanh();
    g_sink = g_sink + p->W2.dot(h2.transpose()) + p->b2;
  });
}

double batch_train_step_us() {
  using Net = icrl::Mlp<float, icrl::Activation::tanh, icrl::Activation::identity, 18, 64, 64, 6>;
  constexpr int B = 64;
  icrl::Rng rng(2u, 0u);
  auto net = std::make_unique<Net>();
  net->init_orthogonal(rng, std::sqrt(2.0), 0.01);
  auto ws = std::make_unique<Net::Workspace<B>>();
  auto opt = std::make_unique<icrl::Adam<float, Net::kNumParams>>();
  opt->config.lr = 1e-5;
  Eigen::Matrix<float, 18, B> x = Eigen::Matrix<float, 18, B>::Random();
  Eigen::Matrix<float, 6, B> y = Eigen::Matrix<float, 6, B>::Random(), d;
  return 1e6 * calibrated([&](long) {
    net->zero_grad();
    g_sink = g_sink + static_cast<float>(icrl::mse(net->forward(x, *ws), y, d));
    net->backward(d, *ws);
    opt->step(icrl::param_block(net->theta, net->grad));
  });
}

}  // namespace

int main() {
  std::printf("forward 3->64->64->1   batch 1 : %8.1f ns\n", single_forward_ns<3, 1>());
  std::printf("  (plain Eigen fixed-size reference, same net : %8.1f ns)\n", plain_eigen_forward_ns());
  std::printf("forward 18->64->64->6  batch 1 : %8.1f ns\n", single_forward_ns<18, 6>());
  std::printf("train step 18->64->64->6 batch 64 (forward + backward + Adam) : %8.2f us\n",
              batch_train_step_us());
  return 0;
}
