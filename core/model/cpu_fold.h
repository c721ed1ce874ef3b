// Folding a per-CPU value into one: `--cpus sum|min|max`.
#ifndef BPFMAP_CORE_MODEL_CPU_FOLD_H_
#define BPFMAP_CORE_MODEL_CPU_FOLD_H_

#include <optional>
#include <string_view>
#include <vector>

#include "core/base/bytes.h"
#include "core/model/map_entry.h"
#include "core/types/type_node.h"

namespace bpfmap {

enum class CpuFold { kEach, kSum, kMin, kMax };

// The fold called `name` ("each", "sum", "min", "max"), if any.
std::optional<CpuFold> ParseCpuFold(std::string_view name);

// Every fold's name, in the order help lists them.
const std::vector<std::string_view>& CpuFoldNames();

// One value of `type` from the per-CPU `buffer` laid out as `layout` says.
// Integer-like and float leaves are summed, or their least or greatest
// taken; a bool sums to "any" and mins to "all"; char arrays and unions come
// from CPU 0. A sum that overflows its leaf is clamped to the leaf's range,
// and `*clamped` is set.
Bytes FoldCpuValues(const TypeNode& type, const ValueLayout& layout,
                    const Bytes& buffer, CpuFold fold, bool* clamped);

// The same into `out` (layout.value_size bytes), without allocating; returns
// whether a sum was clamped.
bool FoldCpuValuesInto(const TypeNode& type, const ValueLayout& layout,
                       const uint8_t* buffer, CpuFold fold, uint8_t* out);

}  // namespace bpfmap

#endif  // BPFMAP_CORE_MODEL_CPU_FOLD_H_
