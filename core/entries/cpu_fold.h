// Folding a per-CPU value into one: `--cpus sum|min|max`.
#ifndef BPFMAP_CORE_ENTRIES_CPU_FOLD_H_
#define BPFMAP_CORE_ENTRIES_CPU_FOLD_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/bytes.h"
#include "core/entries/entry_pipeline.h"
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

// The pipeline stage for --cpus sum|min|max: each entry's per-CPU values
// folded into one value of `type`, in a buffer it reuses.
class CpuFoldStage : public EntryStage {
 public:
  CpuFoldStage(TypeRef type, const ValueLayout& layout, CpuFold fold)
      : type_(std::move(type)),
        layout_(layout),
        fold_(fold),
        folded_(layout.value_size) {}
  std::optional<EntryView> Apply(const EntryView& entry) override;
  // Says so if a sum over CPUs did not fit its field and was clamped.
  std::string Warning() const override;

 private:
  TypeRef type_;
  ValueLayout layout_;
  CpuFold fold_;
  Bytes folded_;
  bool clamped_ = false;
};

}  // namespace bpfmap

#endif  // BPFMAP_CORE_ENTRIES_CPU_FOLD_H_
