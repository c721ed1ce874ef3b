#include "core/entries/cpu_fold.h"

#include <algorithm>
#include <cstring>

#include "core/types/type_walk.h"
#include "core/types/typed_scalar.h"

namespace bpfmap {
namespace {

// Folds leaf by leaf into `out`, which starts as CPU 0's value: unions and
// char arrays keep CPU 0's bytes.
class Folder : public TypeVisitor {
 public:
  Folder(const ValueLayout& layout, const uint8_t* buffer, CpuFold fold,
         uint8_t* out)
      : layout_(layout), buffer_(buffer), fold_(fold), out_(out) {}

  bool EnterRecord(const TypeNode& type, LeafPlace) {
    return type.kind == TypeKind::kStruct;
  }
  MemberWalk Member(const Field& field, LeafPlace) {
    // Not even spliced: a union's members overlap.
    if (field.type->kind == TypeKind::kUnion) return MemberWalk::kSkip;
    return CMemberWalk(field);
  }
  bool EnterArray(const TypeNode& type, LeafPlace) {
    return !IsCharArray(type);
  }
  void Leaf(const TypeNode& type, LeafPlace place) {
    if (!IsScalar(type)) {
      // An address, a MAC or text (a formatted array or record): nothing
      // to add up; CPU 0's.
      std::memcpy(out_ + place.bit_offset / 8, Cpu(0) + place.bit_offset / 8,
                  type.size);
      return;
    }
    if (type.kind == TypeKind::kFloat) {
      FoldFloat(type, place);
    } else {
      FoldInteger(type, place);
    }
  }

  bool clamped() const { return clamped_; }

 private:
  const uint8_t* Cpu(uint32_t cpu) const {
    return layout_.value_of(buffer_, cpu);
  }

  // The leaf `read` reads, folded over every CPU; `add` sums two values.
  template <typename T, typename Read, typename Add>
  T FoldCpus(Read read, Add add) const {
    T result = read(Cpu(0));
    for (uint32_t cpu = 1; cpu < layout_.cpus; ++cpu) {
      T value = read(Cpu(cpu));
      switch (fold_) {
        case CpuFold::kSum:
          result = add(result, value);
          break;
        case CpuFold::kMin:
          result = std::min(result, value);
          break;
        case CpuFold::kMax:
        case CpuFold::kEach:
          result = std::max(result, value);
          break;
      }
    }
    return result;
  }

  void FoldInteger(const TypeNode& type, LeafPlace place) {
    bool is_bool = type.kind == TypeKind::kBool;
    Int128 result = FoldCpus<Int128>(
        [&](const uint8_t* cpu) { return ReadInteger(type, cpu, place); },
        [is_bool](Int128 a, Int128 b) { return is_bool ? (a | b) : a + b; });
    IntegerRange range = RangeOf(type, place);
    if (result > range.max || result < range.min) {
      clamped_ = true;
      result = result > range.max ? range.max : range.min;
    }
    WriteInteger(type, out_, place, result);
  }

  void FoldFloat(const TypeNode& type, LeafPlace place) {
    double result = FoldCpus<double>(
        [&](const uint8_t* cpu) { return ReadFloat(type, cpu, place); },
        [](double a, double b) { return a + b; });
    WriteFloat(type, out_, place, result);
  }

  const ValueLayout& layout_;
  const uint8_t* buffer_;
  CpuFold fold_;
  uint8_t* out_;
  bool clamped_ = false;
};

}  // namespace

std::optional<CpuFold> ParseCpuFold(std::string_view name) {
  if (name == "each") return CpuFold::kEach;
  if (name == "sum") return CpuFold::kSum;
  if (name == "min") return CpuFold::kMin;
  if (name == "max") return CpuFold::kMax;
  return std::nullopt;
}

const std::vector<std::string_view>& CpuFoldNames() {
  static const std::vector<std::string_view> names = {"each", "sum", "min",
                                                      "max"};
  return names;
}

bool FoldCpuValuesInto(const TypeNode& type, const ValueLayout& layout,
                       const uint8_t* buffer, CpuFold fold, uint8_t* out) {
  std::memcpy(out, layout.value_of(buffer, 0), layout.value_size);
  Folder folder(layout, buffer, fold, out);
  WalkType(type, LeafPlace{}, folder);
  return folder.clamped();
}

Bytes FoldCpuValues(const TypeNode& type, const ValueLayout& layout,
                    const Bytes& buffer, CpuFold fold, bool* clamped) {
  Bytes out(layout.value_size, 0);
  bool was_clamped =
      FoldCpuValuesInto(type, layout, buffer.data(), fold, out.data());
  if (clamped != nullptr) *clamped = was_clamped;
  return out;
}

std::optional<EntryView> CpuFoldStage::Apply(const EntryView& entry) {
  if (FoldCpuValuesInto(*type_, layout_, entry.value, fold_, folded_.data())) {
    clamped_ = true;
  }
  EntryView folded = entry;
  folded.value = folded_.data();
  return folded;
}

std::string CpuFoldStage::Warning() const {
  return clamped_ ? "a sum over CPUs did not fit its field; clamped" : "";
}

}  // namespace bpfmap
