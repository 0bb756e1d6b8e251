// fuzz/fuzz_export.cpp - libFuzzer target: the generic policy and constraint readers of
// `icrl export` (icrl/export.hpp), which take a network's shape from the architecture text in the
// file rather than from a compiled-in type. Each input is read as the policy file, then as the
// constraint file next to the shipped lap-grid expert; both through a MemFile (fuzz_util.hpp).
#include <cstdint>
#include <string>

#include "fuzz/fuzz_util.hpp"
#include "icrl/export.hpp"

namespace {

const std::string kLapPolicy = std::string(ICRL_SOURCE_DIR) + "/envs/data/lap-grid.expert.ckpt";

const icrl::fuzz::MemFile& file() {
  static const icrl::fuzz::MemFile f("icrl-fuzz-export");
  return f;
}

void export_from(const std::string& policy, const std::string& constraint) {
  icrl::fuzz::expect_clean(file().path(), [&] {
    icrl::HeaderExport spec;
    spec.policy_path = policy;
    spec.constraint_path = constraint;
    (void)icrl::export_header_text(spec, "fuzz", "fuzz.hpp");
  });
}

void read_export(const icrl::fuzz::Bytes& bytes) {
  file().write(bytes);
  export_from(file().path(), "");
  export_from(kLapPolicy, file().path());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return icrl::fuzz::as_is_and_with_fixed_crc(data, size, read_export);
}
