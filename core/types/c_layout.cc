#include "core/types/c_layout.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/types/type_walk.h"

namespace bpfmap {
namespace {

uint64_t RoundUp(uint64_t value, uint64_t to) {
  return to == 0 ? value : (value + to - 1) / to * to;
}

// Finds the largest scalar: every member counts (padding bitfields too, as
// the layout places them), and an array's element once.
struct LargestScalar : TypeVisitor {
  MemberWalk Member(const Field&, LeafPlace) { return MemberWalk::kWalk; }
  bool EnterArray(const TypeNode& type, LeafPlace place) {
    WalkType(*type.element, place, *this);
    return false;
  }
  void Leaf(const TypeNode& type, LeafPlace) {
    align = std::max(align, std::min<uint32_t>(type.size, 8));
  }
  uint32_t align = 1;
};

}  // namespace

uint32_t AlignOf(const TypeNode& type) {
  LargestScalar largest;
  WalkType(type, LeafPlace{}, largest);
  return largest.align;
}

Status RecordLayout::Place(Field& field) {
  const TypeNode& type = *field.type;
  uint32_t member_align = AlignOf(type);
  align_ = std::max(align_, member_align);
  if (is_union_) {
    max_size_ = std::max<uint64_t>(max_size_, type.size);
  } else if (field.bit_size != 0) {
    uint64_t unit = uint64_t{type.size} * 8;
    if (bit_pos_ / unit != (bit_pos_ + field.bit_size - 1) / unit) {
      bit_pos_ = RoundUp(bit_pos_, unit);
    }
    field.bit_offset = static_cast<uint32_t>(bit_pos_);
    bit_pos_ += field.bit_size;
  } else {
    bit_pos_ = RoundUp(RoundUp(bit_pos_, 8) / 8, member_align) * 8;
    field.bit_offset = static_cast<uint32_t>(bit_pos_);
    bit_pos_ += uint64_t{type.size} * 8;
  }
  if (bit_pos_ / 8 > kMaxTypeSize || max_size_ > kMaxTypeSize) {
    return Error::BadInput(fmt::format("{} is larger than 1 GiB", name_));
  }
  return OkStatus();
}

uint32_t RecordLayout::Size() const {
  uint64_t size = is_union_ ? max_size_ : RoundUp(bit_pos_, 8) / 8;
  return static_cast<uint32_t>(RoundUp(size, align_));
}

}  // namespace bpfmap
