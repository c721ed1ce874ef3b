// The kernel's symbols, read from /proc/kallsyms for showing stack traces.
#ifndef BPFMAP_CORE_KERNEL_KALLSYMS_H_
#define BPFMAP_CORE_KERNEL_KALLSYMS_H_

#include <memory>

#include "core/base/error.h"
#include "core/model/kernel_symbols.h"

namespace bpfmap {

// The symbols of the running kernel and its modules. kSystem if
// /proc/kallsyms cannot be read; an empty table if it hides addresses
// (kptr_restrict, or no CAP_SYSLOG).
Result<std::shared_ptr<const KernelSymbols>> ReadKernelSymbols();

}  // namespace bpfmap

#endif  // BPFMAP_CORE_KERNEL_KALLSYMS_H_
