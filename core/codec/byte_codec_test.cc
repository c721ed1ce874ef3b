#include "core/codec/byte_codec.h"

#include <gtest/gtest.h>

namespace bpfmap {
namespace {

Bytes Parse(const std::vector<std::string>& tokens) {
  Result<Bytes> bytes = ParseByteTokens(tokens, "key");
  EXPECT_TRUE(bytes.ok()) << bytes.error().Describe();
  return bytes.ok() ? *bytes : Bytes{};
}

std::string ErrorOf(const std::vector<std::string>& tokens) {
  Result<Bytes> bytes = ParseByteTokens(tokens, "key");
  EXPECT_FALSE(bytes.ok());
  if (bytes.ok()) return "";
  EXPECT_EQ(bytes.error().kind(), ErrorKind::kBadInput);
  return bytes.error().message();
}

TEST(ByteCodecTest, ReadsTokensAsBpftoolDoes) {
  EXPECT_EQ(Parse({"31", "0x1f", "037", "0", "255", "0xFF", "0X0a"}),
            (Bytes{31, 31, 31, 0, 255, 255, 10}));
}

TEST(ByteCodecTest, ReadsHexWithOrWithoutSpaces) {
  EXPECT_EQ(Parse({"hex", "01", "00", "00", "00"}), (Bytes{1, 0, 0, 0}));
  EXPECT_EQ(Parse({"hex", "01000000"}), (Bytes{1, 0, 0, 0}));
  EXPECT_EQ(Parse({"hex", "0a0B", "ff"}), (Bytes{0x0a, 0x0b, 0xff}));
}

TEST(ByteCodecTest, RefusesWhatBpftoolWouldTruncateOrMisread) {
  EXPECT_EQ(ErrorOf({"1", "256"}), "key: byte 2 \"256\" is out of range (0-255)");
  EXPECT_EQ(ErrorOf({"0x100"}), "key: byte 1 \"0x100\" is out of range (0-255)");
  EXPECT_EQ(ErrorOf({"-1"}),
            "key: byte 1 \"-1\" is not a byte (decimal, 0x hex or 0 octal)");
  EXPECT_EQ(ErrorOf({"08"}), "key: byte 1 \"08\" is not an octal byte");
  EXPECT_EQ(ErrorOf({"0xg"}), "key: byte 1 \"0xg\" is not a hex byte");
  EXPECT_EQ(ErrorOf({"0x"}),
            "key: byte 1 \"0x\" is not an octal byte");
  EXPECT_EQ(ErrorOf({""}), "key: byte 1 \"\" is empty");
  EXPECT_EQ(ErrorOf({"99999999999999999999"}),
            "key: byte 1 \"99999999999999999999\" is out of range (0-255)");
  EXPECT_EQ(ErrorOf({}), "key: no bytes given");
  EXPECT_EQ(ErrorOf({"hex"}), "key: 'hex' needs hex digits");
  EXPECT_EQ(ErrorOf({"hex", "012"}),
            "key: hex: odd number of digits (3); each byte takes two");
  EXPECT_EQ(ErrorOf({"hex", "0x01"}), "key: hex: 'x' is not a hex digit");
}

TEST(ByteCodecTest, ChecksTheSize) {
  Result<Bytes> bytes = ParseBytesOfSize({"1", "2"}, 4, "value");
  ASSERT_FALSE(bytes.ok());
  EXPECT_EQ(bytes.error().message(), "value: the map takes 4 bytes, got 2");
  EXPECT_TRUE(ParseBytesOfSize({"hex", "01020304"}, 4, "value").ok());
}

TEST(ByteCodecTest, FormatsHex) {
  Bytes bytes = {0x01, 0xab, 0x00};
  EXPECT_EQ(SpacedHex(bytes.data(), bytes.size()), "01 ab 00");
  EXPECT_EQ(SpacedHex(nullptr, 0), "");
}

}  // namespace
}  // namespace bpfmap
