// cli/run_files.hpp - what the `icrl` program adds to the library's run directory
// (icrl/run_dir.hpp: config.txt, progress.csv, the atomic state.ckpt, resume) for its resumable
// commands (train, expert, learn, transfer): the recorded command line that `--resume DIR` runs
// again, and the progress line with an ETA.
//
// Progress: one line per iteration with steps/s and the ETA, on stderr, only when stderr is a
// terminal (or with --verbose); CI logs and `> log` stay quiet. --quiet silences it everywhere.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "args.hpp"
#include "icrl/checkpoint.hpp"
#include "icrl/run_dir.hpp"

namespace icrl::cli {

// The flags every resumable command adds to its own.
inline const FlagSpec kResumeFlag = {"resume", true, false,
                                     "continue the run in DIR from its last complete iteration (DIR/state.ckpt); "
                                     "takes the recorded command line (DIR/command.txt), no other flags but --quiet/--verbose"};
inline const FlagSpec kQuietFlag = {"quiet", false, false, "no progress lines on stderr"};
inline const FlagSpec kVerboseFlag = {"verbose", false, false,
                                      "progress lines on stderr even when it is not a terminal (default: only on a terminal)"};

// The command line a run was started with, minus --out/--resume/--quiet/--verbose; written to
// DIR/command.txt (one argument per line) by a fresh run and read back by --resume.
struct RecordedCommand {
  std::vector<std::string> argv;  // "icrl", command, flags...
  bool resume = false;            // started with --resume
  std::string out;                // the run directory
};

// Resolves `icrl CMD ... ` into the effective command line: a fresh run as given, or with
// `--resume DIR` the one recorded in DIR/command.txt (UsageError for any other flag, Error naming
// the file when it is missing or damaged). argv[0..1] are the program and the command.
RecordedCommand resolve_command(const std::string& command, int argc, char** argv);

// Writes DIR/command.txt for a fresh run (atomically); UsageError for an argument with a newline.
void record_command(const RecordedCommand& c);

// Parses the effective command line against `specs` (which must contain the resume flags).
Args parse_recorded(const RecordedCommand& c, const std::vector<FlagSpec>& specs);

// The per-iteration line on stderr with steps/s and the ETA, shown as described above.
class ProgressLine {
 public:
  ProgressLine(bool quiet, bool verbose);
  bool enabled() const { return enabled_; }
  // Counts only the iterations this process ran, so a resumed run's rate is its own.
  void start(std::int64_t done_iterations, std::int64_t done_steps);
  // "prefix iter i/n  steps S  R steps/s  ETA 3m05s  details"
  void print(const std::string& prefix, std::int64_t iteration, std::int64_t iterations, std::int64_t env_steps,
             const std::string& details);

 private:
  bool enabled_ = false;
  std::int64_t start_iteration_ = 0, start_steps_ = 0;
  std::chrono::steady_clock::time_point t0_;
};

// "1h02m", "3m05s", "42s".
std::string format_duration(double seconds);

}  // namespace icrl::cli
