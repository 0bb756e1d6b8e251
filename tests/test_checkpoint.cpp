// tests/test_checkpoint.cpp - round trips and every corruption case of the file container:
// wrong magic, wrong kind, wrong version, flipped byte, truncation, huge declared sizes, NaN
// payloads, wrong shapes, missing entries. Each must fail with a message naming the file and the
// problem, and leave the caller's objects unchanged.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "icrl/adam.hpp"
#include "icrl/checkpoint.hpp"
#include "icrl/crc32.hpp"
#include "icrl/mlp.hpp"

using icrl::Activation;
using Net = icrl::Mlp<float, Activation::tanh, Activation::identity, 3, 16, 16, 2>;
using Other = icrl::Mlp<float, Activation::tanh, Activation::identity, 3, 16, 2>;
using Bytes = std::vector<unsigned char>;

namespace {

std::string temp_path(const std::string& name) {
  return std::string(ICRL_TEST_TMPDIR) + "/" + name;
}

Bytes saved_bytes(const Net& net) {
  icrl::CheckpointWriter w("CKPT");
  net.save(w, "policy.");
  return w.bytes();
}

// Recomputes the trailing CRC so that a deliberately malformed body reaches the parser.
void fix_crc(Bytes& b) {
  const std::uint32_t c = icrl::crc32(b.data(), b.size() - 4);
  std::memcpy(b.data() + b.size() - 4, &c, 4);
}

std::string load_error(const Bytes& b, Net& net) {
  try {
    const auto r = icrl::CheckpointReader::parse(b, "CKPT", "bad.ckpt");
    net.load(r, "policy.");
  } catch (const icrl::Error& e) {
    return e.what();
  }
  return "";
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("crc32 check value") {
  CHECK(icrl::crc32("123456789", 9) == 0xCBF43926u);
  CHECK(icrl::crc32("", 0) == 0u);
  // Incremental use gives the same result.
  CHECK(icrl::crc32("6789", 4, icrl::crc32("12345", 5)) == 0xCBF43926u);
}

TEST_CASE("round trip: network and Adam state through a file, bit for bit") {
  icrl::Rng rng(1u, 0u);
  auto net = std::make_unique<Net>();
  net->init_orthogonal(rng, std::sqrt(2.0), 0.01);
  icrl::Adam<float, Net::kNumParams> opt;
  net->grad.setConstant(0.25f);
  opt.step(icrl::param_block(net->theta, net->grad));
  opt.step(icrl::param_block(net->theta, net->grad));

  const std::string path = temp_path("roundtrip.ckpt");
  icrl::CheckpointWriter w("CKPT");
  net->save(w, "policy.");
  opt.save(w, "policy.");
  w.add_text("env", "pendulum");
  w.add_int("env_steps", 123456789012345ll);
  w.save(path);

  const auto r = icrl::CheckpointReader::open(path, "CKPT");
  auto net2 = std::make_unique<Net>();
  net2->load(r, "policy.");
  CHECK(net2->theta == net->theta);
  icrl::Adam<float, Net::kNumParams> opt2;
  opt2.load(r, "policy.");
  CHECK(opt2.steps() == 2);
  CHECK(r.read_text("env") == "pendulum");
  CHECK(r.read_int("env_steps") == 123456789012345ll);

  // Both optimisers now take the same next step.
  opt.step(icrl::param_block(net->theta, net->grad));
  net2->grad = net->grad;
  opt2.step(icrl::param_block(net2->theta, net2->grad));
  CHECK(net2->theta == net->theta);

  // No temporary file is left behind.
  CHECK_FALSE(std::ifstream(path + ".tmp").good());
}

TEST_CASE("corrupt files are refused with a clear message and the network stays unchanged") {
  icrl::Rng rng(2u, 0u);
  auto net = std::make_unique<Net>();
  net->init_orthogonal(rng, 1.0, 1.0);
  const Bytes good = saved_bytes(*net);
  auto target = std::make_unique<Net>();
  target->theta.setConstant(0.5f);
  const Net::Params before = target->theta;

  SUBCASE("the good file loads") {
    CHECK(load_error(good, *target).empty());
    CHECK(target->theta == net->theta);
    return;
  }
  SUBCASE("wrong magic") {
    Bytes b = good;
    b[0] = 'X';
    const auto msg = load_error(b, *target);
    CHECK(contains(msg, "bad.ckpt"));
    CHECK(contains(msg, "not an icrl CKPT file"));
  }
  SUBCASE("another kind of icrl file") {
    Bytes b = good;
    std::memcpy(b.data() + 4, "DEMO", 4);
    CHECK(contains(load_error(b, *target), "'DEMO' file, not a 'CKPT' file"));
  }
  SUBCASE("future format version") {
    Bytes b = good;
    b[8] = 9;
    const auto msg = load_error(b, *target);
    CHECK(contains(msg, "format version 9"));
    CHECK(contains(msg, "reads version 1"));
  }
  SUBCASE("one flipped bit anywhere in the body") {
    for (std::size_t pos : {std::size_t(20), good.size() / 2, good.size() - 5}) {
      Bytes b = good;
      b[pos] ^= 0x10;
      CHECK(contains(load_error(b, *target), "CRC-32"));
    }
  }
  SUBCASE("truncated at every length") {
    for (std::size_t n = 0; n < good.size(); n += 37) {
      Bytes b(good.begin(), good.begin() + static_cast<long>(n));
      const auto msg = load_error(b, *target);
      CHECK((contains(msg, "truncated") || contains(msg, "CRC-32")));
    }
  }
  SUBCASE("huge declared size with a valid checksum") {
    Bytes b = good;
    // First entry: u16 len, name, u8 dtype, 3 reserved, u32 rows at 16 + 2 + len + 4.
    const std::size_t len = b[16];
    const std::uint32_t huge = 0x7FFFFFFFu;
    std::memcpy(b.data() + 16 + 2 + len + 4, &huge, 4);
    fix_crc(b);
    const auto msg = load_error(b, *target);
    CHECK(contains(msg, "declares 2147483647"));
    CHECK(contains(msg, "malformed"));
  }
  SUBCASE("NaN payload with a valid checksum") {
    auto bad = std::make_unique<Net>(*net);
    bad->theta[5] = std::numeric_limits<float>::quiet_NaN();
    const auto msg = load_error(saved_bytes(*bad), *target);
    CHECK(contains(msg, "non-finite value at index 5"));
  }
  SUBCASE("a network of another shape") {
    auto other = std::make_unique<Other>();
    icrl::CheckpointWriter w("CKPT");
    other->save(w, "policy.");
    const auto msg = load_error(w.bytes(), *target);
    CHECK(contains(msg, "architecture"));
    CHECK(contains(msg, "mlp tanh/identity 3 16 2"));
    CHECK(contains(msg, "mlp tanh/identity 3 16 16 2"));
  }
  SUBCASE("missing entry") {
    icrl::CheckpointWriter w("CKPT");
    w.add_text("policy.architecture", Net::architecture());
    const auto msg = load_error(w.bytes(), *target);
    CHECK(contains(msg, "no entry 'policy.theta'"));
    CHECK(contains(msg, "policy.architecture"));
  }
  SUBCASE("garbage after the last entry") {
    Bytes b = good;
    b.insert(b.end() - 4, {1, 2, 3});
    fix_crc(b);
    CHECK(contains(load_error(b, *target), "unexplained bytes"));
  }
  CHECK(target->theta == before);
}

TEST_CASE("a failed load of Adam leaves its state unchanged") {
  icrl::Adam<float, 4, 2> opt;
  Eigen::Vector4f a = Eigen::Vector4f::Ones(), ga = Eigen::Vector4f::Ones();
  Eigen::Vector2f b = Eigen::Vector2f::Ones(), gb = Eigen::Vector2f::Ones();
  opt.step(icrl::param_block(a, ga), icrl::param_block(b, gb));
  icrl::CheckpointWriter w("CKPT");
  icrl::Adam<float, 4, 3> wrong;  // second block of another size
  wrong.save(w, "x.");
  const auto r = icrl::CheckpointReader::parse(w.bytes(), "CKPT", "wrong.ckpt");
  CHECK_THROWS_AS(opt.load(r, "x."), icrl::Error);
  CHECK(opt.steps() == 1);
}

TEST_CASE("atomic save: a failed save keeps the previous file") {
  const std::string path = temp_path("keep.ckpt");
  icrl::CheckpointWriter w("CKPT");
  w.add_int("generation", 1);
  w.save(path);
  CHECK_THROWS_AS(w.save(temp_path("no/such/dir/x.ckpt")), icrl::Error);
  CHECK(icrl::CheckpointReader::open(path, "CKPT").read_int("generation") == 1);
  try {
    icrl::CheckpointReader::open(temp_path("does-not-exist.ckpt"), "CKPT");
    FAIL("opening a missing file must throw");
  } catch (const icrl::Error& e) {
    CHECK(contains(e.what(), "does-not-exist.ckpt"));
    CHECK(contains(e.what(), "No such file"));
  }
  // A directory is not a file.
  CHECK_THROWS_WITH_AS(icrl::CheckpointReader::open(ICRL_TEST_TMPDIR, "CKPT"),
                       doctest::Contains("is a directory"), icrl::Error);
}
