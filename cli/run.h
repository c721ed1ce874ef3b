// The whole program behind main(): argv in, text out, an exit code back.
#ifndef BPFMAP_CLI_RUN_H_
#define BPFMAP_CLI_RUN_H_

#include <cstdio>

#include "core/base/error.h"

namespace bpfmap::cli {

// Exit codes: 0 success, 1 the answer is no, 2 bad input or usage, 3 the
// system refused, 4 this kernel or map type cannot do that.
inline constexpr int kExitOk = 0;
inline constexpr int kExitNo = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitSystem = 3;
inline constexpr int kExitUnsupported = 4;

// The exit code for an error of `kind`.
int ExitCodeFor(ErrorKind kind);

// Parses argv, runs the command, writes data to `out` and diagnostics to
// `err`, and returns the exit code.
int Run(int argc, const char* const* argv, std::FILE* out, std::FILE* err);

}  // namespace bpfmap::cli

#endif  // BPFMAP_CLI_RUN_H_
