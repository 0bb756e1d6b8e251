// fuzz/fuzz_util.hpp - what every fuzz target checks, the checksum fix-up that lets the fuzzer
// past the CRC-32 of icrl files, and in-memory files for readers that take a path.
//
// The contract of a reader (icrl/error.hpp): on any input it returns a valid object or throws
// its error type (icrl::Error; cli::UsageError for the command line) with a message that names
// the input. Anything else - a crash, a sanitizer report, another exception type (std::bad_alloc
// from a huge declared size, std::length_error), a message that does not name the file, a hang
// (libFuzzer -timeout) - is a finding: expect_clean() aborts, and libFuzzer keeps the input.
//
// A mutated icrl file almost never has a matching CRC-32, so the fuzzer would only ever reach
// the checksum test. Targets for icrl files therefore parse every input twice: as it is (the
// header and checksum checks), and with_fixed_crc() (the entry table and the loaders behind it).
#pragma once

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "icrl/crc32.hpp"
#include "icrl/error.hpp"

namespace icrl::fuzz {

using Bytes = std::vector<unsigned char>;

// The input with its last 4 bytes replaced by the CRC-32 of the bytes before them (unchanged when
// shorter than an icrl header plus checksum).
inline Bytes with_fixed_crc(Bytes b) {
  if (b.size() < 20) return b;
  const std::uint32_t c = crc32(b.data(), b.size() - 4);
  std::memcpy(b.data() + b.size() - 4, &c, 4);
  return b;
}

// A file that lives in memory (memfd) under the path /proc/self/fd/N, for readers that take a
// path: writing each input to a file on disk cost 50 times the executions per second.
class MemFile {
 public:
  explicit MemFile(const char* name) : fd_(::memfd_create(name, 0)), path_("/proc/self/fd/" + std::to_string(fd_)) {
    if (fd_ < 0) std::abort();  // the fuzzer's own file: not a finding about icrl
  }
  MemFile(const MemFile&) = delete;
  MemFile& operator=(const MemFile&) = delete;
  ~MemFile() { ::close(fd_); }
  const std::string& path() const { return path_; }
  void write(const Bytes& b) const {
    const auto n = static_cast<ssize_t>(b.size());
    if (::ftruncate(fd_, 0) != 0 || (n > 0 && ::pwrite(fd_, b.data(), b.size(), 0) != n)) std::abort();
  }

 private:
  int fd_;
  std::string path_;
};

// Runs f(); an exception of type E is the expected way to refuse bad input and must mention
// `named` (the file name the reader was given; empty: no check). Aborts on anything else.
template <class E = icrl::Error, class F>
void expect_clean(const std::string& named, F&& f) {
  try {
    f();
  } catch (const E& e) {
    const std::string msg = e.what();
    if (msg.empty() || (!named.empty() && msg.find(named) == std::string::npos)) {
      std::fprintf(stderr, "fuzz: the error message does not name '%s': \"%s\"\n", named.c_str(), msg.c_str());
      std::abort();
    }
  }
  // Any other exception leaves f() through here and ends in std::terminate (an abort).
}

// The body of a target for icrl files: read(bytes) on the input as it is, then with a fixed CRC.
template <class Read>
int as_is_and_with_fixed_crc(const std::uint8_t* data, std::size_t size, Read&& read) {
  const Bytes bytes(data, data + size);
  read(bytes);
  read(with_fixed_crc(bytes));
  return 0;
}

}  // namespace icrl::fuzz
