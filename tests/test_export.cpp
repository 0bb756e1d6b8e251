// tests/test_export.cpp - `icrl export` as a library function (icrl/export.hpp): the namespace a
// header gets, weights that read back bit for bit, the atomic write, and the errors: a missing,
// damaged or wrong-kind file and a constraint that does not fit the policy each name the file
// and the fix. (That an exported header compiles without exceptions and agrees with the library
// is tests/test_export_header.cpp.)
#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "envs/lap_grid.hpp"
#include "envs/point_circle.hpp"
#include "icrl/constraint_net.hpp"
#include "icrl/export.hpp"
#include "icrl/ppo_lagrangian.hpp"

using namespace icrl;

namespace {

const std::string kPointCircle = std::string(ICRL_SOURCE_DIR) + "/envs/data/point-circle.expert.ckpt";
const std::string kLapGrid = std::string(ICRL_SOURCE_DIR) + "/envs/data/lap-grid.expert.ckpt";

std::string tmp_path(const std::string& name) { return std::string(ICRL_TEST_TMPDIR) + "/" + name; }

// The message of the icrl::Error that f throws ("" when it throws none).
template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// A constraint file for `features` (the library's random init).
template <int In>
std::string constraint_file(const std::string& name, const typename ConstraintNet<In, 20>::Features& features,
                            int obs_dim, int act_dim, const std::string& env) {
  auto z = std::make_unique<ConstraintNet<In, 20>>();
  Rng rng(5u, 0u);
  z->init(rng);
  z->configure(features, obs_dim, act_dim, env);
  z->method = "icrl";
  const std::string path = tmp_path(name);
  z->save(path);
  return path;
}

}  // namespace

TEST_CASE("export: the header's namespace comes from the file name") {
  CHECK(export_namespace("out/point-circle.hpp") == "point_circle");
  CHECK(export_namespace("cheetah_policy.h") == "cheetah_policy");
  CHECK(export_namespace("3d.hpp") == "icrl_3d");
  for (const char* bad : {"int.hpp", "dir/.hpp", "std.hpp", "_Model.hpp", "a__b.hpp"})
    CHECK(contains(error_of([&] { export_namespace(bad); }), "name the file after the model"));
}

TEST_CASE("export: every weight reads back bit for bit; the file is written atomically") {
  using Env = envs::PointCircle;
  auto policy = std::make_unique<GaussianPolicy<Env::kObsDim, Env::kActDim>>();
  ObsNormalizer<Env::kObsDim> norm;
  load_policy_file(kPointCircle, Env::kName, *policy, norm);
  HeaderExport spec;
  spec.policy_path = kPointCircle;
  const std::string text = export_header_text(spec, "pc", "pc.hpp");
  CHECK(contains(text, "namespace pc {"));
  CHECK(contains(text, "not known: action() = mean_action()"));
  CHECK_FALSE(contains(text, "zeta"));
  // Every literal of every policy layer, in order, is the network's theta.
  std::vector<float> values;
  for (const char* array : {"kPolicyW0[", "kPolicyB0[", "kPolicyW1[", "kPolicyB1[", "kPolicyW2[", "kPolicyB2["}) {
    const std::size_t begin = text.find('\n', text.find(array)) + 1, end = text.find("};", begin);
    std::istringstream ss(text.substr(begin, end - begin));
    std::string literal;
    while (ss >> literal) values.push_back(std::strtof(literal.c_str(), nullptr));
  }
  REQUIRE(values.size() == static_cast<std::size_t>(policy->net.theta.size()));
  for (std::size_t i = 0; i < values.size(); ++i) CHECK(values[i] == policy->net.theta(static_cast<Eigen::Index>(i)));

  const std::string out = tmp_path("export_pc_policy.hpp");
  export_header(spec, out);
  std::ifstream f(out);
  std::stringstream written;
  written << f.rdbuf();
  CHECK(written.str() == export_header_text(spec, "export_pc_policy", "export_pc_policy.hpp"));
  CHECK_FALSE(std::ifstream(out + ".tmp").good());
}

TEST_CASE("export: missing, damaged and wrong-kind files are refused naming the file") {
  HeaderExport spec;
  spec.policy_path = tmp_path("no-such-policy.ckpt");
  std::string e = error_of([&] { export_header_text(spec, "x", "x.hpp"); });
  CHECK(contains(e, "no-such-policy.ckpt"));
  CHECK(contains(e, "check the path"));

  // The constraint passed as the policy.
  spec.policy_path = constraint_file<6>("pc.zeta.ckpt", ConstraintNet<6, 20>::default_features<envs::PointCircle>(), 4,
                                        2, "point-circle");
  e = error_of([&] { export_header_text(spec, "x", "x.hpp"); });
  CHECK(contains(e, "pc.zeta.ckpt"));
  CHECK(contains(e, "'CNST' file, not a 'PLCY'"));

  // A truncated policy file.
  std::ifstream in(kPointCircle, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string cut = tmp_path("cut.policy.ckpt");
  std::ofstream(cut, std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  spec.policy_path = cut;
  e = error_of([&] { export_header_text(spec, "x", "x.hpp"); });
  CHECK(contains(e, "cut.policy.ckpt"));
  CHECK(contains(e, "corrupt or truncated"));

  // The action box of another env.
  spec.policy_path = kPointCircle;
  spec.action_low = {-1.0, -1.0, -1.0};
  spec.action_high = {1.0, 1.0, 1.0};
  e = error_of([&] { export_header_text(spec, "x", "x.hpp"); });
  CHECK(contains(e, "does not fit this policy's 2 action dims"));
}

TEST_CASE("export: a constraint whose inputs the policy does not have is refused with the fix") {
  const std::string pc_zeta = constraint_file<6>(
      "pc.zeta.ckpt", ConstraintNet<6, 20>::default_features<envs::PointCircle>(), 4, 2, "point-circle");
  const std::string lap_zeta =
      constraint_file<3>("lap.zeta.ckpt", ConstraintNet<3, 20>::default_features<envs::LapGrid>(), 1, 1, "lap-grid");
  HeaderExport spec;

  // Point-circle's zeta (s0 .. s3, a0, a1) on the lap-grid policy (1 observation, 2 discrete actions).
  spec.policy_path = kLapGrid;
  spec.constraint_path = pc_zeta;
  std::string e = error_of([&] { export_header_text(spec, "x", "x.hpp"); });
  CHECK(contains(e, "pc.zeta.ckpt': zeta input 1 (s1) reads observation dimension 1, which the policy does not have"));
  CHECK(contains(e, "export it with a policy of env 'point-circle'"));
  CHECK(contains(e, "lap-grid.expert.ckpt' is for env 'lap-grid': 1 observation dims, 2 discrete actions"));

  // Lap-grid's one-hot action inputs on the continuous point-circle policy.
  spec.policy_path = kPointCircle;
  spec.constraint_path = lap_zeta;
  e = error_of([&] { export_header_text(spec, "x", "x.hpp"); });
  CHECK(contains(e, "zeta input 1 ([a=0]) reads discrete action 0, which the policy does not have"));

  // Both fit their own policies.
  spec.constraint_path = pc_zeta;
  CHECK(contains(export_header_text(spec, "x", "x.hpp"), "inline float cost(const float obs[kObsDim], const float act[kActDim])"));
  spec.policy_path = kLapGrid;
  spec.constraint_path = lap_zeta;
  CHECK(contains(export_header_text(spec, "x", "x.hpp"), "inline float cost(const float obs[kObsDim], int act)"));
}
