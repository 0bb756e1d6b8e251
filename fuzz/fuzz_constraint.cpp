// fuzz/fuzz_constraint.cpp - libFuzzer target: learned-constraint files ("CNST",
// icrl/constraint_net.hpp) for the two shapes the command line runs (lap-grid's default zeta
// [3, 20, 1] and the one-observation transfer zeta [1, 40, 40, 1]); a loaded constraint is then
// queried with arrays of exactly the dimensions it declares, so a feature that reads past them
// is an AddressSanitizer report. The same bytes are also read as a tabular constraint ("TCST",
// icrl/tabular_icrl.hpp) and every key of it queried.
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz/fuzz_util.hpp"
#include "icrl/checkpoint.hpp"
#include "icrl/constraint_net.hpp"
#include "icrl/tabular_icrl.hpp"

namespace {

const std::string kOrigin = "fuzz.cnst";

template <class Zeta>
void load_and_query(const icrl::CheckpointReader& r) {
  icrl::fuzz::expect_clean(kOrigin, [&] {
    Zeta z;
    z.load(r);
    const std::vector<double> obs(static_cast<std::size_t>(z.obs_dim)), act(static_cast<std::size_t>(z.act_dim));
    (void)z.zeta(obs.data(), act.data());
    (void)z.describe();
  });
}

void read_constraint(const icrl::fuzz::Bytes& bytes) {
  icrl::fuzz::expect_clean(kOrigin, [&] {
    const auto r = icrl::CheckpointReader::parse(bytes, icrl::kConstraintFileKind, kOrigin);
    load_and_query<icrl::ConstraintNet<3, 20>>(r);
    load_and_query<icrl::ConstraintNet<1, 40, 40>>(r);
  });
  icrl::fuzz::expect_clean(kOrigin, [&] {
    const auto r = icrl::CheckpointReader::parse(bytes, icrl::kTabularConstraintFileKind, kOrigin);
    const icrl::TabularConstraint t = icrl::TabularConstraint::load(r);
    double sum = 0.0;
    for (int k = 0; k < t.num_keys; ++k) sum += t.zeta(k);
    (void)sum;
  });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return icrl::fuzz::as_is_and_with_fixed_crc(data, size, read_constraint);
}
