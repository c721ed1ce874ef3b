#include "core/entries/cpu_fold.h"

#include <gtest/gtest.h>

#include "core/types/c_type.h"

namespace bpfmap {
namespace {

TEST(CpuFoldTest, FoldsEveryLeaf) {
  TypeRef type = *ParseCType(
      "struct { u8 small; s8 delta; bool seen; char name[2]; }", nullptr);
  ValueLayout layout{5, 3, 8, true};
  Bytes buffer(24, 0);
  auto set = [&](uint32_t cpu, Bytes value) {
    std::copy(value.begin(), value.end(), buffer.begin() + 8 * cpu);
  };
  set(0, {200, 0xfe, 0, 'a', 0});  // delta -2
  set(1, {100, 5, 1, 'b', 0});
  set(2, {1, 1, 0, 'c', 0});
  bool clamped = false;
  EXPECT_EQ(FoldCpuValues(*type, layout, buffer, CpuFold::kSum, &clamped),
            (Bytes{255, 4, 1, 'a', 0}));
  EXPECT_TRUE(clamped);  // 301 does not fit in a u8
  EXPECT_EQ(FoldCpuValues(*type, layout, buffer, CpuFold::kMin, &clamped),
            (Bytes{1, 0xfe, 0, 'a', 0}));
  EXPECT_FALSE(clamped);
  EXPECT_EQ(FoldCpuValues(*type, layout, buffer, CpuFold::kMax, &clamped),
            (Bytes{200, 5, 1, 'a', 0}));
}

TEST(CpuFoldTest, NamesRoundTrip) {
  for (std::string_view name : CpuFoldNames()) {
    ASSERT_TRUE(ParseCpuFold(name).has_value()) << name;
  }
  EXPECT_FALSE(ParseCpuFold("avg").has_value());
}

}  // namespace
}  // namespace bpfmap
