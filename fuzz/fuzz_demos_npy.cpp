// fuzz/fuzz_demos_npy.cpp - libFuzzer target: a NumPy .npy array as `icrl demos --import` reads
// it (icrl::parse_npy: magic, version, header dict, dtype, shape against the file's size). An
// array it accepts must hold exactly rows x cols values.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "fuzz/fuzz_util.hpp"
#include "icrl/demonstrations.hpp"

namespace {

const std::string kOrigin = "fuzz_observations.npy";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::vector<unsigned char> bytes(data, data + size);
  icrl::fuzz::expect_clean(kOrigin, [&] {
    const icrl::NpyArray a = icrl::parse_npy(bytes, kOrigin);
    if (a.rows < 0 || a.cols < 0 || a.values.size() != static_cast<std::size_t>(a.rows * a.cols)) std::abort();
  });
  return 0;
}
