// fuzz/fuzz_args.cpp - libFuzzer target: the command line's text readers (cli/args.hpp): flag
// parsing against a list of accepted flags like `icrl train`'s, the typed values (whole numbers,
// seeds, reals), and every `--set key=value` through the PPO settings table
// (cli/ppo_settings.hpp). The input is the argument list, one argument per line. The only
// accepted failure is a cli::UsageError.
#include <cstdint>
#include <string>
#include <vector>

#include "cli/args.hpp"
#include "cli/ppo_settings.hpp"
#include "fuzz/fuzz_util.hpp"

namespace {

const std::vector<icrl::cli::FlagSpec> kFlags = {
    {"env", true, false, "environment"},
    {"seed", true, false, "random seed"},
    {"steps", true, false, "environment steps"},
    {"cost-limit", true, false, "budget alpha"},
    {"set", true, true, "key=value"},
    {"quiet", false, false, "no progress lines"},
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<std::string> words(1, "icrl");
  std::string word;
  for (std::size_t i = 0; i < size; ++i) {
    if (data[i] == '\n') {
      words.push_back(word);
      word.clear();
    } else {
      word += static_cast<char>(data[i]);
    }
  }
  if (!word.empty()) words.push_back(word);
  std::vector<char*> argv;
  for (std::string& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);

  icrl::fuzz::expect_clean<icrl::cli::UsageError>("", [&] {
    const icrl::cli::Args args("train", kFlags, static_cast<int>(words.size()), argv.data(), 1);
    (void)args.seed("seed", 1);
    (void)args.integer("steps", 1000, 1, std::int64_t{1} << 40);
    (void)args.number("cost-limit", 0.0);
    icrl::PpoConfig config;
    for (const std::string& kv : args.all("set"))
      icrl::fuzz::expect_clean<icrl::cli::UsageError>("", [&] { icrl::cli::apply_setting(config, kv); });
    (void)icrl::cli::describe_config(config);
  });
  return 0;
}
