// Where C puts a struct's or union's members (the x86-64 and BPF ABI):
// offsets, bitfields, alignment and size. The C type parser describes the
// members; this lays them out.
#ifndef BPFMAP_CORE_TYPES_C_LAYOUT_H_
#define BPFMAP_CORE_TYPES_C_LAYOUT_H_

#include <cstdint>
#include <string>

#include "core/base/error.h"
#include "core/types/type_node.h"

namespace bpfmap {

// Records larger than this are refused.
inline constexpr uint64_t kMaxTypeSize = uint64_t{1} << 30;

// The alignment C gives `type`: its largest scalar's size, at most 8.
uint32_t AlignOf(const TypeNode& type);

// Lays out one struct or union, member by member.
class RecordLayout {
 public:
  // `name` ("struct flow") is for error messages.
  RecordLayout(bool is_union, std::string name)
      : is_union_(is_union), name_(std::move(name)) {}

  // Sets `field`'s bit_offset (its type and bit_size are set): after the
  // member before it, aligned, a bitfield in the storage unit of its type
  // unless it would straddle one. kBadInput if the record passes 1 GiB.
  Status Place(Field& field);

  // The record's size in bytes, rounded up to its alignment.
  uint32_t Size() const;

 private:
  bool is_union_;
  std::string name_;
  uint64_t bit_pos_ = 0;   // the next free bit (structs)
  uint64_t max_size_ = 0;  // the largest member (unions)
  uint32_t align_ = 1;
};

}  // namespace bpfmap

#endif  // BPFMAP_CORE_TYPES_C_LAYOUT_H_
