#include "core/model/leaf_context.h"

#include <ctime>

namespace bpfmap {
namespace {

int64_t ClockNs(clockid_t clock) {
  struct timespec ts {};
  clock_gettime(clock, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

}  // namespace

LeafContext LeafContext::Now() {
  LeafContext context;
  context.monotonic_ns = ClockNs(CLOCK_MONOTONIC);
  context.boottime_ns = ClockNs(CLOCK_BOOTTIME);
  return context;
}

}  // namespace bpfmap
