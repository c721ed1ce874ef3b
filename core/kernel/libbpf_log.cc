#include "core/kernel/libbpf_log.h"

#include <bpf/libbpf.h>

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <string_view>

#include "core/base/debug_log.h"

namespace bpfmap::kernel {
namespace {

std::string& LastWarning() {
  static std::string last;
  return last;
}

int ForwardLibbpfLog(enum libbpf_print_level level, const char* format,
                     va_list args) {
  char line[1024];
  int n = std::vsnprintf(line, sizeof(line), format, args);
  std::string_view text(line,
                        n < 0 ? 0 : std::min<size_t>(n, sizeof(line) - 1));
  while (!text.empty() && text.back() == '\n') text.remove_suffix(1);
  if (text.empty()) return 0;
  if (level == LIBBPF_WARN) LastWarning().assign(text);
  if (DebugLogEnabled()) {
    std::string prefixed = "libbpf: ";
    prefixed += text;
    LogDebug(prefixed);
  }
  return n;
}

}  // namespace

void RouteLibbpfLog() { libbpf_set_print(ForwardLibbpfLog); }

std::string TakeLibbpfWarning() {
  std::string last;
  last.swap(LastWarning());
  return last;
}

}  // namespace bpfmap::kernel
