// What formatted leaves need beyond their bytes: the clocks (ktime ages)
// and the kernel's symbols (ksym). Taken once per command.
#ifndef BPFMAP_CORE_MODEL_LEAF_CONTEXT_H_
#define BPFMAP_CORE_MODEL_LEAF_CONTEXT_H_

#include <cstdint>
#include <memory>

#include "core/model/kernel_symbols.h"

namespace bpfmap {

struct LeafContext {
  int64_t monotonic_ns = 0;  // CLOCK_MONOTONIC now
  int64_t boottime_ns = 0;   // CLOCK_BOOTTIME now
  std::shared_ptr<const KernelSymbols> symbols;  // null: addresses as hex

  // The clocks read now, no symbols.
  static LeafContext Now();
};

// The context a caller gave, or, if it gave none, the clocks read when
// first asked for (most values have no leaf that needs them).
class LeafContextOrNow {
 public:
  explicit LeafContextOrNow(const LeafContext* given) : given_(given) {}
  const LeafContext& get() {
    if (given_ == nullptr) {
      own_ = LeafContext::Now();
      given_ = &own_;
    }
    return *given_;
  }

 private:
  const LeafContext* given_;
  LeafContext own_;
};

}  // namespace bpfmap

#endif  // BPFMAP_CORE_MODEL_LEAF_CONTEXT_H_
