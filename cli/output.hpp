// cli/output.hpp - what every `icrl` subcommand writes: numbers in JSON and CSV, files written
// atomically, the output directory.
#pragma once

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

#include "icrl/checkpoint.hpp"
#include "icrl/run_dir.hpp"
#include "icrl/error.hpp"
#include "icrl/text_format.hpp"

namespace icrl::cli {

// JSON has no NaN: a missing value is null.
inline std::string json_number(double v) { return std::isfinite(v) ? format_number(v) : "null"; }
// CSV leaves a missing value empty (pandas and numpy read it as NaN).
inline std::string csv_number(double v) { return std::isfinite(v) ? format_number(v) : ""; }

inline void write_text_atomic(const std::string& path, const std::string& text) {
  write_file_atomic(path, std::vector<unsigned char>(text.begin(), text.end()));
}

inline void make_out_dir(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec || !std::filesystem::is_directory(dir))
    throw Error("cannot create output directory '" + dir + "': " +
                (ec ? ec.message() : std::string("a file of that name exists")) +
                "; pass --out with a writable directory path");
}

}  // namespace icrl::cli
