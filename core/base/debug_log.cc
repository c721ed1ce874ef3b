#include "core/base/debug_log.h"

namespace bpfmap {
namespace {

DebugLogSink& Sink() {
  static DebugLogSink sink;
  return sink;
}

}  // namespace

void SetDebugLogSink(DebugLogSink sink) { Sink() = std::move(sink); }

bool DebugLogEnabled() { return static_cast<bool>(Sink()); }

void LogDebug(std::string_view line) {
  if (Sink()) Sink()(line);
}

}  // namespace bpfmap
