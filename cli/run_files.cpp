// cli/run_files.cpp - see run_files.hpp.
#include "run_files.hpp"

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "icrl/error.hpp"
#include "output.hpp"

namespace icrl::cli {

namespace {

const char* const kCommandFile = "/command.txt";

// "--name" or "--name=value": the name, else "".
std::string flag_name(const std::string& a) {
  if (a.rfind("--", 0) != 0) return "";
  const auto eq = a.find('=');
  return a.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
}

}  // namespace

RecordedCommand resolve_command(const std::string& command, int argc, char** argv) {
  RecordedCommand c;
  std::vector<std::string> given(argv, argv + argc), kept, extra;
  std::string resume_dir;
  bool have_resume = false;
  for (std::size_t i = 2; i < given.size(); ++i) {
    const std::string& a = given[i];
    const std::string name = flag_name(a);
    if (name == "out" || name == "resume") {
      std::string value;
      if (a.find('=') != std::string::npos) {
        value = a.substr(a.find('=') + 1);
      } else {
        if (i + 1 >= given.size()) throw UsageError("flag --" + name + " needs a value");
        value = given[++i];
      }
      if (name == "out") c.out = value;
      else resume_dir = value, have_resume = true;
    } else if (name == "quiet" || name == "verbose") {
      extra.push_back(a);
    } else {
      kept.push_back(a);
    }
  }
  if (!have_resume) {
    c.argv = {"icrl", command};
    c.argv.insert(c.argv.end(), kept.begin(), kept.end());
    c.argv.insert(c.argv.end(), extra.begin(), extra.end());
    return c;
  }
  if (!kept.empty() || !c.out.empty())
    throw UsageError("--resume DIR takes the run's recorded command line (DIR/command.txt); drop '" +
                     (kept.empty() ? std::string("--out") : kept.front()) +
                     "' (only --quiet and --verbose may be added)");
  if (resume_dir.empty()) throw UsageError("--resume needs the run directory, e.g. --resume runs/ant-s1");
  const std::string path = resume_dir + kCommandFile;
  std::ifstream f(path);
  if (!f)
    throw Error("cannot resume: '" + path + "' is missing; --resume needs the directory of a run started by icrl " +
                command + " --out DIR");
  std::string line;
  while (std::getline(f, line)) {
    if (!line.empty() && line[0] == '#') continue;
    c.argv.push_back(line);
  }
  if (c.argv.size() < 2 || c.argv[0] != "icrl")
    throw Error("cannot resume: '" + path + "' is damaged (its first argument must be 'icrl'); start the run again "
                "without --resume");
  if (c.argv[1] != command)
    throw Error("cannot resume: '" + path + "' records a run of `icrl " + c.argv[1] + "`, not `icrl " + command +
                "`; resume it with icrl " + c.argv[1] + " --resume " + resume_dir);
  c.argv.insert(c.argv.end(), extra.begin(), extra.end());
  c.resume = true;
  c.out = resume_dir;
  return c;
}

void record_command(const RecordedCommand& c) {
  std::string text = "# the command line of this run, one argument per line (icrl " + c.argv[1] +
                     " --resume DIR reads it; --out, --quiet and --verbose are not recorded)\n";
  for (std::size_t i = 0; i < c.argv.size(); ++i) {
    const std::string& a = c.argv[i];
    if (a == "--quiet" || a == "--verbose") continue;
    if (a.find('\n') != std::string::npos || a.find('\r') != std::string::npos)
      throw UsageError("argument '" + a + "' contains a line break; the run's command line is recorded one argument "
                       "per line for --resume");
    text += a + "\n";
  }
  write_text_atomic(c.out + kCommandFile, text);
}

Args parse_recorded(const RecordedCommand& c, const std::vector<FlagSpec>& specs) {
  std::vector<std::string> words = c.argv;
  if (!c.out.empty()) {
    words.push_back("--out");
    words.push_back(c.out);
  }
  std::vector<char*> ptrs;
  for (auto& w : words) ptrs.push_back(w.data());
  return Args(c.argv[1], specs, static_cast<int>(ptrs.size()), ptrs.data(), 2);
}

// ---- the progress line ----------------------------------------------------------------------
ProgressLine::ProgressLine(bool quiet, bool verbose)
    : enabled_(!quiet && (verbose || isatty(fileno(stderr)) == 1)), t0_(std::chrono::steady_clock::now()) {}

void ProgressLine::start(std::int64_t done_iterations, std::int64_t done_steps) {
  start_iteration_ = done_iterations;
  start_steps_ = done_steps;
  t0_ = std::chrono::steady_clock::now();
}

std::string format_duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  const long long s = std::llround(seconds);
  char buf[32];
  if (s >= 3600) std::snprintf(buf, sizeof buf, "%lldh%02lldm", s / 3600, (s % 3600) / 60);
  else if (s >= 60) std::snprintf(buf, sizeof buf, "%lldm%02llds", s / 60, s % 60);
  else std::snprintf(buf, sizeof buf, "%llds", s);
  return buf;
}

void ProgressLine::print(const std::string& prefix, std::int64_t iteration, std::int64_t iterations,
                         std::int64_t env_steps, const std::string& details) {
  if (!enabled_) return;
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count();
  const std::int64_t done = iteration - start_iteration_;
  const double rate = static_cast<double>(env_steps - start_steps_) / std::max(wall, 1e-9);
  const double eta = done > 0 ? wall / static_cast<double>(done) * static_cast<double>(iterations - iteration) : NAN;
  std::fprintf(stderr, "%s iter %lld/%lld  steps %lld  %.0f steps/s  ETA %s  %s\n", prefix.c_str(),
               static_cast<long long>(iteration), static_cast<long long>(iterations),
               static_cast<long long>(env_steps), rate, format_duration(eta).c_str(), details.c_str());
}

}  // namespace icrl::cli
