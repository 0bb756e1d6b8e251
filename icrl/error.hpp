// icrl/error.hpp - the one exception type of the library, and the assert a user can redirect.
//
// Every error that bad input can cause (a malformed file, a wrong dimension, a NaN from an
// environment) is an icrl::Error whose message names the file or object, the field, what was
// found, and how to fix it. Programming errors inside the library are ICRL_ASSERT, which calls
// icrl::assert_handler (abort by default; tests and embedders may install their own).
#pragma once

#include <stdexcept>
#include <string>

namespace icrl {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& what) : std::runtime_error(what) {}
};

// Called when ICRL_ASSERT fails. Replace it to log and recover in firmware-style code; the
// default prints the condition, file and line to stderr and aborts.
using AssertHandler = void (*)(const char* condition, const char* file, int line);
extern AssertHandler assert_handler;

}  // namespace icrl

#ifdef NDEBUG
#define ICRL_ASSERT(cond) ((void)0)
#else
#define ICRL_ASSERT(cond) \
  ((cond) ? (void)0 : ::icrl::assert_handler(#cond, __FILE__, __LINE__))
#endif
