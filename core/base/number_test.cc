#include "core/base/number.h"

#include <gtest/gtest.h>

namespace bpfmap {
namespace {

TEST(NumberTest, DecimalAndHex) {
  EXPECT_EQ(ParseUint32("0"), 0u);
  EXPECT_EQ(ParseUint32("4294967295"), 4294967295u);
  EXPECT_EQ(ParseUint32("0x10"), 16u);
  EXPECT_EQ(ParseUint32("0XfF"), 255u);
  EXPECT_EQ(ParseUint32("010"), 10u);  // decimal, unlike byte tokens
}

TEST(NumberTest, RefusesEverythingElse) {
  for (const char* text : {"", "0x", "-1", "+1", "4294967296", "12ab", " 1",
                           "1 ", "0x1g", "0x-1"}) {
    EXPECT_FALSE(ParseUint32(text).has_value()) << "'" << text << "'";
  }
  Result<uint32_t> bad = ParseUint32Arg("four", "entries");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind(), ErrorKind::kBadInput);
  EXPECT_EQ(bad.error().message(),
            "entries: 'four' is not a number from 0 to 4294967295");
}

}  // namespace
}  // namespace bpfmap
