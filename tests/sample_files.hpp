// tests/sample_files.hpp - small valid icrl files written by the library: where the corrupted
// files of tests/test_corrupt_files.cpp and the fuzz seeds of fuzz/seeds.cpp start from.
#pragma once

#include <vector>

#include <Eigen/Core>

#include "envs/lap_grid.hpp"
#include "icrl/adam.hpp"
#include "icrl/checkpoint.hpp"
#include "icrl/constraint_net.hpp"
#include "icrl/mlp.hpp"
#include "icrl/rng.hpp"
#include "icrl/running_stats.hpp"

namespace sample_files {

using Net = icrl::Mlp<float, icrl::Activation::tanh, icrl::Activation::identity, 2, 8, 1>;
using LapZeta = icrl::ConstraintNet<3, 20>;  // lap-grid's default inputs: s0, [a=0], [a=1]

// A "CKPT" file: a network under "net.", its Adam state after one step (also "net."), and an
// enabled observation normaliser that has seen three observations under "norm.".
inline std::vector<unsigned char> checkpoint() {
  icrl::Rng rng(4u, 0u);
  Net net;
  net.init_orthogonal(rng, 1.0, 1.0);
  icrl::Adam<float, Net::kNumParams> adam;
  net.grad.setConstant(0.5f);
  adam.step(icrl::param_block(net.theta, net.grad));
  icrl::ObsNormalizer<2> norm;
  norm.enabled = true;
  Eigen::Matrix<double, 2, 3> batch;
  batch << 0.1, -0.4, 2.0, 1.5, 0.3, -1.0;
  norm.update(batch);
  icrl::CheckpointWriter w("CKPT");
  net.save(w, "net.");
  adam.save(w, "net.");
  norm.save(w, "norm.");
  return w.bytes();
}

// A "CNST" file: a freshly initialised lap-grid constraint.
inline std::vector<unsigned char> lap_constraint() {
  LapZeta z;
  z.configure(LapZeta::default_features<icrl::envs::LapGridConstrained>(), 1, 1, "lap-grid");
  z.method = "icrl";
  icrl::Rng rng(3u, 0u);
  z.init(rng);
  icrl::CheckpointWriter w(icrl::kConstraintFileKind);
  z.save(w);
  return w.bytes();
}

}  // namespace sample_files
