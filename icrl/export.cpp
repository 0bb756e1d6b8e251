// icrl/export.cpp - `icrl export`: reads a policy file (and a constraint file), checks that they
// fit together, and writes them as one self-contained C++17 header (see export.hpp).
#include "icrl/export.hpp"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "icrl/checkpoint.hpp"
#include "icrl/constraint_net.hpp"
#include "icrl/error.hpp"
#include "icrl/ppo_lagrangian.hpp"
#include "icrl/running_stats.hpp"
#include "icrl/text_format.hpp"

namespace icrl {
namespace {

// A dense network as a file stores it: activations and widths from "<prefix>architecture"
// ("mlp tanh/identity 4 64 64 2"), parameters from "<prefix>theta" (W_0 column-major, b_0, ...).
struct FileMlp {
  std::string architecture;  // the text as stored
  std::string hidden, output;  // activation names
  std::vector<int> widths;     // [L + 1] w_0 (input) .. w_L (output)
  Eigen::MatrixXf theta;       // [kNumParams, 1]

  int layers() const { return static_cast<int>(widths.size()) - 1; }
  // 64 bits: a damaged file may list widths (up to 65536 each) whose products overflow an int.
  long long weight_offset(int l) const {
    long long offset = 0;
    for (int i = 0; i < l; ++i) offset += static_cast<long long>(widths[i + 1]) * widths[i] + widths[i + 1];
    return offset;
  }
  // Bytes of the float buffers a forward pass keeps on the stack: input, hidden layers, output.
  int buffer_bytes() const {
    int floats = 0;
    for (int w : widths) floats += w;
    return floats * static_cast<int>(sizeof(float));
  }
};

// Reads and checks the network at `prefix`: activations hidden/output as expected, a theta of the
// size the widths give; `fix` ends every message (what to pass instead).
FileMlp read_mlp(const CheckpointReader& in, const std::string& prefix, const std::string& hidden,
                 const std::string& output, const std::string& fix) {
  FileMlp m;
  m.architecture = in.read_text(prefix + "architecture");
  std::istringstream ss(m.architecture);
  std::string tag, acts;
  ss >> tag >> acts;
  const std::size_t slash = acts.find('/');
  if (tag != "mlp" || slash == std::string::npos)
    throw Error("'" + in.origin() + "': entry '" + prefix + "architecture' is '" + m.architecture +
                "', not 'mlp HIDDEN/OUTPUT WIDTHS...': the file is damaged; " + fix);
  m.hidden = acts.substr(0, slash);
  m.output = acts.substr(slash + 1);
  long w = 0;
  while (ss >> w) {
    if (w < 1 || w > 65536)
      throw Error("'" + in.origin() + "': entry '" + prefix + "architecture' ('" + m.architecture +
                  "') has a width outside 1 .. 65536: the file is damaged; " + fix);
    m.widths.push_back(static_cast<int>(w));
  }
  if (!ss.eof() || m.widths.size() < 2)
    throw Error("'" + in.origin() + "': entry '" + prefix + "architecture' ('" + m.architecture +
                "') does not list at least two widths: the file is damaged; " + fix);
  if (m.hidden != hidden || m.output != output)
    throw Error("'" + in.origin() + "': entry '" + prefix + "architecture' is '" + m.architecture +
                "', expected a " + hidden + "/" + output + " network: " + fix);
  const long long params = m.weight_offset(m.layers());
  if (params > (1LL << 26))
    throw Error("'" + in.origin() + "': '" + m.architecture + "' has " + std::to_string(params) +
                " parameters, more than any icrl network: the file is damaged; " + fix);
  in.require<float>(prefix + "theta", static_cast<Eigen::Index>(params), 1);
  in.read(prefix + "theta", m.theta);
  return m;
}

struct PolicyFile {
  std::string env;
  FileMlp net;
  bool discrete = false;
  bool normalize = false;
  Eigen::MatrixXd obs_mean, obs_var;  // [O, 1] each (when normalize)
  int obs_dim() const { return net.widths.front(); }
  int outputs() const { return net.widths.back(); }  // A (continuous) or K (discrete)
};

PolicyFile read_policy(const std::string& path) {
  const CheckpointReader in = CheckpointReader::open(path, kPolicyFileKind);
  const std::string fix = "pass the policy.ckpt or expert.ckpt written by icrl train / icrl expert";
  PolicyFile p;
  p.env = in.read_text("env");
  p.net = read_mlp(in, "policy.net.", "tanh", "identity", fix);
  p.discrete = !in.has("policy.log_std");
  if (!p.discrete) in.require<float>("policy.log_std", p.outputs(), 1);
  if (p.discrete && p.outputs() < 2)
    throw Error("'" + path + "': a categorical policy with " + std::to_string(p.outputs()) +
                " action (no entry 'policy.log_std', so not Gaussian): the file is damaged; " + fix);
  p.normalize = in.read_int("obs_norm.enabled") != 0;
  in.require<double>("obs_norm.mean", p.obs_dim(), 1);
  in.require<double>("obs_norm.var", p.obs_dim(), 1);
  in.read("obs_norm.mean", p.obs_mean);
  in.read("obs_norm.var", p.obs_var);
  if (!(p.obs_var.array() >= 0.0).all())
    throw Error("'" + path + "': entry 'obs_norm.var' holds a negative variance: the file is damaged; " + fix);
  return p;
}

struct ConstraintFile {
  std::string env, method;
  FileMlp net;
  std::vector<ConstraintFeature> features;  // [In]
};

// Reads a constraint and checks each input against the policy's observation and action sizes.
ConstraintFile read_constraint(const std::string& path, const PolicyFile& policy, const std::string& policy_path) {
  const CheckpointReader in = CheckpointReader::open(path, kConstraintFileKind);
  const std::string fix = "pass a constraint.ckpt written by icrl learn";
  ConstraintFile c;
  c.env = in.read_text("env");
  c.method = in.read_text("method");
  c.net = read_mlp(in, "zeta.", "relu", "sigmoid", fix);
  if (c.net.widths.back() != 1)
    throw Error("'" + path + "': zeta '" + c.net.architecture + "' has " + std::to_string(c.net.widths.back()) +
                " outputs, a constraint has 1: the file is damaged; " + fix);
  const int n = c.net.widths.front();
  Eigen::Matrix<std::int64_t, Eigen::Dynamic, Eigen::Dynamic> kinds;
  Eigen::MatrixXd clip;
  in.require<std::int64_t>("features", n, 2);
  in.require<double>("clip", n, 2);
  in.read("features", kinds);
  in.read("clip", clip);
  const int O = policy.obs_dim();
  const int act_store = policy.discrete ? 1 : policy.outputs();
  const std::string fits = ": export it with a policy of env '" + c.env + "' (this policy '" + policy_path +
                           "' is for env '" + policy.env + "': " + std::to_string(O) + " observation dims, " +
                           (policy.discrete ? std::to_string(policy.outputs()) + " discrete actions"
                                            : std::to_string(policy.outputs()) + " action dims") +
                           "), or a constraint learned for '" + policy.env + "'";
  for (int i = 0; i < n; ++i) {
    const std::int64_t kind = kinds(i, 0), index = kinds(i, 1);
    if (kind < 0 || kind > 2 || index < 0 || index > 4096 || !(clip(i, 0) <= clip(i, 1)))
      throw Error("'" + path + "': entry 'features'/'clip' row " + std::to_string(i) +
                  " is not a valid input (kind 0..2, index 0..4096, low <= high): the file is damaged; " + fix);
    const ConstraintFeature f{static_cast<int>(kind), static_cast<int>(index), clip(i, 0), clip(i, 1)};
    const bool ok = kind == ConstraintFeature::kObs      ? index < O
                    : kind == ConstraintFeature::kAction ? index < act_store
                                                         : policy.discrete && index < policy.outputs();
    if (!ok)
      throw Error("'" + path + "': zeta input " + std::to_string(i) + " (" + f.describe() + ") reads " +
                  (kind == ConstraintFeature::kObs      ? "observation dimension " + std::to_string(index)
                   : kind == ConstraintFeature::kAction ? "action dimension " + std::to_string(index)
                                                        : "discrete action " + std::to_string(index)) +
                  ", which the policy does not have" + fits);
    c.features.push_back(f);
  }
  return c;
}

// ---- header text ------------------------------------------------------------------------------
// Text from a file as it may stand in a comment or a string literal of the header: printable
// ASCII without quotes and backslashes ('?' instead).
std::string plain(const std::string& s) {
  std::string out;
  for (char ch : s) out += ch >= 32 && ch <= 126 && ch != '"' && ch != '\\' ? ch : '?';
  return out;
}

// `inline constexpr float NAME[count] = {...};  // comment` from values[0 .. count).
std::string float_array(const std::string& name, const float* values, int count, const std::string& comment) {
  std::string s = "inline constexpr float " + name + "[" + std::to_string(count) + "] = {  // " + comment + "\n";
  for (int i = 0; i < count; ++i) {
    s += (i % 8 == 0 ? "    " : " ") + float_literal(values[i]) + ",";
    if (i % 8 == 7 || i + 1 == count) s += "\n";
  }
  return s + "};\n";
}

// The arrays of a network's layers: <prefix>W<l> [w_{l+1}, w_l] column-major, <prefix>B<l> [w_{l+1}].
std::string layer_arrays(const FileMlp& m, const std::string& prefix) {
  std::string s;
  for (int l = 0; l < m.layers(); ++l) {
    const int in = m.widths[l], out = m.widths[l + 1];
    const float* w = m.theta.data() + m.weight_offset(l);
    const std::string shape = "[" + std::to_string(out) + ", " + std::to_string(in) + "]";
    s += float_array(prefix + "W" + std::to_string(l), w, out * in, shape + " W_" + std::to_string(l) + ", column-major");
    s += float_array(prefix + "B" + std::to_string(l), w + out * in, out, "[" + std::to_string(out) + "] b_" + std::to_string(l));
  }
  return s;
}

// Statements that run the network on buffer a0 (filled by the caller), the last layer writing
// into `result`; declares a1 .. a_{L-1}.
std::string forward_body(const FileMlp& m, const std::string& prefix, const std::string& result) {
  std::string s;
  for (int l = 1; l < m.layers(); ++l)
    s += "  float a" + std::to_string(l) + "[" + std::to_string(m.widths[l]) + "];\n";
  for (int l = 0; l < m.layers(); ++l) {
    const std::string in = "a" + std::to_string(l);
    const std::string out = l + 1 == m.layers() ? result : "a" + std::to_string(l + 1);
    const std::string act = l + 1 == m.layers() ? m.output : m.hidden;
    s += "  detail::dense<" + std::to_string(m.widths[l]) + ", " + std::to_string(m.widths[l + 1]) + ">(detail::" +
         prefix + "W" + std::to_string(l) + ", detail::" + prefix + "B" + std::to_string(l) + ", " + in + ", " + out +
         ");\n";
    if (act != "identity")
      s += "  detail::" + act + "_inplace(" + out + ", " + std::to_string(m.widths[l + 1]) + ");\n";
  }
  return s;
}

std::string architecture_comment(const FileMlp& m) {
  std::string s;
  for (std::size_t i = 0; i < m.widths.size(); ++i) s += (i ? " -> " : "") + std::to_string(m.widths[i]);
  return s + " (" + m.hidden + " hidden, " + m.output + " output)";
}

const char* const kDetailFunctions = R"(// y [Out] = W [Out, In] (column-major) x [In] + b [Out]
template <int In, int Out>
inline void dense(const float* w, const float* b, const float* x, float* y) noexcept {
  for (int o = 0; o < Out; ++o) y[o] = b[o];
  for (int i = 0; i < In; ++i) {
    const float xi = x[i];
    const float* column = w + i * Out;
    for (int o = 0; o < Out; ++o) y[o] += column[o] * xi;
  }
}
// tanh as Eigen, and so the icrl library, computes it for float: a [13/6] rational approximation
// on [-7.905, 7.905] (a few ulp from std::tanh), and x itself where |x| < 0.0004. No libm call;
// about 3x faster than glibc's tanhf on x86-64.
inline float tanh_approx(float x) noexcept {
  const float c = 7.90531110763549805f;
  const float y = x < -c ? -c : (c < x ? c : x);
  const float y2 = y * y;
  float p = y2 * -2.76076847742355e-16f + 2.00018790482477e-13f;
  p = y2 * p + -8.60467152213735e-11f;
  p = y2 * p + 5.12229709037114e-08f;
  p = y2 * p + 1.48572235717979e-05f;
  p = y2 * p + 6.37261928875436e-04f;
  p = y2 * p + 4.89352455891786e-03f;
  p = y * p;
  float q = y2 * 1.19825839466702e-06f + 1.18534705686654e-04f;
  q = y2 * q + 2.26843463243900e-03f;
  q = y2 * q + 4.89352518554385e-03f;
  const float r = p / q;
  return std::fabs(x) < 0.0004f ? x : r;
}
inline void tanh_inplace(float* v, int n) noexcept {
  for (int i = 0; i < n; ++i) v[i] = tanh_approx(v[i]);
}
inline void relu_inplace(float* v, int n) noexcept {
  for (int i = 0; i < n; ++i) v[i] = v[i] > 0.0f ? v[i] : 0.0f;
}
inline void sigmoid_inplace(float* v, int n) noexcept {
  for (int i = 0; i < n; ++i) v[i] = 1.0f / (1.0f + std::exp(-v[i]));
}
// min(max(v, lo), hi), as the library clips (NaN stays NaN).
inline float clip(float v, float lo, float hi) noexcept {
  const float m = v < lo ? lo : v;
  return hi < m ? hi : m;
}
)";

}  // namespace

std::string float_literal(float v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.9g", static_cast<double>(v));
  std::string s = buf;
  if (s.find_first_of(".e") == std::string::npos) s += ".0";
  return s + "f";
}

std::string export_namespace(const std::string& out_path) {
  std::string base = out_path.substr(out_path.find_last_of('/') + 1);
  const std::size_t dot = base.find('.');
  if (dot != std::string::npos) base.resize(dot);
  std::string ns;
  for (char c : base)
    ns += (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ? c : '_';
  if (!ns.empty() && ns[0] >= '0' && ns[0] <= '9') ns = "icrl_" + ns;
  static const char* const kReserved[] = {
      "alignas", "alignof", "and", "and_eq", "asm", "auto", "bitand", "bitor", "bool", "break", "case", "catch",
      "char", "char16_t", "char32_t", "class", "compl", "const", "constexpr", "const_cast", "continue", "decltype",
      "default", "delete", "do", "double", "dynamic_cast", "else", "enum", "explicit", "export", "extern", "false",
      "float", "for", "friend", "goto", "if", "inline", "int", "long", "mutable", "namespace", "new", "noexcept",
      "not", "not_eq", "nullptr", "operator", "or", "or_eq", "private", "protected", "public", "register",
      "reinterpret_cast", "return", "short", "signed", "sizeof", "static", "static_assert", "static_cast", "struct",
      "switch", "template", "this", "thread_local", "throw", "true", "try", "typedef", "typeid", "typename", "union",
      "unsigned", "using", "virtual", "void", "volatile", "wchar_t", "while", "xor", "xor_eq", "std", "detail"};
  bool reserved = ns.empty() || ns[0] == '_' || ns.find("__") != std::string::npos;
  for (const char* k : kReserved) reserved = reserved || ns == k;
  if (reserved)
    throw Error("--out '" + out_path + "': the header's namespace would be '" + ns +
                "', which is empty, reserved or a C++ keyword; name the file after the model, e.g. "
                "point_circle_policy.hpp");
  return ns;
}

std::string export_header_text(const HeaderExport& spec, const std::string& ns, const std::string& header_name) {
  const PolicyFile p = read_policy(spec.policy_path);
  const int O = p.obs_dim(), A = p.outputs();
  const bool has_box = !spec.action_low.empty() || !spec.action_high.empty();
  if (has_box) {
    bool ok = !p.discrete && static_cast<int>(spec.action_low.size()) == A &&
              static_cast<int>(spec.action_high.size()) == A;
    for (std::size_t j = 0; ok && j < spec.action_low.size(); ++j) ok = spec.action_low[j] <= spec.action_high[j];
    if (!ok)
      throw Error("'" + spec.policy_path + "': the action box given for env '" + p.env + "' (" +
                  std::to_string(spec.action_low.size()) + " dims) does not fit this " +
                  (p.discrete ? "discrete policy" : "policy's " + std::to_string(A) + " action dims") +
                  ": the policy file was written for another version of the env; retrain it");
  }
  ConstraintFile c;
  const bool has_constraint = !spec.constraint_path.empty();
  if (has_constraint) c = read_constraint(spec.constraint_path, p, spec.policy_path);

  // ---- the comment at the top ----
  std::string h = "// " + plain(header_name) + " - generated by `icrl export`; do not edit (export again instead).\n//\n";
  h += "// policy      " + plain(spec.policy_path) + "\n//             env '" + plain(p.env) + "', " +
       (p.discrete ? "categorical" : "Gaussian") + " policy network " + architecture_comment(p.net) + "\n";
  h += std::string("//             observation normalisation: ") +
       (p.normalize ? "on, clip((s - mean) / sqrt(var + 1e-8), -10, 10)" : "off") + "\n";
  if (!p.discrete) {
    h += "// action box  ";
    if (has_box) {
      for (int j = 0; j < A; ++j)
        h += (j ? " x " : "") + std::string("[") + format_number(spec.action_low[static_cast<std::size_t>(j)]) + ", " +
             format_number(spec.action_high[static_cast<std::size_t>(j)]) + "]";
      h += ": action() clips the mean to it, as the env does\n";
    } else {
      h += "not known: action() = mean_action(); clip it to your actuators' range\n";
    }
  }
  if (has_constraint) {
    h += "// constraint  " + plain(spec.constraint_path) + "\n//             zeta(s, a) in (0, 1), 1 = allowed; method '" +
         plain(c.method) + "', learned in env '" + plain(c.env) + "'\n//             network " + architecture_comment(c.net) +
         " on";
    for (const auto& f : c.features) h += " " + f.describe();
    h += "\n";
  }
  h += "//\n// Needs the C++17 standard library's <cmath> only: no Eigen, no heap, no exceptions, no RTTI, no\n"
       "// mutable state (every function is reentrant). All arithmetic is float; results agree with the\n"
       "// icrl library to about 1e-6. Stack use: the activations, " + std::to_string(p.net.buffer_bytes()) +
       " bytes for the policy" + (has_constraint ? ", " + std::to_string(c.net.buffer_bytes()) + " for zeta" : "") +
       ".\n//\n";
  if (p.discrete) {
    h += "//   void " + ns + "::logits(const float obs[kObsDim], float out[kNumActions])\n";
    h += "//   int  " + ns + "::action(const float obs[kObsDim])       the most likely action (icrl eval --deterministic)\n";
    if (has_constraint) {
      h += "//   float " + ns + "::zeta(const float obs[kObsDim], int act)\n";
      h += "//   float " + ns + "::cost(const float obs[kObsDim], int act)   1 - zeta\n";
    }
  } else {
    h += "//   void " + ns + "::mean_action(const float obs[kObsDim], float mean[kActDim])   mu(s), icrl eval --deterministic\n";
    h += "//   void " + ns + "::action(const float obs[kObsDim], float act[kActDim])         mu(s) clipped to the action box\n";
    if (has_constraint) {
      h += "//   float " + ns + "::zeta(const float obs[kObsDim], const float act[kActDim])\n";
      h += "//   float " + ns + "::cost(const float obs[kObsDim], const float act[kActDim])   1 - zeta\n";
    }
  }
  h += "#pragma once\n\n#include <cmath>\n\nnamespace " + ns + " {\n\n";
  h += "inline constexpr const char kEnv[] = \"" + plain(p.env) + "\";  // the env the policy was trained on\n";
  h += "inline constexpr int kObsDim = " + std::to_string(O) + ";\n";
  h += p.discrete ? "inline constexpr int kNumActions = " + std::to_string(A) + ";\ninline constexpr bool kDiscrete = true;\n"
                  : "inline constexpr int kActDim = " + std::to_string(A) + ";\ninline constexpr bool kDiscrete = false;\n";
  h += std::string("inline constexpr bool kHasConstraint = ") + (has_constraint ? "true" : "false") + ";\n";
  h += "inline constexpr int kPolicyParams = " + std::to_string(p.net.weight_offset(p.net.layers())) +
       ";  // floats in the policy's arrays\n";
  if (has_constraint)
    h += "inline constexpr int kConstraintParams = " + std::to_string(c.net.weight_offset(c.net.layers())) +
         ";  // floats in zeta's arrays\n";
  h += "\n";

  // ---- weights and helpers ----
  h += "namespace detail {\n\n";
  if (p.normalize) {
    std::vector<float> mean(static_cast<std::size_t>(O)), inv_std(static_cast<std::size_t>(O));
    for (int i = 0; i < O; ++i) {
      mean[static_cast<std::size_t>(i)] = static_cast<float>(p.obs_mean(i));
      inv_std[static_cast<std::size_t>(i)] = static_cast<float>(1.0 / std::sqrt(p.obs_var(i) + kNormEps));
    }
    h += float_array("kObsMean", mean.data(), O, "[" + std::to_string(O) + "] running mean of the observations");
    h += float_array("kObsInvStd", inv_std.data(), O, "[" + std::to_string(O) + "] 1 / sqrt(var + 1e-8)");
  }
  h += layer_arrays(p.net, "kPolicy");
  if (has_box) {
    std::vector<float> lo(spec.action_low.begin(), spec.action_low.end()), hi(spec.action_high.begin(), spec.action_high.end());
    h += float_array("kActLow", lo.data(), A, "[" + std::to_string(A) + "] the env's action box");
    h += float_array("kActHigh", hi.data(), A, "[" + std::to_string(A) + "]");
  }
  if (has_constraint) h += layer_arrays(c.net, "kZeta");
  h += std::string("\n") + kDetailFunctions + "\n}  // namespace detail\n\n";

  // ---- the policy ----
  const std::string obs_in = "const float obs[kObsDim]";
  std::string body = "  float a0[kObsDim];  // the policy's input\n";
  body += p.normalize ? "  for (int i = 0; i < kObsDim; ++i)\n"
                        "    a0[i] = detail::clip((obs[i] - detail::kObsMean[i]) * detail::kObsInvStd[i], -10.0f, 10.0f);\n"
                      : "  for (int i = 0; i < kObsDim; ++i) a0[i] = obs[i];\n";
  if (p.discrete) {
    h += "// The policy's logits for observation obs (the raw env observation).\n";
    h += "inline void logits(" + obs_in + ", float out[kNumActions]) noexcept {\n" + body +
         forward_body(p.net, "kPolicy", "out") + "}\n\n";
    h += "// The most likely action (the first of equal logits), as icrl eval --deterministic acts.\n";
    h += "inline int action(" + obs_in + ") noexcept {\n  float l[kNumActions];\n  logits(obs, l);\n"
         "  int best = 0;\n  for (int k = 1; k < kNumActions; ++k)\n    if (l[k] > l[best]) best = k;\n"
         "  return best;\n}\n";
  } else {
    h += "// The policy's mean action mu(s) for observation obs (the raw env observation).\n";
    h += "inline void mean_action(" + obs_in + ", float mean[kActDim]) noexcept {\n" + body +
         forward_body(p.net, "kPolicy", "mean") + "}\n\n";
    h += has_box ? "// mu(s) clipped to the env's action box: the action the env applies.\n"
                   "inline void action(" + obs_in + ", float act[kActDim]) noexcept {\n  mean_action(obs, act);\n"
                   "  for (int j = 0; j < kActDim; ++j) act[j] = detail::clip(act[j], detail::kActLow[j], detail::kActHigh[j]);\n}\n"
                 : "// The action box is not known: the mean itself (clip it to your actuators' range).\n"
                   "inline void action(" + obs_in + ", float act[kActDim]) noexcept { mean_action(obs, act); }\n";
  }

  // ---- the constraint ----
  if (has_constraint) {
    const std::string act_in = p.discrete ? "int act" : "const float act[kActDim]";
    h += "\n// zeta(s, a) in (0, 1): the learned probability that taking act in obs is allowed.\n";
    h += "inline float zeta(" + obs_in + ", " + act_in + ") noexcept {\n";
    h += "  float a0[" + std::to_string(c.features.size()) + "];  // phi(s, a):";
    for (const auto& f : c.features) h += " " + f.describe();
    h += "\n  static_cast<void>(obs);  // zeta may read only some of its arguments\n  static_cast<void>(act);\n";
    for (std::size_t i = 0; i < c.features.size(); ++i) {
      const auto& f = c.features[i];
      const std::string lhs = "  a0[" + std::to_string(i) + "] = ";
      const std::string range = 
          ", " + float_literal(static_cast<float>(f.low)) + ", " + float_literal(static_cast<float>(f.high)) + ");\n";
      if (f.kind == ConstraintFeature::kObs)
        h += lhs + "detail::clip(obs[" + std::to_string(f.index) + "]" + range;
      else if (f.kind == ConstraintFeature::kAction)
        h += lhs + (p.discrete ? "detail::clip(static_cast<float>(act)" : "detail::clip(act[" + std::to_string(f.index) + "]") +
             range;
      else
        h += lhs + "act == " + std::to_string(f.index) + " ? 1.0f : 0.0f;\n";
    }
    h += "  float z[1];\n" + forward_body(c.net, "kZeta", "z") + "  return z[0];\n}\n\n";
    h += "// The cost the forward step pays: c(s, a) = 1 - zeta(s, a).\n";
    h += "inline float cost(" + obs_in + ", " + act_in + ") noexcept { return 1.0f - zeta(obs, act); }\n";
  }
  h += "\n}  // namespace " + ns + "\n";
  return h;
}

void export_header(const HeaderExport& spec, const std::string& out_path) {
  const std::string ns = export_namespace(out_path);
  const std::string text = export_header_text(spec, ns, out_path.substr(out_path.find_last_of('/') + 1));
  write_file_atomic(out_path, std::vector<unsigned char>(text.begin(), text.end()));
}

}  // namespace icrl
