// fuzz/fuzz_checkpoint.cpp - libFuzzer target: the icrl file container (icrl/checkpoint.hpp) of
// any kind, every entry read as every type, and the generic checkpoint loaders behind it: a
// network (Mlp), its Adam state and an observation normaliser, as a "CKPT" file holds them.
#include <cstdint>
#include <string>

#include <Eigen/Core>

#include "fuzz/fuzz_util.hpp"
#include "icrl/adam.hpp"
#include "icrl/checkpoint.hpp"
#include "icrl/mlp.hpp"
#include "icrl/running_stats.hpp"
#include "tests/sample_files.hpp"

namespace {

using Net = sample_files::Net;  // the network of the "CKPT" seed
const std::string kOrigin = "fuzz.ckpt";

void read_everything(const icrl::fuzz::Bytes& bytes) {
  // The kind the file claims (so that every kind of seed reaches the entry table).
  const std::string kind = bytes.size() >= 8 ? std::string(bytes.begin() + 4, bytes.begin() + 8) : "CKPT";
  icrl::fuzz::expect_clean(kOrigin, [&] {
    const auto r = icrl::CheckpointReader::parse(bytes, kind, kOrigin);
    for (const std::string& name : r.names()) {
      icrl::fuzz::expect_clean(kOrigin, [&] { (void)r.read_text(name); });
      icrl::fuzz::expect_clean(kOrigin, [&] { (void)r.read_int(name); });
      icrl::fuzz::expect_clean(kOrigin, [&] { Eigen::MatrixXf m; r.read(name, m); });
      icrl::fuzz::expect_clean(kOrigin, [&] { Eigen::MatrixXd m; r.read(name, m); });
      icrl::fuzz::expect_clean(kOrigin, [&] {
        Eigen::Matrix<std::int64_t, Eigen::Dynamic, Eigen::Dynamic> m;
        r.read(name, m);
      });
    }
    icrl::fuzz::expect_clean(kOrigin, [&] { Net().load(r, "net."); });
    icrl::fuzz::expect_clean(kOrigin, [&] { icrl::Adam<float, Net::kNumParams>().load(r, "net."); });
    icrl::fuzz::expect_clean(kOrigin, [&] { icrl::ObsNormalizer<2>().load(r, "norm."); });
  });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return icrl::fuzz::as_is_and_with_fixed_crc(data, size, read_everything);
}
