// icrl/run_dir.cpp - the run directory (run_dir.hpp): settings, progress table, atomic state.
#include "icrl/run_dir.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include <Eigen/Core>

#include "icrl/error.hpp"

namespace icrl {

namespace {
constexpr const char* kProgressBytes = "run.progress_bytes";
}

std::string read_text_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

void make_directory(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec || !std::filesystem::is_directory(dir))
    throw Error("cannot create the run directory '" + dir + "': " +
                (ec ? ec.message() : std::string("a file of that name exists")) + "; give a writable directory path");
}

RunDir::RunDir(const std::string& dir, const std::string& config_text, const std::string& state_kind, bool resume)
    : dir_(dir) {
  const std::string config_path = path("config.txt"), state_path = path("state.ckpt");
  if (resume && std::filesystem::exists(state_path)) {
    if (read_text_file(config_path) != config_text)
      throw Error("cannot resume: '" + config_path + "' differs from the settings of this run (another icrl version, " +
                  "or changed settings or demonstrations?); start the run again without resuming");
    state_ = std::make_unique<CheckpointReader>(CheckpointReader::open(state_path, state_kind));
    resume_bytes_ = state_->read_int(kProgressBytes);
    return;
  }
  // Fresh (or resumed before its first iteration ended: nothing to continue from).
  make_directory(dir);
  std::error_code ec;
  std::filesystem::remove(state_path, ec);
  write_text("config.txt", config_text);
}

RunDir::~RunDir() {
  if (progress_) std::fclose(progress_);
}

const CheckpointReader& RunDir::state() const {
  ICRL_ASSERT(state_ != nullptr);
  return *state_;
}

void RunDir::open_progress(const std::string& header) {
  const std::string p = path("progress.csv");
  if (resume_bytes_ < 0) {
    progress_ = std::fopen(p.c_str(), "wb");
    if (!progress_) throw Error("cannot write '" + p + "': check that the run directory is writable");
    progress_row(header);
    return;
  }
  std::error_code ec;
  const auto size = std::filesystem::file_size(p, ec);
  if (ec || static_cast<std::int64_t>(size) < resume_bytes_)
    throw Error("cannot resume: '" + p + "' is " + (ec ? "missing" : std::to_string(size) + " bytes") +
                " but the saved state was written after " + std::to_string(resume_bytes_) +
                " bytes of it; the table was edited or replaced: restore it or start the run again without resuming");
  std::filesystem::resize_file(p, static_cast<std::uintmax_t>(resume_bytes_), ec);
  if (ec) throw Error("cannot resume: cannot cut '" + p + "' back to its saved length: " + ec.message());
  progress_ = std::fopen(p.c_str(), "ab");
  if (!progress_) throw Error("cannot append to '" + p + "': check that the run directory is writable");
  progress_bytes_ = resume_bytes_;
}

void RunDir::progress_row(const std::string& line) {
  ICRL_ASSERT(progress_ != nullptr);
  if (std::fputs(line.c_str(), progress_) < 0 || std::fputc('\n', progress_) == EOF || std::fflush(progress_) != 0)
    throw Error("cannot write '" + path("progress.csv") + "': disk full?");
  progress_bytes_ += static_cast<std::int64_t>(line.size()) + 1;
}

void RunDir::commit(CheckpointWriter& state) {
  state.add_int(kProgressBytes, progress_bytes_);
  state.save(path("state.ckpt"));
}

void RunDir::write_text(const std::string& file, const std::string& text) const {
  write_file_atomic(path(file), std::vector<unsigned char>(text.begin(), text.end()));
}

void RunDir::close() {
  std::FILE* f = progress_;
  progress_ = nullptr;
  if (f && std::fclose(f) != 0) throw Error("cannot finish writing '" + path("progress.csv") + "': disk full?");
}

std::string RunDir::last_state() const {
  const std::string p = path("state.ckpt");
  return std::filesystem::exists(p) ? p : std::string();
}

void add_stats(CheckpointWriter& out, const std::string& name, const std::vector<double>& values) {
  Eigen::Matrix<double, 1, Eigen::Dynamic> v(1, static_cast<Eigen::Index>(values.size()));  // [1, n]
  Eigen::Matrix<std::int64_t, 1, Eigen::Dynamic> set(1, v.cols());                          // [1, n]
  for (Eigen::Index k = 0; k < v.cols(); ++k) {
    const double x = values[static_cast<std::size_t>(k)];
    set(k) = std::isfinite(x) ? 1 : 0;
    v(k) = std::isfinite(x) ? x : 0.0;
  }
  out.add(name, v);
  out.add(name + ".set", set);
}

std::vector<double> read_stats(const CheckpointReader& in, const std::string& name, int count) {
  in.require<double>(name, 1, count);
  in.require<std::int64_t>(name + ".set", 1, count);
  Eigen::Matrix<double, 1, Eigen::Dynamic> v;             // [1, count]
  Eigen::Matrix<std::int64_t, 1, Eigen::Dynamic> set;     // [1, count]
  in.read(name, v);
  in.read(name + ".set", set);
  std::vector<double> out(static_cast<std::size_t>(count));
  for (int k = 0; k < count; ++k) out[static_cast<std::size_t>(k)] = set(k) ? v(k) : NAN;
  return out;
}

}  // namespace icrl
