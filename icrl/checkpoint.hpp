// icrl/checkpoint.hpp - the binary container of every file icrl saves (networks, optimiser
// states, learned constraints, demonstrations).
//
// Layout, little-endian:
//   offset 0   8 bytes   magic: "ICRL" followed by a 4-letter kind ("CKPT", "DEMO", ...)
//          8   u32       container format version (kCheckpointVersion)
//         12   u32       number of entries
//         16   entries, each:
//                u16     name length n (1 .. 255)      n bytes   name (printable ASCII)
//                u8      dtype (1 f32, 2 f64, 3 i64, 4 bytes/text)   u8 x 3 reserved (0)
//                u32     rows   u32 cols              rows * cols values, column-major
//   last 4 bytes u32     CRC-32 of every byte before it
//
// Writing goes to "<path>.tmp", is flushed and fsync'ed, then renamed over <path>: a reader sees
// the old file or the new one, never half of one. Reading loads the whole file, checks magic,
// kind, version, checksum and the entry table before anything is handed out; every failure is an
// icrl::Error naming the file, the entry and the fix. Loaders of composite objects call require()
// on all their entries before read()ing any, so a failed load leaves the caller's objects as they
// were.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>
#include <vector>

#include <Eigen/Core>

#include "icrl/error.hpp"

namespace icrl {

inline constexpr std::uint32_t kCheckpointVersion = 1;

enum class DType : std::uint8_t { f32 = 1, f64 = 2, i64 = 3, bytes = 4 };
const char* dtype_name(DType t) noexcept;
std::size_t dtype_size(DType t) noexcept;

template <typename S> constexpr DType dtype_of() {
  static_assert(std::is_same_v<S, float> || std::is_same_v<S, double> ||
                    std::is_same_v<S, std::int64_t>,
                "checkpoints store float, double or int64 entries");
  return std::is_same_v<S, float> ? DType::f32 : std::is_same_v<S, double> ? DType::f64 : DType::i64;
}

class CheckpointWriter {
 public:
  // kind: 4 letters naming what the file holds, e.g. "CKPT" (checkpoint), "DEMO".
  explicit CheckpointWriter(const std::string& kind);

  template <typename Derived>
  void add(const std::string& name, const Eigen::DenseBase<Derived>& m) {
    using S = typename Derived::Scalar;
    // Column-major copy of any expression (maps, blocks, row-major matrices).
    Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic> tmp = m;
    add_raw(name, dtype_of<S>(), tmp.rows(), tmp.cols(), tmp.data());
  }
  void add_int(const std::string& name, std::int64_t value);
  void add_text(const std::string& name, const std::string& text);
  void add_raw(const std::string& name, DType type, Eigen::Index rows, Eigen::Index cols, const void* data);

  // Atomic write: <path>.tmp, fsync, rename. Throws icrl::Error naming the path on failure.
  void save(const std::string& path) const;

  // The exact bytes save() writes (for tests and fuzzers).
  std::vector<unsigned char> bytes() const;

 private:
  std::string kind_;
  std::uint32_t count_ = 0;
  std::vector<unsigned char> body_;  // serialised entries
};

class CheckpointReader {
 public:
  // Reads and verifies the file; `kind` is the expected 4-letter kind.
  static CheckpointReader open(const std::string& path, const std::string& kind);
  // Same checks on bytes already in memory; `origin` names them in messages.
  static CheckpointReader parse(std::vector<unsigned char> bytes, const std::string& kind,
                                const std::string& origin);

  const std::string& origin() const { return origin_; }
  bool has(const std::string& name) const { return find(name) != nullptr; }
  std::vector<std::string> names() const;

  // Throws unless entry `name` holds rows x cols finite values of type S.
  template <typename S>
  void require(const std::string& name, Eigen::Index rows, Eigen::Index cols) const {
    require_raw(name, dtype_of<S>(), rows, cols);
  }

  // Copies entry `name` into a fixed- or dynamic-size matrix. A fixed-size target needs the
  // stored shape to match; a dynamic one is resized.
  template <typename Derived>
  void read(const std::string& name, Eigen::PlainObjectBase<Derived>& out) const {
    using S = typename Derived::Scalar;
    const Entry* e = find_or_throw(name);
    constexpr Eigen::Index kRows = Derived::RowsAtCompileTime, kCols = Derived::ColsAtCompileTime;
    const Eigen::Index rows = kRows == Eigen::Dynamic ? static_cast<Eigen::Index>(e->rows) : kRows;
    const Eigen::Index cols = kCols == Eigen::Dynamic ? static_cast<Eigen::Index>(e->cols) : kCols;
    require_raw(name, dtype_of<S>(), rows, cols);
    Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic> tmp(rows, cols);
    // An empty entry has no storage (data() is null): memcpy must not see it even for 0 bytes.
    if (rows * cols > 0)
      std::memcpy(tmp.data(), bytes_.data() + e->offset, static_cast<std::size_t>(rows * cols) * sizeof(S));
    out = tmp;
  }

  std::int64_t read_int(const std::string& name) const;
  std::string read_text(const std::string& name) const;
  // Throws unless text entry `name` equals `expected` (used for architectures and env names).
  void require_text(const std::string& name, const std::string& expected) const;

 private:
  struct Entry {
    std::string name;
    DType type;
    std::uint32_t rows, cols;
    std::size_t offset;  // of the first value in bytes_
  };
  const Entry* find(const std::string& name) const;
  const Entry* find_or_throw(const std::string& name) const;
  void require_raw(const std::string& name, DType type, Eigen::Index rows, Eigen::Index cols) const;

  std::string origin_;
  std::vector<unsigned char> bytes_;
  std::vector<Entry> entries_;
};

// Atomically replaces `path` with `bytes` (write <path>.tmp, fsync, rename).
void write_file_atomic(const std::string& path, const std::vector<unsigned char>& bytes);

}  // namespace icrl
