// fuzz/fuzz_demos_csv.cpp - libFuzzer target: demonstrations imported from CSV text
// (Demonstrations::parse_csv, behind `icrl demos --import`), then summarised and filtered, which
// must agree with the shapes the reader accepted; a file it accepts must also pass the .demos
// checks it will be saved under.
#include <cstdint>
#include <string>

#include "fuzz/fuzz_util.hpp"
#include "icrl/demonstrations.hpp"

namespace {

const std::string kOrigin = "fuzz.csv";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  icrl::fuzz::expect_clean(kOrigin, [&] {
    const icrl::Demonstrations d = icrl::Demonstrations::parse_csv(text, kOrigin, "toy");
    d.check(kOrigin);
    (void)d.info_json();
    icrl::fuzz::expect_clean("", [&] { (void)d.feasible_episodes(1); });
  });
  return 0;
}
