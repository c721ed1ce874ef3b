// Finding one named type in raw BTF by walking its type records, without
// parsing the rest: a map-element iterator needs the id of one kernel
// function, and libbpf's full parse of vmlinux's 5 MiB of BTF (120,000+
// types, checked and indexed) costs 5-20 ms, more than a small dump takes.
#ifndef BPFMAP_CORE_BTF_BTF_SCAN_H_
#define BPFMAP_CORE_BTF_BTF_SCAN_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "core/base/error.h"

namespace bpfmap {

// The id of the type of `kind` (BTF_KIND_*) named `name` in the raw BTF
// `raw` (its header first, in this machine's byte order); kNo if it has
// none, kBadInput if `raw` is not such BTF or holds a kind this walk does
// not know the size of.
Result<uint32_t> FindTypeInRawBtf(std::string_view raw, uint32_t kind,
                                  std::string_view name);

// FindTypeInRawBtf over /sys/kernel/btf/vmlinux, the running kernel's BTF.
Result<uint32_t> FindVmlinuxType(uint32_t kind, std::string_view name);

}  // namespace bpfmap

#endif  // BPFMAP_CORE_BTF_BTF_SCAN_H_
