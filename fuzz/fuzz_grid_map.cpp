// fuzz/fuzz_grid_map.cpp - libFuzzer target: grid map text (envs/grid_world.hpp GridMap::parse).
// A map that parses must also build its GridWorld (4 or 8 actions), survive a short walk, and
// come back unchanged through to_text() and parse() (the writer and the reader agree).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "envs/grid_world.hpp"
#include "fuzz/fuzz_util.hpp"
#include "icrl/rng.hpp"

namespace {

const std::string kOrigin = "fuzz.map";

template <int A>
void walk(const icrl::envs::GridMap& m) {
  icrl::envs::GridWorld<A> world(m, kOrigin);
  icrl::Rng rng(1u, 0u);
  world.reset(rng);
  for (int t = 0; t < 2 * A; ++t) {
    const auto r = world.step(t % A);
    if (r.terminated || r.truncated) world.reset(rng);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  icrl::fuzz::expect_clean(kOrigin, [&] {
    const icrl::envs::GridMap m = icrl::envs::GridMap::parse(text, kOrigin);
    if (m.actions == 4) walk<4>(m); else walk<8>(m);
    const std::string again = m.to_text();
    const icrl::envs::GridMap back = icrl::envs::GridMap::parse(again, "fuzz.map (written back)");
    if (back.to_text() != again) {
      std::fprintf(stderr, "fuzz: to_text() and parse() disagree:\n%s\n---\n%s\n", again.c_str(), back.to_text().c_str());
      std::abort();
    }
  });
  return 0;
}
