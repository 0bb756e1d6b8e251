// fuzz/fuzz_policy.cpp - libFuzzer target: policy files ("PLCY": the policy network and the
// observation normaliser, icrl/ppo_lagrangian.hpp load_policy_file) for a categorical policy
// (lap-grid) and a Gaussian one (point-circle). load_policy_file takes a path, so each input is
// written to an in-memory file first (fuzz_util.hpp MemFile).
#include <cstdint>
#include <memory>
#include <string>

#include "fuzz/fuzz_util.hpp"
#include "icrl/policy.hpp"
#include "icrl/ppo_lagrangian.hpp"
#include "icrl/running_stats.hpp"

namespace {

const icrl::fuzz::MemFile& file() {
  static const icrl::fuzz::MemFile f("icrl-fuzz-policy");
  return f;
}

template <class Policy, int O>
void load(const std::string& env) {
  icrl::fuzz::expect_clean(file().path(), [&] {
    auto policy = std::make_unique<Policy>();
    icrl::ObsNormalizer<O> norm;
    icrl::load_policy_file(file().path(), env, *policy, norm);
  });
}

void read_policy(const icrl::fuzz::Bytes& bytes) {
  file().write(bytes);
  load<icrl::CategoricalPolicy<1, 2>, 1>("lap-grid");
  load<icrl::GaussianPolicy<4, 2>, 4>("point-circle");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return icrl::fuzz::as_is_and_with_fixed_crc(data, size, read_policy);
}
