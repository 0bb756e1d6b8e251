// examples/fit_mlp.cpp - the core library in one page: a fixed-size tanh network learns a 2-D
// function with Adam, is saved to a checkpoint, loaded back and checked. Reads top to bottom.
//
//   fit_mlp [--steps N] [--seed S] [--out FILE]
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#include "icrl/icrl.hpp"

namespace {

// The target: a bump with a ridge, on [-2, 2]^2.
float target(float x, float y) { return std::sin(x) * std::cos(y) + 0.3f * std::tanh(2.0f * x * y); }

[[noreturn]] void usage(const char* why) {
  std::fprintf(stderr, "fit_mlp: %s\nusage: fit_mlp [--steps N (1..10000000)] [--seed S] [--out FILE]\n", why);
  std::exit(2);
}

long parse_long(const char* flag, const char* text, long lo, long hi) {
  char* end = nullptr;
  const long v = std::strtol(text, &end, 10);
  if (!end || *end != '\0' || v < lo || v > hi)
    usage((std::string(flag) + " needs an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) +
           "], got '" + text + "'").c_str());
  return v;
}

}  // namespace

int main(int argc, char** argv) {
  long steps = 4000, seed = 1;
  std::string out = "fit_mlp.ckpt";
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (i + 1 >= argc) usage(("missing value after " + a).c_str());
    if (a == "--steps") steps = parse_long("--steps", argv[++i], 1, 10000000);
    else if (a == "--seed") seed = parse_long("--seed", argv[++i], 0, 2147483647);
    else if (a == "--out") out = argv[++i];
    else usage(("unknown option '" + a + "' (accepted: --steps, --seed, --out)").c_str());
  }

  // 1. A network [2 -> 64 -> 64 -> 1], tanh hidden units, linear head; batches of 128.
  using Net = icrl::Mlp<float, icrl::Activation::tanh, icrl::Activation::identity, 2, 64, 64, 1>;
  constexpr int B = 128;
  icrl::Rng rng(static_cast<std::uint64_t>(seed), 0u);
  auto net = std::make_unique<Net>();
  net->init_orthogonal(rng, std::sqrt(2.0), 1.0);
  auto ws = std::make_unique<Net::Workspace<B>>();
  icrl::Adam<float, Net::kNumParams> adam;
  adam.config.lr = 1e-3;

  // 2. Train: sample a batch, forward, MSE, backward, clip, Adam.
  Eigen::Matrix<float, 2, B> x;  // [2, B] inputs
  Eigen::Matrix<float, 1, B> y;  // [1, B] targets
  Eigen::Matrix<float, 1, B> dy; // [1, B] dL/dprediction
  double loss = 0.0;
  for (long step = 1; step <= steps; ++step) {
    for (int j = 0; j < B; ++j) {
      x(0, j) = static_cast<float>(rng.uniform(-2.0, 2.0));
      x(1, j) = static_cast<float>(rng.uniform(-2.0, 2.0));
      y(j) = target(x(0, j), x(1, j));
    }
    net->zero_grad();
    loss = icrl::mse(net->forward(x, *ws), y, dy);
    net->backward(dy, *ws);
    icrl::clip_grad_norm(1.0, net->grad);
    adam.step(icrl::param_block(net->theta, net->grad));
    if (step == 1 || step % 1000 == 0 || step == steps)
      std::printf("step %6ld  mse %.6f\n", step, loss);
  }

  // 3. Save atomically, load into a fresh network, confirm identical predictions.
  icrl::CheckpointWriter writer("CKPT");
  net->save(writer, "net.");
  adam.save(writer, "net.");
  writer.save(out);
  auto loaded = std::make_unique<Net>();
  try {
    loaded->load(icrl::CheckpointReader::open(out, "CKPT"), "net.");
  } catch (const icrl::Error& e) {
    std::fprintf(stderr, "fit_mlp: %s\n", e.what());
    return 1;
  }
  Net::Workspace<1> one;
  Eigen::Vector2f probe(0.5f, -1.0f);
  const float a = net->forward(probe, one)(0);
  const float b = loaded->forward(probe, one)(0);
  std::printf("saved %s; f(0.5, -1) = %.4f, network %.4f, reloaded %.4f\n", out.c_str(),
              target(0.5f, -1.0f), a, b);
  return a == b ? 0 : 1;
}
