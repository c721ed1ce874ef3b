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
    // Text stays CPU 0's, formatted or not.
    return type.element->kind != TypeKind::kChar;
  }
  void Leaf(const TypeNode& type, LeafPlace place) {
    if (!IsScalar(type) || IsIdentity(type.format)) {
      // An address, a MAC, text, a symbol, an errno: nothing to add up;
      // `out_` keeps CPU 0's.
      return;
    }
    if (type.size == 16 && !type.is_signed && place.bit_size == 0) {
      FoldWide(type, place);
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
        [is_bool](Int128 a, Int128 b) {
          if (is_bool) return a | b;
          Int128 sum;  // past Int128 only for 128-bit leaves: clamped below
          if (__builtin_add_overflow(a, b, &sum)) {
            Int128 max = static_cast<Int128>(~static_cast<Uint128>(0) >> 1);
            return b > 0 ? max : -max - 1;
          }
          return sum;
        });
    IntegerRange range = RangeOf(type, place);
    if (result > range.max || result < range.min) {
      clamped_ = true;
      result = result > range.max ? range.max : range.min;
    }
    WriteInteger(type, out_, place, result);
  }

  // What a field holds when it names something rather than counts it.
  static bool IsIdentity(LeafFormat format) {
    switch (format) {
      case LeafFormat::kIpv4:
      case LeafFormat::kIpv6:
      case LeafFormat::kMac:
      case LeafFormat::kPort:
      case LeafFormat::kStr:
      case LeafFormat::kKsym:
      case LeafFormat::kErrno:
        return true;
      default:
        return false;
    }
  }

  // An unsigned 128-bit leaf, whose sum Int128 cannot hold: added in
  // Uint128, clamped at its largest value.
  void FoldWide(const TypeNode& type, LeafPlace place) {
    Uint128 result = FoldCpus<Uint128>(
        [&](const uint8_t* cpu) { return ReadBits(type, cpu, place); },
        [this](Uint128 a, Uint128 b) {
          Uint128 sum;
          if (__builtin_add_overflow(a, b, &sum)) {
            clamped_ = true;
            return ~static_cast<Uint128>(0);
          }
          return sum;
        });
    WriteBits(type, out_, place, result);
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
