#include "core/base/debug_log.h"

#include <bpf/libbpf.h>

#include <cstdarg>
#include <cstdio>
#include <string>

namespace bpfmap {
namespace {

DebugLogSink& Sink() {
  static DebugLogSink sink;
  return sink;
}

int ForwardLibbpfLog(enum libbpf_print_level, const char* format,
                     va_list args) {
  if (!Sink()) return 0;
  char line[1024];
  int n = std::vsnprintf(line, sizeof(line), format, args);
  std::string_view text(line, n < 0 ? 0 : std::min<size_t>(n, sizeof(line) - 1));
  while (!text.empty() && text.back() == '\n') text.remove_suffix(1);
  std::string prefixed = "libbpf: ";
  prefixed += text;
  Sink()(prefixed);
  return n;
}

}  // namespace

void SetDebugLogSink(DebugLogSink sink) {
  Sink() = std::move(sink);
  libbpf_set_print(ForwardLibbpfLog);
}

bool DebugLogEnabled() { return static_cast<bool>(Sink()); }

void LogDebug(std::string_view line) {
  if (Sink()) Sink()(line);
}

}  // namespace bpfmap
