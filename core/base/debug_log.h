// Debug messages from core (and libbpf, through core/kernel/libbpf_log.h),
// routed to a sink that cli/ sets for --debug; core itself never prints.
#ifndef BPFMAP_CORE_BASE_DEBUG_LOG_H_
#define BPFMAP_CORE_BASE_DEBUG_LOG_H_

#include <functional>
#include <string_view>

namespace bpfmap {

using DebugLogSink = std::function<void(std::string_view line)>;

// Sets where debug lines go (nullptr: nowhere).
void SetDebugLogSink(DebugLogSink sink);

// True if a sink is set, so callers can skip building messages.
bool DebugLogEnabled();

// Sends one line to the sink, if any.
void LogDebug(std::string_view line);

}  // namespace bpfmap

#endif  // BPFMAP_CORE_BASE_DEBUG_LOG_H_
