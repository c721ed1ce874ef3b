// What a fuzz target asserts: a broken property aborts with a message, so
// libFuzzer (and the corpus tests) report it as a crash.
#ifndef BPFMAP_TESTS_FUZZ_FUZZ_CHECK_H_
#define BPFMAP_TESTS_FUZZ_FUZZ_CHECK_H_

#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(condition, ...)                                  \
  do {                                                              \
    if (!(condition)) {                                             \
      std::fprintf(stderr, "property failed: %s: ", #condition);    \
      std::fprintf(stderr, __VA_ARGS__);                            \
      std::fprintf(stderr, "\n");                                   \
      std::abort();                                                 \
    }                                                               \
  } while (0)

#endif  // BPFMAP_TESTS_FUZZ_FUZZ_CHECK_H_
