#include "core/base/error.h"

#include <gtest/gtest.h>

#include <cerrno>

namespace bpfmap {
namespace {

Result<int> Half(int n) {
  if (n % 2 != 0) return Error::BadInput("odd");
  return n / 2;
}

Result<int> Quarter(int n) {
  BPFMAP_ASSIGN_OR_RETURN(int half, Half(n));
  BPFMAP_ASSIGN_OR_RETURN(int quarter, Half(half));
  return quarter;
}

TEST(ErrorTest, DescribeAddsErrnoTextAndHints) {
  EXPECT_EQ(Error::System(ENOENT, "open x").Describe(),
            "open x: No such file or directory");
  EXPECT_EQ(Error::System(EPERM, "create").Describe(),
            "create: Operation not permitted (needs root or CAP_BPF)");
  EXPECT_EQ(Error::System(EINVAL, "create").WithHint("sizes").Describe(),
            "create: Invalid argument (sizes)");
  EXPECT_EQ(Error::BadInput("bad").Describe(), "bad");
  EXPECT_EQ(Error::System(kErrNotSupported, "freeze").Describe(),
            "freeze: Operation not supported");
}

TEST(ErrorTest, ContextPrefixesAndKeepsKindAndErrno) {
  Error error = Error::System(ENOENT, "lookup").WithContext("map 3");
  EXPECT_EQ(error.message(), "map 3: lookup");
  EXPECT_EQ(error.kind(), ErrorKind::kSystem);
  EXPECT_EQ(error.errno_value(), ENOENT);
}

TEST(ErrorTest, MacrosPropagate) {
  EXPECT_EQ(*Quarter(8), 2);
  Result<int> odd = Quarter(6);
  ASSERT_FALSE(odd.ok());
  EXPECT_EQ(odd.error().kind(), ErrorKind::kBadInput);
  EXPECT_FALSE(Status(Error::No("x")).ok());
  EXPECT_TRUE(OkStatus().ok());
}

TEST(ErrorTest, OneLineEscapesWhatWouldBreakTheLine) {
  EXPECT_EQ(OneLine("no field a\nb\tc\x01 ok"), "no field a\\nb\\tc\\x01 ok");
  EXPECT_EQ(OneLine("plain \xc3\xa9"), "plain \xc3\xa9");
}

}  // namespace
}  // namespace bpfmap
