#include "core/types/c_layout.h"

#include <fmt/format.h>

#include <algorithm>

namespace bpfmap {
namespace {

uint64_t RoundUp(uint64_t value, uint64_t to) {
  return to == 0 ? value : (value + to - 1) / to * to;
}

}  // namespace

uint32_t AlignOf(const TypeNode& type) {
  switch (type.kind) {
    case TypeKind::kArray:
      return AlignOf(*type.element);
    case TypeKind::kStruct:
    case TypeKind::kUnion: {
      uint32_t align = 1;
      for (const Field& field : type.fields) {
        align = std::max(align, AlignOf(*field.type));
      }
      return align;
    }
    default:
      return std::max<uint32_t>(1, std::min<uint32_t>(type.size, 8));
  }
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
