// cli/export.cpp - `icrl export --policy FILE [--constraint FILE] --out NAME.hpp`: a policy (and a
// learned constraint) as one self-contained C++ header for embedded targets, namespace NAME
// (icrl/export.hpp). The env named in the policy file supplies the action box that the header's
// action() clips to, as the env itself does; for an env this build does not know (cheetah or ant
// without Box2D, a grid map that is not there) action() returns the unclipped mean, with a note.
#include "export.hpp"

#include <cstdio>
#include <string>
#include <vector>

#include "args.hpp"
#include "envs.hpp"
#include "icrl/checkpoint.hpp"
#include "icrl/constraint_net.hpp"
#include "icrl/error.hpp"
#include "icrl/export.hpp"
#include "icrl/ppo_lagrangian.hpp"

namespace icrl::cli {
namespace {

const std::vector<FlagSpec> kExportFlags = {
    {"policy", true, false, "policy file written by icrl train or icrl expert (policy.ckpt, expert.ckpt)"},
    {"constraint", true, false, "constraint file written by icrl learn (constraint.ckpt): adds zeta() and cost()"},
    {"out", true, false, "the header to write, NAME.hpp; everything in it is in namespace NAME"},
};

}  // namespace

int export_header_command(int argc, char** argv) {
  const Args args("export", kExportFlags, argc, argv, 2);
  HeaderExport spec;
  spec.policy_path = args.required("policy");
  spec.constraint_path = args.get("constraint");
  const std::string out = args.required("out");
  std::string ns;
  try {
    ns = export_namespace(out);
  } catch (const Error& e) {
    throw UsageError(e.what());
  }

  const std::string env = CheckpointReader::open(spec.policy_path, kPolicyFileKind).read_text("env");
  bool known = true;
  try {
    with_env(env, [&](auto entry) {
      using Env = typename decltype(entry)::Env;
      if constexpr (!Env::kDiscrete) {
        for (int j = 0; j < Env::kActDim; ++j) {
          spec.action_low.push_back(Env::action_low()(j));
          spec.action_high.push_back(Env::action_high()(j));
        }
      }
    });
  } catch (const UsageError&) {
    known = false;
  } catch (const Error&) {
    known = false;
  }
  if (!known)
    std::fprintf(stderr,
                 "icrl export: note: env '%s' of '%s' is not one this build knows, so its action box is not known: "
                 "the header's action() returns the unclipped mean; clip it to your actuators' range\n",
                 env.c_str(), spec.policy_path.c_str());
  export_header(spec, out);
  if (!spec.constraint_path.empty()) {
    const std::string zeta_env = CheckpointReader::open(spec.constraint_path, kConstraintFileKind).read_text("env");
    if (zeta_env != env)
      std::fprintf(stderr,
                   "icrl export: note: the constraint was learned in env '%s', the policy acts in '%s': zeta reads "
                   "the same observation and action indices in '%s' (a transfer, as icrl transfer does)\n",
                   zeta_env.c_str(), env.c_str(), env.c_str());
  }
  std::fprintf(stderr, "icrl export: wrote %s (namespace %s; env '%s'%s)\n", out.c_str(), ns.c_str(), env.c_str(),
               spec.constraint_path.empty() ? "" : ", with zeta() and cost()");
  return 0;
}

std::string export_usage() {
  return usage_text("export", "--policy FILE [--constraint FILE] --out NAME.hpp", kExportFlags);
}

}  // namespace icrl::cli
