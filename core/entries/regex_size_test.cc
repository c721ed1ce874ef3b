#include "core/entries/regex_size.h"

#include <gtest/gtest.h>

#include <string>

namespace bpfmap {
namespace {

TEST(RegexSizeTest, PlainPatternsCountTheirAtoms) {
  EXPECT_EQ(RegexPositions(""), 0u);
  EXPECT_EQ(RegexPositions("curl"), 4u);
  EXPECT_EQ(RegexPositions("^c(url|wget)$"), 10u);
  EXPECT_EQ(RegexPositions("[]a-z]x"), 2u);
  EXPECT_EQ(RegexPositions("[^[:alpha:]]"), 1u);
  EXPECT_EQ(RegexPositions("\\.a*b+c?"), 5u);
  EXPECT_EQ(RegexPositions("a)b"), 3u);
}

TEST(RegexSizeTest, BoundedRepeatsAreWrittenOut) {
  EXPECT_EQ(RegexPositions("a{1,1000}"), 1000u);
  EXPECT_EQ(RegexPositions("a{5,}"), 6u);
  EXPECT_EQ(RegexPositions("a{,32767}"), 32767u);
  EXPECT_EQ(RegexPositions("a{,}"), 1u);
  EXPECT_EQ(RegexPositions("(ab){3}{4}"), 24u);
  EXPECT_EQ(RegexPositions("((a|b){1,16}){1,16}"), 512u);
  EXPECT_EQ(RegexPositions("[0-9]{1,3}(\\.[0-9]{1,3}){3}"), 15u);
  EXPECT_EQ(RegexPositions("a{x}"), 4u);
  EXPECT_EQ(RegexPositions("a?++++"), 16u);
  EXPECT_EQ(RegexPositions("(a+)+(b*)*"), 5u);
}

TEST(RegexSizeTest, HugeOrMalformedPatternsSaturate) {
  EXPECT_EQ(RegexPositions("a{99999999999999999999}"), uint64_t{1} << 32);
  EXPECT_EQ(RegexPositions("((a{10000}){10000}){10000}"), uint64_t{1} << 32);
  EXPECT_EQ(RegexPositions(std::string(2000, '(') + "a{9}"), uint64_t{1} << 32);
  EXPECT_EQ(RegexPositions("(a{1,10"), 10u);
  EXPECT_EQ(RegexPositions("[a"), 1u);
}

}  // namespace
}  // namespace bpfmap
