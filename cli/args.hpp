// cli/args.hpp - the command line of the `icrl` program: flags, their values, and usage errors.
//
// Every subcommand parses `--flag value` or `--flag=value` against its own list of accepted
// flags; anything else is a UsageError whose message lists what is accepted. main() prints it
// and exits with status 2 (bad input files and failing runs exit with 1).
#pragma once

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace icrl::cli {

class UsageError : public std::runtime_error {
 public:
  explicit UsageError(const std::string& what) : std::runtime_error(what) {}
};

// One accepted flag of a subcommand.
struct FlagSpec {
  std::string name;     // without the leading dashes, e.g. "seed"
  bool takes_value;     // --seed 3 (true) or --deterministic (false)
  bool repeatable;      // may be given several times (--set k=v --set k2=v2)
  std::string help;     // one line for the usage text
};

class Args {
 public:
  // Parses argv[first .. argc) for `command` against `specs`; throws UsageError.
  Args(const std::string& command, const std::vector<FlagSpec>& specs, int argc, char** argv, int first);

  bool has(const std::string& name) const { return values_.count(name) > 0; }
  // The value of a single-valued flag, or `fallback` when absent.
  std::string get(const std::string& name, const std::string& fallback = "") const;
  // Every value of a repeatable flag, in command-line order.
  std::vector<std::string> all(const std::string& name) const;
  // The flag's value; UsageError naming the flag when it is missing.
  std::string required(const std::string& name) const;

  // Typed values with range checks; errors name the flag, the value and the accepted range.
  std::int64_t integer(const std::string& name, std::int64_t fallback, std::int64_t lo, std::int64_t hi) const;
  std::uint64_t seed(const std::string& name, std::uint64_t fallback) const;
  double number(const std::string& name, double fallback) const;

  const std::string& command() const { return command_; }

 private:
  std::string command_;
  std::map<std::string, std::vector<std::string>> values_;
};

// Usage text of a subcommand: one line per flag.
std::string usage_text(const std::string& command, const std::string& synopsis,
                       const std::vector<FlagSpec>& specs);

// Parses text as a whole number / a finite real; throws UsageError mentioning `what`.
std::int64_t parse_integer(const std::string& what, const std::string& text, std::int64_t lo, std::int64_t hi);
double parse_number(const std::string& what, const std::string& text);
bool parse_bool(const std::string& what, const std::string& text);

}  // namespace icrl::cli
