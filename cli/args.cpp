// cli/args.cpp - see args.hpp.
#include "args.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>

namespace icrl::cli {

namespace {

std::string accepted_list(const std::vector<FlagSpec>& specs) {
  std::string s;
  for (const auto& f : specs) s += (s.empty() ? "--" : ", --") + f.name;
  return s;
}

}  // namespace

Args::Args(const std::string& command, const std::vector<FlagSpec>& specs, int argc, char** argv, int first)
    : command_(command) {
  for (int i = first; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind("--", 0) != 0)
      throw UsageError("unexpected argument '" + a + "' (flags start with --; accepted: " + accepted_list(specs) + ")");
    std::string name = a.substr(2), value;
    bool inline_value = false;
    if (const auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      inline_value = true;
    }
    const FlagSpec* spec = nullptr;
    for (const auto& f : specs)
      if (f.name == name) spec = &f;
    if (!spec) throw UsageError("unknown flag '--" + name + "' (accepted: " + accepted_list(specs) + ")");
    if (spec->takes_value && !inline_value) {
      if (i + 1 >= argc) throw UsageError("flag --" + name + " needs a value");
      value = argv[++i];
    } else if (!spec->takes_value && inline_value) {
      throw UsageError("flag --" + name + " takes no value");
    }
    if (values_.count(name) && !spec->repeatable) throw UsageError("flag --" + name + " given twice");
    values_[name].push_back(value);
  }
}

std::string Args::get(const std::string& name, const std::string& fallback) const {
  const auto it = values_.find(name);
  return it == values_.end() ? fallback : it->second.back();
}

std::vector<std::string> Args::all(const std::string& name) const {
  const auto it = values_.find(name);
  return it == values_.end() ? std::vector<std::string>{} : it->second;
}

std::string Args::required(const std::string& name) const {
  if (!has(name)) throw UsageError("missing required flag --" + name);
  return get(name);
}

std::int64_t Args::integer(const std::string& name, std::int64_t fallback, std::int64_t lo, std::int64_t hi) const {
  return has(name) ? parse_integer("--" + name, get(name), lo, hi) : fallback;
}

std::uint64_t Args::seed(const std::string& name, std::uint64_t fallback) const {
  return has(name) ? static_cast<std::uint64_t>(parse_integer("--" + name, get(name), 0, 2147483647)) : fallback;
}

double Args::number(const std::string& name, double fallback) const {
  return has(name) ? parse_number("--" + name, get(name)) : fallback;
}

std::int64_t parse_integer(const std::string& what, const std::string& text, std::int64_t lo, std::int64_t hi) {
  errno = 0;
  char* end = nullptr;
  const long long v = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || errno != 0 || *end != '\0' || v < lo || v > hi)
    throw UsageError(what + " needs a whole number in [" + std::to_string(lo) + ", " + std::to_string(hi) +
                     "], got '" + text + "'");
  return v;
}

double parse_number(const std::string& what, const std::string& text) {
  errno = 0;
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || errno != 0 || *end != '\0' || !std::isfinite(v))
    throw UsageError(what + " needs a finite number, got '" + text + "'");
  return v;
}

bool parse_bool(const std::string& what, const std::string& text) {
  if (text == "true" || text == "1" || text == "yes" || text == "on") return true;
  if (text == "false" || text == "0" || text == "no" || text == "off") return false;
  throw UsageError(what + " needs true or false, got '" + text + "'");
}

std::string usage_text(const std::string& command, const std::string& synopsis,
                       const std::vector<FlagSpec>& specs) {
  std::string s = "usage: icrl " + command + " " + synopsis + "\n";
  for (const auto& f : specs) {
    std::string left = "  --" + f.name + (f.takes_value ? " VALUE" : "");
    if (left.size() < 24) left.resize(24, ' ');
    s += left + " " + f.help + "\n";
  }
  return s;
}

}  // namespace icrl::cli
