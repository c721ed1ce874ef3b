#include "core/types/leaf_formats.h"

#include <gtest/gtest.h>

#include "core/types/c_type.h"

namespace bpfmap {
namespace {

TypeRef Parse(const char* text) {
  Result<TypeRef> type = ParseCType(text, nullptr);
  EXPECT_TRUE(type.ok()) << text << ": "
                         << (type.ok() ? "" : type.error().Describe());
  return type.ok() ? *type : nullptr;
}

const TypeNode& Member(const TypeRef& type, std::string_view name) {
  for (const Field& field : type->fields) {
    if (field.name == name) return *field.type;
  }
  ADD_FAILURE() << "no member " << name;
  return *type;
}

constexpr const char* kTuple =
    "struct ct { __be32 saddr; __be32 daddr; __be16 sport; __be16 dport; "
    "__u8 proto; unsigned char h_source[6]; __u32 src_ip6[4]; __u32 ifindex; "
    "__u64 last_seen; }";

TEST(LeafFormatsTest, DefaultsFitRealMaps) {
  MapTypes types{Parse(kTuple), Parse("struct v { __u64 packets; }")};
  std::vector<std::string> explained;
  Result<MapTypes> formatted = ApplyFormats(types, FormatSpec{}, &explained);
  ASSERT_TRUE(formatted.ok()) << formatted.error().Describe();
  const TypeRef& key = formatted->key;
  EXPECT_EQ(Member(key, "saddr").format, LeafFormat::kIpv4);
  EXPECT_EQ(Member(key, "daddr").format, LeafFormat::kIpv4);
  EXPECT_EQ(Member(key, "sport").format, LeafFormat::kNone);
  EXPECT_TRUE(Member(key, "sport").big_endian);
  EXPECT_EQ(Member(key, "h_source").format, LeafFormat::kMac);
  EXPECT_EQ(Member(key, "src_ip6").format, LeafFormat::kIpv6);
  EXPECT_EQ(Member(key, "ifindex").format, LeafFormat::kNone);
  EXPECT_EQ(Member(key, "last_seen").format, LeafFormat::kNone);
  // The value had nothing to format: the same tree.
  EXPECT_EQ(formatted->value, types.value);
  EXPECT_NE(std::find(explained.begin(), explained.end(),
                      "key.saddr: ipv4 (default: __be32 named saddr)"),
            explained.end());
  EXPECT_NE(std::find(explained.begin(), explained.end(),
                      "key.dport: network byte order (__be16)"),
            explained.end());
  // The type given is left as it was.
  EXPECT_EQ(Member(types.key, "saddr").format, LeafFormat::kNone);
}

TEST(LeafFormatsTest, TextAndSignedFieldsAreNoAddresses) {
  // char ip[16] holds "10.0.0.1" as text; s32 addr a number.
  Result<MapTypes> formatted = ApplyFormats(
      {Parse("struct k { char ip[16]; __s32 addr; __s8 saddr[4]; }"), nullptr},
      FormatSpec{});
  ASSERT_TRUE(formatted.ok());
  EXPECT_EQ(Member(formatted->key, "ip").format, LeafFormat::kNone);
  EXPECT_EQ(Member(formatted->key, "addr").format, LeafFormat::kNone);
  EXPECT_EQ(Member(formatted->key, "saddr").format, LeafFormat::kNone);
}

TEST(LeafFormatsTest, ARequestInsideADefaultedFieldWins) {
  Result<FormatSpec> spec = ParseFormatSpec("key.src.words=hex");
  ASSERT_TRUE(spec.ok());
  Result<MapTypes> formatted = ApplyFormats(
      {Parse("struct k { struct in6_addr { __u32 words[4]; } src; }"),
       nullptr},
      *spec);
  ASSERT_TRUE(formatted.ok()) << formatted.error().Describe();
  const TypeNode& src = Member(formatted->key, "src");
  EXPECT_EQ(src.format, LeafFormat::kNone);
  EXPECT_EQ(src.fields[0].type->element->format, LeafFormat::kHex);
}

TEST(LeafFormatsTest, RequestsOverrideDefaults) {
  Result<FormatSpec> spec =
      ParseFormatSpec("key.saddr=dec,dport=raw,last_seen=ktime,proto=hex");
  ASSERT_TRUE(spec.ok()) << spec.error().Describe();
  Result<MapTypes> formatted = ApplyFormats({Parse(kTuple), nullptr}, *spec);
  ASSERT_TRUE(formatted.ok()) << formatted.error().Describe();
  EXPECT_EQ(Member(formatted->key, "saddr").format, LeafFormat::kDec);
  EXPECT_EQ(Member(formatted->key, "dport").format, LeafFormat::kRaw);
  EXPECT_EQ(Member(formatted->key, "last_seen").format, LeafFormat::kKtime);
  EXPECT_EQ(Member(formatted->key, "proto").format, LeafFormat::kHex);
  EXPECT_EQ(Member(formatted->key, "daddr").format, LeafFormat::kIpv4);
}

TEST(LeafFormatsTest, NoneTurnsDefaultsOff) {
  Result<FormatSpec> spec = ParseFormatSpec("none");
  ASSERT_TRUE(spec.ok());
  Result<MapTypes> formatted = ApplyFormats({Parse(kTuple), nullptr}, *spec);
  ASSERT_TRUE(formatted.ok());
  EXPECT_EQ(Member(formatted->key, "saddr").format, LeafFormat::kNone);
  EXPECT_TRUE(Member(formatted->key, "dport").big_endian);
}

TEST(LeafFormatsTest, IpBySizeAndNumberFormatsOverStructs) {
  Result<FormatSpec> spec = ParseFormatSpec("a=ip,b=ip,value=hex");
  ASSERT_TRUE(spec.ok());
  Result<MapTypes> formatted = ApplyFormats(
      {Parse("struct k { __u32 a; unsigned char b[16]; }"),
       Parse("struct v { __u64 x; __u32 y[2]; }")},
      *spec);
  ASSERT_TRUE(formatted.ok()) << formatted.error().Describe();
  EXPECT_EQ(Member(formatted->key, "a").format, LeafFormat::kIpv4);
  EXPECT_EQ(Member(formatted->key, "b").format, LeafFormat::kIpv6);
  EXPECT_EQ(Member(formatted->value, "x").format, LeafFormat::kHex);
  EXPECT_EQ(Member(formatted->value, "y").element->format, LeafFormat::kHex);
}

TEST(LeafFormatsTest, ErrorsNameTheField) {
  MapTypes types{Parse(kTuple), Parse("struct v { __u64 saddr; }")};
  auto error = [&](const char* text) {
    Result<FormatSpec> spec = ParseFormatSpec(text);
    if (!spec.ok()) return spec.error().message();
    Result<MapTypes> formatted = ApplyFormats(types, *spec);
    return formatted.ok() ? std::string("ok") : formatted.error().message();
  };
  EXPECT_EQ(error("sport=ipv4"),
            "--fmt: key.sport: ipv4 takes 4 bytes; __be16 is 2 bytes");
  EXPECT_EQ(error("saddr=ip"),
            "--fmt: saddr names key.saddr and value.saddr; give one of them");
  EXPECT_EQ(error("key.nope=hex").substr(0, 42),
            "--fmt: no field key.nope (fields: key, key");
  EXPECT_EQ(error("key.proto=color"),
            "--fmt: key.proto=color: no format color (formats: ipv4, ipv6, "
            "ip, mac, port, hex, dec, char, str, bool, ns, us, ms, ktime, "
            "ktime_boot, ksym, errno, raw)");
  EXPECT_EQ(error("saddr"),
            "--fmt: 'saddr' is not FIELD=KIND (e.g. key.saddr=ipv4) or none");
  EXPECT_EQ(error("key.proto=port"),
            "--fmt: key.proto: port takes a 2-byte integer; __u8 is 1 byte");
}

}  // namespace
}  // namespace bpfmap
