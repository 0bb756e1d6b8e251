// icrl/run_dir.hpp - the run directory: how a long training run keeps its settings, its progress
// and its state on disk so that it survives a kill at any instant and continues where it stopped.
// Every resumable command of the `icrl` program (train, expert, learn, transfer) uses it, and so
// can a program of your own.
//
//   DIR/config.txt    the run's resolved settings as text; a resumed run must derive the same
//                     text from its own settings, or it is refused (another version, other data)
//   DIR/progress.csv  one row per iteration, appended and flushed as the iteration ends
//   DIR/state.ckpt    the whole training state after the last complete iteration, written
//                     atomically (temp file, fsync, rename: checkpoint.hpp), with the byte
//                     length progress.csv had at that moment (entry "run.progress_bytes")
//   DIR/summary.json  written once at the end (write_text)
//
// The commit point of an iteration is the rename of state.ckpt. A run killed at any instant leaves
// either the previous or the new state.ckpt; resuming loads it and cuts progress.csv back to the
// recorded length, so the rows and the state always agree and the continued run is the
// uninterrupted one, bit for bit (tests/test_cli.cpp kills runs with SIGKILL and compares).
//
//   RunDir dir(path, config_text, Trainer::kStateFileKind, resume);
//   if (dir.resumed()) trainer.load_state(dir.state());
//   dir.open_progress("iteration,reward,...");
//   while (...) {
//     ... one iteration ...
//     dir.progress_row(row);
//     CheckpointWriter state(Trainer::kStateFileKind);
//     trainer.save_state(state);
//     dir.commit(state);                    // the iteration now counts
//   }
//   dir.write_text("summary.json", json);
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "icrl/checkpoint.hpp"

namespace icrl {

class RunDir {
 public:
  // Opens the run directory `dir` for a run whose resolved settings are `config_text`.
  // resume and a DIR/state.ckpt of kind `state_kind`: a resumed run (resumed(), state()); Error
  // naming the files when config.txt differs from config_text or the state cannot be read.
  // Otherwise a fresh run: creates DIR, removes a state an earlier run left there and writes
  // config.txt. Error naming the directory when it cannot be created or written.
  RunDir(const std::string& dir, const std::string& config_text, const std::string& state_kind, bool resume);
  ~RunDir();
  RunDir(const RunDir&) = delete;
  RunDir& operator=(const RunDir&) = delete;

  bool resumed() const { return state_ != nullptr; }
  // The state of the last complete iteration; only when resumed().
  const CheckpointReader& state() const;
  const std::string& dir() const { return dir_; }
  std::string path(const std::string& file) const { return dir_ + "/" + file; }

  // DIR/progress.csv: a fresh run writes the header; a resumed one cuts the table back to the
  // length its state recorded (Error naming the file when it is shorter: edited or replaced).
  void open_progress(const std::string& header);
  void progress_row(const std::string& line);  // appends line + '\n' and flushes

  // The commit point: adds the progress table's length to `state` and writes DIR/state.ckpt
  // atomically. After it returns, a resumed run starts after this iteration.
  void commit(CheckpointWriter& state);

  // DIR/file written atomically (summary.json, a learned constraint's text, ...).
  void write_text(const std::string& file, const std::string& text) const;

  // Closes progress.csv; Error when its last write failed (disk full).
  void close();

  // "DIR/state.ckpt" when one exists (for messages after a failure: "the last good state is ..."),
  // else "".
  std::string last_state() const;

 private:
  std::string dir_;
  std::unique_ptr<CheckpointReader> state_;  // the resumed state, or null
  std::int64_t resume_bytes_ = -1;           // progress.csv's length in that state
  std::FILE* progress_ = nullptr;
  std::int64_t progress_bytes_ = 0;
};

// Run statistics in a state file. Checkpoints refuse non-finite numbers (a diverged run), but a
// statistic may legitimately be missing (NaN: no episode finished yet); a mask entry says which.
void add_stats(CheckpointWriter& out, const std::string& name, const std::vector<double>& values);
std::vector<double> read_stats(const CheckpointReader& in, const std::string& name, int count);

// The whole file as text, or "" when it cannot be read.
std::string read_text_file(const std::string& path);
// Creates a directory and its parents; Error naming it when that fails.
void make_directory(const std::string& dir);

}  // namespace icrl
