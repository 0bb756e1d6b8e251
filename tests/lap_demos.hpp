// tests/lap_demos.hpp - always-forward lap-grid demonstrations (the expert), for tests.
#pragma once

#include "icrl/demonstrations.hpp"

namespace icrl::test {

// K episodes of L steps, every action forward (0), observations the normalised cell.
inline Demonstrations forward_demos(int K, int L) {
  Demonstrations d;
  d.env = "lap-grid";
  d.obs_dim = d.act_dim = 1;
  d.observations.resize(1, K * L);
  d.actions.setZero(1, K * L);
  d.rewards.setZero(K * L);
  d.costs.setZero(K * L);
  for (int k = 0; k < K; ++k) {
    d.lengths.push_back(L);
    for (int t = 0; t < L; ++t) d.observations(0, k * L + t) = (t % 40) / 20.0 - 1.0;
  }
  return d;
}

}  // namespace icrl::test
