// icrl/checkpoint.cpp - writing and verifying the container described in checkpoint.hpp.
#include "icrl/checkpoint.hpp"
#include "icrl/crc32.hpp"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>

#if defined(__unix__) || defined(__APPLE__)
#include <fcntl.h>
#include <unistd.h>
#define ICRL_HAVE_FSYNC 1
#endif

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "icrl files are little-endian and are written by memcpy: add byte swapping for big-endian hosts");

namespace icrl {

namespace {

constexpr std::size_t kHeaderBytes = 16;  // magic 8 + version 4 + count 4
constexpr std::size_t kCrcBytes = 4;
constexpr std::size_t kMaxNameLength = 255;
constexpr unsigned long long kMaxFileBytes = 1ull << 31;  // 2 GiB: far above any real file

template <typename T>
void put(std::vector<unsigned char>& out, T value) {
  unsigned char b[sizeof(T)];
  std::memcpy(b, &value, sizeof(T));
  out.insert(out.end(), b, b + sizeof(T));
}

template <typename T>
T get(const std::vector<unsigned char>& in, std::size_t offset) {
  T value;
  std::memcpy(&value, in.data() + offset, sizeof(T));
  return value;
}

std::string hex32(std::uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08X", v);
  return buf;
}

std::string printable(const unsigned char* p, std::size_t n) {
  std::string s;
  for (std::size_t i = 0; i < n; ++i) {
    const unsigned char c = p[i];
    if (c >= 32 && c < 127) {
      s += static_cast<char>(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", c);
      s += buf;
    }
  }
  return s;
}

void check_kind(const std::string& kind) {
  if (kind.size() != 4)
    throw Error("checkpoint kind '" + kind + "' must be exactly 4 letters (e.g. \"CKPT\")");
}

}  // namespace

const char* dtype_name(DType t) noexcept {
  switch (t) {
    case DType::f32: return "f32";
    case DType::f64: return "f64";
    case DType::i64: return "i64";
    case DType::bytes: return "bytes";
  }
  return "unknown";
}

std::size_t dtype_size(DType t) noexcept {
  switch (t) {
    case DType::f32: return 4;
    case DType::f64: return 8;
    case DType::i64: return 8;
    case DType::bytes: return 1;
  }
  return 0;
}

// ---- writer ------------------------------------------------------------------------------

CheckpointWriter::CheckpointWriter(const std::string& kind) : kind_(kind) { check_kind(kind); }

void CheckpointWriter::add_raw(const std::string& name, DType type, Eigen::Index rows,
                               Eigen::Index cols, const void* data) {
  if (name.empty() || name.size() > kMaxNameLength)
    throw Error("checkpoint entry name '" + name + "' must have 1 to 255 characters");
  const long long r = static_cast<long long>(rows), c = static_cast<long long>(cols);
  if (r < 0 || c < 0 || r > 0xFFFFFFFFll || c > 0xFFFFFFFFll)
    throw Error("checkpoint entry '" + name + "' has an unrepresentable shape");
  put<std::uint16_t>(body_, static_cast<std::uint16_t>(name.size()));
  body_.insert(body_.end(), name.begin(), name.end());
  put<std::uint8_t>(body_, static_cast<std::uint8_t>(type));
  for (int i = 0; i < 3; ++i) put<std::uint8_t>(body_, 0);
  put<std::uint32_t>(body_, static_cast<std::uint32_t>(rows));
  put<std::uint32_t>(body_, static_cast<std::uint32_t>(cols));
  const std::size_t n = static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols) * dtype_size(type);
  const auto* p = static_cast<const unsigned char*>(data);
  if (n > 0) body_.insert(body_.end(), p, p + n);
  ++count_;
}

void CheckpointWriter::add_int(const std::string& name, std::int64_t value) {
  add_raw(name, DType::i64, 1, 1, &value);
}

void CheckpointWriter::add_text(const std::string& name, const std::string& text) {
  add_raw(name, DType::bytes, static_cast<Eigen::Index>(text.size()), 1, text.data());
}

std::vector<unsigned char> CheckpointWriter::bytes() const {
  std::vector<unsigned char> out;
  out.reserve(kHeaderBytes + body_.size() + kCrcBytes);
  out.insert(out.end(), {'I', 'C', 'R', 'L'});
  out.insert(out.end(), kind_.begin(), kind_.end());
  put<std::uint32_t>(out, kCheckpointVersion);
  put<std::uint32_t>(out, count_);
  out.insert(out.end(), body_.begin(), body_.end());
  put<std::uint32_t>(out, crc32(out.data(), out.size()));
  return out;
}

void CheckpointWriter::save(const std::string& path) const { write_file_atomic(path, bytes()); }

void write_file_atomic(const std::string& path, const std::vector<unsigned char>& bytes) {
  const std::string tmp = path + ".tmp";
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f)
    throw Error("cannot write '" + tmp + "': " + std::strerror(errno) +
                " (does the directory exist and is it writable?)");
  bool ok = bytes.empty() || std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  ok = std::fflush(f) == 0 && ok;
#ifdef ICRL_HAVE_FSYNC
  ok = ::fsync(::fileno(f)) == 0 && ok;
#endif
  const int saved_errno = errno;
  ok = std::fclose(f) == 0 && ok;
  if (!ok) {
    std::remove(tmp.c_str());
    throw Error("writing '" + tmp + "' failed: " + std::strerror(saved_errno) +
                " (disk full?); '" + path + "' was left as it was");
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const int e = errno;
    std::remove(tmp.c_str());
    throw Error("cannot rename '" + tmp + "' to '" + path + "': " + std::strerror(e));
  }
}

// ---- reader ------------------------------------------------------------------------------

CheckpointReader CheckpointReader::open(const std::string& path, const std::string& kind) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw Error("'" + path + "' is a directory; give the path of a file inside it");
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in)
    throw Error("cannot open '" + path + "': " + std::strerror(errno) + " (check the path)");
  const std::streamoff size = in.tellg();
  if (size < 0) throw Error("cannot read '" + path + "': it is not a regular file");
  if (static_cast<unsigned long long>(size) > kMaxFileBytes)
    throw Error("'" + path + "' is " + std::to_string(size) + " bytes, more than any icrl file (" +
                std::to_string(kMaxFileBytes) + "); is it the right file?");
  std::vector<unsigned char> bytes(static_cast<std::size_t>(size));
  in.seekg(0);
  if (size > 0 && !in.read(reinterpret_cast<char*>(bytes.data()), size))
    throw Error("reading '" + path + "' failed after " + std::to_string(in.gcount()) + " of " +
                std::to_string(size) + " bytes: " + std::strerror(errno));
  return parse(std::move(bytes), kind, path);
}

CheckpointReader CheckpointReader::parse(std::vector<unsigned char> bytes, const std::string& kind,
                                         const std::string& origin) {
  check_kind(kind);
  const std::string where = "'" + origin + "'";
  const std::string expected_magic = "ICRL" + kind;
  if (bytes.size() < kHeaderBytes + kCrcBytes) {
    if (bytes.size() >= 8 && std::memcmp(bytes.data(), expected_magic.data(), 8) != 0)
      throw Error(where + " is not an icrl " + kind + " file: it starts with '" +
                  printable(bytes.data(), 8) + "', expected '" + expected_magic + "'");
    throw Error(where + " is truncated: " + std::to_string(bytes.size()) +
                " bytes, the smallest valid file has " + std::to_string(kHeaderBytes + kCrcBytes) +
                " (was the writer killed? use an earlier file)");
  }
  if (std::memcmp(bytes.data(), expected_magic.data(), 8) != 0) {
    if (std::memcmp(bytes.data(), "ICRL", 4) == 0)
      throw Error(where + " holds an icrl '" + printable(bytes.data() + 4, 4) + "' file, not a '" +
                  kind + "' file (wrong file for this option?)");
    throw Error(where + " is not an icrl " + kind + " file: it starts with '" +
                printable(bytes.data(), 8) + "', expected '" + expected_magic + "'");
  }
  const auto version = get<std::uint32_t>(bytes, 8);
  if (version != kCheckpointVersion)
    throw Error(where + " has format version " + std::to_string(version) +
                " but this build of icrl reads version " + std::to_string(kCheckpointVersion) +
                " (use the icrl release that wrote it, or re-create the file)");
  const std::size_t payload = bytes.size() - kCrcBytes;
  const auto stored_crc = get<std::uint32_t>(bytes, payload);
  const auto actual_crc = crc32(bytes.data(), payload);
  if (stored_crc != actual_crc)
    throw Error(where + " is corrupt or truncated: stored CRC-32 " + hex32(stored_crc) +
                ", computed " + hex32(actual_crc) +
                " (the file changed after it was written; use an earlier copy)");

  CheckpointReader r;
  r.origin_ = origin;
  const auto count = get<std::uint32_t>(bytes, 12);
  std::size_t pos = kHeaderBytes;
  auto need = [&](std::size_t n, const std::string& what) {
    if (n > payload - pos)
      throw Error(where + ": " + what + " runs past the end of the file (" +
                  std::to_string(payload - pos) + " bytes left); the file is malformed");
  };
  for (std::uint32_t i = 0; i < count; ++i) {
    const std::string label = "entry #" + std::to_string(i);
    need(2, label + " name length");
    const auto len = get<std::uint16_t>(bytes, pos);
    pos += 2;
    if (len == 0 || len > kMaxNameLength) throw Error(where + ": " + label + " has an invalid name length");
    need(len, label + " name");
    Entry e;
    e.name.assign(reinterpret_cast<const char*>(bytes.data() + pos), len);
    pos += len;
    for (char c : e.name)
      if (c < 32 || c > 126) throw Error(where + ": " + label + " has a non-printable name");
    need(12, "entry '" + e.name + "' header");
    const auto type = get<std::uint8_t>(bytes, pos);
    if (type < 1 || type > 4)
      throw Error(where + ": entry '" + e.name + "' has unknown dtype " + std::to_string(type));
    e.type = static_cast<DType>(type);
    e.rows = get<std::uint32_t>(bytes, pos + 4);
    e.cols = get<std::uint32_t>(bytes, pos + 8);
    pos += 12;
    const unsigned long long values = static_cast<unsigned long long>(e.rows) * e.cols;
    const unsigned long long size = values * dtype_size(e.type);  // < 2^67 cannot overflow: rows, cols < 2^32, size <= 8
    if (values != 0 && size / values != dtype_size(e.type)) throw Error(where + ": entry '" + e.name + "' is too large");
    if (size > payload - pos)
      throw Error(where + ": entry '" + e.name + "' declares " + std::to_string(e.rows) + " x " +
                  std::to_string(e.cols) + " " + dtype_name(e.type) + " values (" +
                  std::to_string(size) + " bytes) but only " + std::to_string(payload - pos) +
                  " bytes remain; the file is malformed");
    e.offset = pos;
    pos += static_cast<std::size_t>(size);
    if (r.find(e.name)) throw Error(where + ": entry '" + e.name + "' appears twice");
    r.entries_.push_back(std::move(e));
  }
  if (pos != payload)
    throw Error(where + ": " + std::to_string(payload - pos) +
                " unexplained bytes after the last entry; the file is malformed");
  r.bytes_ = std::move(bytes);
  return r;
}

std::vector<std::string> CheckpointReader::names() const {
  std::vector<std::string> out;
  for (const auto& e : entries_) out.push_back(e.name);
  return out;
}

const CheckpointReader::Entry* CheckpointReader::find(const std::string& name) const {
  for (const auto& e : entries_)
    if (e.name == name) return &e;
  return nullptr;
}

const CheckpointReader::Entry* CheckpointReader::find_or_throw(const std::string& name) const {
  const Entry* e = find(name);
  if (!e) {
    std::string list;
    for (const auto& x : entries_) list += (list.empty() ? "" : ", ") + x.name;
    throw Error("'" + origin_ + "' has no entry '" + name + "' (it has: " + list +
                "); was it written by another command or another network?");
  }
  return e;
}

void CheckpointReader::require_raw(const std::string& name, DType type, Eigen::Index rows,
                                   Eigen::Index cols) const {
  const Entry* e = find_or_throw(name);
  const std::string where = "'" + origin_ + "': entry '" + name + "'";
  if (e->type != type)
    throw Error(where + " holds " + dtype_name(e->type) + " values, expected " + dtype_name(type));
  if (static_cast<long long>(e->rows) != static_cast<long long>(rows) ||
      static_cast<long long>(e->cols) != static_cast<long long>(cols))
    throw Error(where + " has shape [" + std::to_string(e->rows) + " x " + std::to_string(e->cols) +
                "] but this build expects [" + std::to_string(rows) + " x " + std::to_string(cols) +
                "] (saved from a differently sized network or another environment?)");
  const std::size_t n = static_cast<std::size_t>(e->rows) * e->cols;
  const unsigned char* p = bytes_.data() + e->offset;
  for (std::size_t i = 0; i < n; ++i) {
    bool finite = true;
    if (type == DType::f32) {
      float v;
      std::memcpy(&v, p + 4 * i, 4);
      finite = std::isfinite(v);
    } else if (type == DType::f64) {
      double v;
      std::memcpy(&v, p + 8 * i, 8);
      finite = std::isfinite(v);
    }
    if (!finite)
      throw Error(where + " holds a non-finite value at index " + std::to_string(i) +
                  " (the run that wrote it diverged; use an earlier checkpoint)");
  }
}

std::int64_t CheckpointReader::read_int(const std::string& name) const {
  require_raw(name, DType::i64, 1, 1);
  return get<std::int64_t>(bytes_, find(name)->offset);
}

std::string CheckpointReader::read_text(const std::string& name) const {
  const Entry* e = find_or_throw(name);
  if (e->type != DType::bytes || e->cols != 1)
    throw Error("'" + origin_ + "': entry '" + name + "' is not text (it holds " + dtype_name(e->type) + ")");
  return std::string(reinterpret_cast<const char*>(bytes_.data() + e->offset), e->rows);
}

void CheckpointReader::require_text(const std::string& name, const std::string& expected) const {
  const std::string found = read_text(name);
  if (found != expected)
    throw Error("'" + origin_ + "': entry '" + name + "' is '" + found + "' but '" + expected +
                "' is expected (file written for another network or environment)");
}

}  // namespace icrl
