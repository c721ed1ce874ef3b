// Kernel addresses as symbol+offset, from the text of /proc/kallsyms: what
// stack-trace maps hold is shown as functions, as perf and bpftrace show
// them.
#ifndef BPFMAP_CORE_MODEL_KERNEL_SYMBOLS_H_
#define BPFMAP_CORE_MODEL_KERNEL_SYMBOLS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bpfmap {

class KernelSymbols {
 public:
  // Reads kallsyms text ("ffffffff81000000 T _stext", a module's symbols
  // with " [module]" after). Symbols listed at address 0 (kptr_restrict
  // hides addresses from the unprivileged) are left out.
  static KernelSymbols Parse(std::string_view text);

  // "do_syscall_64+0x5b" for an address inside a known symbol (the one
  // at or below it), "do_syscall_64" at its start; "" if none is known.
  std::string Describe(uint64_t address) const;

  // The address Describe() would name `text` by ("tcp_connect+0x1a",
  // "tcp_connect"); nullopt if no symbol has that name, or several at
  // different addresses do.
  std::optional<uint64_t> AddressOf(std::string_view text) const;

  bool empty() const { return symbols_.empty(); }

 private:
  std::vector<std::pair<uint64_t, std::string>> symbols_;  // by address
};

// One frame of a stack trace: "0xffffffff81234567", and its symbol+offset
// where `symbols` knows it ("" if not, or without symbols).
struct StackFrame {
  std::string address;
  std::string symbol;
};

// The frames of a stack-trace map's value (`size` bytes of u64 addresses,
// ending at the first zero), described by `symbols` (may be null).
std::vector<StackFrame> StackFrames(const uint8_t* value, uint32_t size,
                                    const KernelSymbols* symbols);

}  // namespace bpfmap

#endif  // BPFMAP_CORE_MODEL_KERNEL_SYMBOLS_H_
