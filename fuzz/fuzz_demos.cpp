// fuzz/fuzz_demos.cpp - libFuzzer target: demonstration files (`.demos`, icrl/demonstrations.hpp)
// read from bytes, then summarised (info_json walks every episode) and filtered
// (feasible_episodes copies them), which must agree with the shapes the reader accepted.
#include <cstdint>
#include <string>

#include "fuzz/fuzz_util.hpp"
#include "icrl/demonstrations.hpp"

namespace {

const std::string kOrigin = "fuzz.demos";

void read_demos(const icrl::fuzz::Bytes& bytes) {
  icrl::fuzz::expect_clean(kOrigin, [&] {
    const icrl::Demonstrations d = icrl::Demonstrations::parse(bytes, kOrigin);
    (void)d.info_json();
    icrl::fuzz::expect_clean("", [&] { (void)d.feasible_episodes(1); });
  });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return icrl::fuzz::as_is_and_with_fixed_crc(data, size, read_demos);
}
