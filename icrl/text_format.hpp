// icrl/text_format.hpp - numbers and strings for the text files icrl writes (config.txt,
// progress.csv, summary.json, demonstration summaries and CSV exports).
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>

namespace icrl {

// Shortest decimal text that reads back as exactly v (%.15g when it round-trips, else %.17g).
inline std::string format_number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.15g", v);
  if (std::strtod(buf, nullptr) != v) std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

// s as a JSON string literal: quotes and backslashes escaped, control characters as \uXXXX.
inline std::string json_quote(const std::string& s) {
  std::string out = "\"";
  for (char ch : s) {
    if (ch == '"' || ch == '\\') {
      out += '\\';
      out += ch;
    } else if (static_cast<unsigned char>(ch) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(ch)));
      out += buf;
    } else {
      out += ch;
    }
  }
  return out + "\"";
}

}  // namespace icrl
