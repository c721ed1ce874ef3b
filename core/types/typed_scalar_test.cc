#include "core/types/typed_scalar.h"

#include <gtest/gtest.h>

namespace bpfmap {
namespace {

TypeNode Int(uint32_t size, bool is_signed) {
  TypeNode node;
  node.kind = TypeKind::kInt;
  node.size = size;
  node.is_signed = is_signed;
  return node;
}

TEST(TypedScalarTest, ReadsAndWritesBitfieldsAcrossBytes) {
  uint8_t data[4] = {0xff, 0xff, 0xff, 0xff};
  TypeNode u16 = Int(2, false);
  LeafPlace place{6, 5};  // bits 6..10
  WriteInteger(u16, data, place, 0);
  EXPECT_EQ(data[0], 0x3f);
  EXPECT_EQ(data[1], 0xf8);
  WriteInteger(u16, data, place, 0x15);
  EXPECT_EQ(ReadInteger(u16, data, place), 0x15);
  TypeNode s16 = Int(2, true);
  WriteInteger(s16, data, place, -3);
  EXPECT_EQ(ReadInteger(s16, data, place), -3);
  EXPECT_EQ(data[2], 0xff);  // neighbours untouched
}

TEST(TypedScalarTest, RangesAndNames) {
  IntegerRange s8 = RangeOf(Int(1, true), {});
  EXPECT_EQ(s8.min, -128);
  EXPECT_EQ(s8.max, 127);
  IntegerRange u64 = RangeOf(Int(8, false), {});
  EXPECT_EQ(u64.max, static_cast<Int128>(UINT64_MAX));
  IntegerRange bits = RangeOf(Int(4, true), {0, 4});
  EXPECT_EQ(bits.min, -8);
  EXPECT_EQ(bits.max, 7);
  EXPECT_EQ(LeafTypeName(Int(4, false), {}), "u32");
  EXPECT_EQ(LeafTypeName(Int(4, true), {0, 4}), "4-bit signed bitfield");
}

TEST(TypedScalarTest, ReadsSignedAndUnsigned64BitValues) {
  uint8_t data[8];
  std::fill(data, data + 8, 0xff);
  EXPECT_EQ(ReadInteger(Int(8, false), data, {}),
            static_cast<Int128>(UINT64_MAX));
  EXPECT_EQ(ReadInteger(Int(8, true), data, {}), -1);
}

}  // namespace
}  // namespace bpfmap
