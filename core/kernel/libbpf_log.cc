#include "core/kernel/libbpf_log.h"

#include <bpf/libbpf.h>

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <string>
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
  // Whole, however long: a BTF load log ends with the kernel's reason.
  va_list measure;
  va_copy(measure, args);
  int n = std::vsnprintf(nullptr, 0, format, measure);
  va_end(measure);
  if (n <= 0) return 0;
  std::string line(static_cast<size_t>(n) + 1, '\0');
  std::vsnprintf(line.data(), line.size(), format, args);
  line.resize(static_cast<size_t>(n));
  std::string_view text(line);
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
