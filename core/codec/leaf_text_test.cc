#include "core/codec/leaf_text.h"

#include <gtest/gtest.h>

#include <cstring>
#include <memory>

#include "core/base/bytes.h"
#include "core/types/c_type.h"

namespace bpfmap {
namespace {

// A type of `c_type` with `format`.
TypeNode Formatted(const char* c_type, LeafFormat format) {
  Result<TypeRef> type = ParseCType(c_type, nullptr);
  EXPECT_TRUE(type.ok()) << c_type;
  TypeNode node = **type;
  node.format = format;
  return node;
}

Literal Str(const std::string& text) {
  Literal literal;
  literal.kind = Literal::Kind::kString;
  literal.text = text;
  return literal;
}

Literal Num(const std::string& text) {
  Literal literal;
  literal.kind = Literal::Kind::kNumber;
  literal.text = text;
  return literal;
}

LeafContext Context() {
  LeafContext context;
  context.monotonic_ns = 100'000'000'000;  // 100 s
  context.boottime_ns = 200'000'000'000;
  context.symbols = std::make_shared<KernelSymbols>(KernelSymbols::Parse(
      "ffffffff81000000 T _stext\nffffffff81001000 T tcp_connect\n"));
  return context;
}

// Shows `bytes` as `type` and reads the shown text back: the same bytes.
std::string RoundTrip(const TypeNode& type, const Bytes& bytes,
                      bool for_json = false) {
  LeafContext context = Context();
  LeafText shown = FormatLeaf(type, bytes.data(), LeafPlace{}, context,
                              for_json);
  Result<Literal> literal =
      shown.json == LeafText::Json::kString ? Result<Literal>(Str(shown.text))
                                            : ParseLiteral(shown.text);
  EXPECT_TRUE(literal.ok()) << shown.text;
  if (!literal.ok()) return shown.text;
  Bytes back(bytes.size(), 0);
  Status status = EncodeFormattedLeaf(type, *literal, "value", back.data(),
                                      LeafPlace{}, context);
  EXPECT_TRUE(status.ok()) << shown.text << ": " << status.error().Describe();
  EXPECT_EQ(back, bytes) << shown.text;
  return shown.text;
}

TEST(LeafTextTest, AddressesShowAndReadBack) {
  EXPECT_EQ(RoundTrip(Formatted("__be32", LeafFormat::kIpv4),
                      {10, 0, 0, 1}),
            "10.0.0.1");
  EXPECT_EQ(RoundTrip(Formatted("unsigned char[4]", LeafFormat::kIpv4),
                      {192, 168, 1, 254}),
            "192.168.1.254");
  Bytes v6(16, 0);
  v6[0] = 0xfe;
  v6[1] = 0x80;
  v6[15] = 1;
  EXPECT_EQ(RoundTrip(Formatted("__u32[4]", LeafFormat::kIpv6), v6),
            "fe80::1");
  EXPECT_EQ(RoundTrip(Formatted("unsigned __int128", LeafFormat::kIpv6), v6),
            "fe80::1");
  EXPECT_EQ(RoundTrip(Formatted("unsigned char[6]", LeafFormat::kMac),
                      {0xaa, 0xbb, 0xcc, 0x01, 0x02, 0x03}),
            "aa:bb:cc:01:02:03");
}

TEST(LeafTextTest, MacsInTheFormsToolsPrint) {
  TypeNode mac = Formatted("unsigned char[6]", LeafFormat::kMac);
  Bytes want = {0xaa, 0xbb, 0x0c, 0xdd, 0xee, 0x0f};
  for (const char* text : {"aa:bb:0c:dd:ee:0f", "AA-BB-0C-DD-EE-0F",
                           "aa:bb:c:dd:ee:f", "aabb.0cdd.ee0f",
                           "aabb0cddee0f"}) {
    Bytes out(6, 0);
    ASSERT_TRUE(EncodeFormattedLeaf(mac, Str(text), "key.mac", out.data(),
                                    LeafPlace{}, Context())
                    .ok())
        << text;
    EXPECT_EQ(out, want) << text;
  }
  for (const char* text : {"aa:bb:cc:dd:ee", "aa:bb:cc:dd:ee:ff:00",
                           "aabb.ccdd", "aabbccddeef", "aa:bb:cc:dd:ee:fg",
                           "aa:bb:ccc:dd:ee:ff"}) {
    Bytes out(6, 0);
    EXPECT_FALSE(EncodeFormattedLeaf(mac, Str(text), "key.mac", out.data(),
                                     LeafPlace{}, Context())
                     .ok())
        << text;
  }
}

TEST(LeafTextTest, DurationsInTheFieldsUnit) {
  TypeNode us = Formatted("__u32", LeafFormat::kUs);
  EXPECT_EQ(RoundTrip(us, {0xdc, 0x05, 0, 0}), "1.5ms");  // 1500 us
  Bytes out(4, 0);
  ASSERT_TRUE(EncodeFormattedLeaf(us, Num("1500"), "value.lat", out.data(),
                                  LeafPlace{}, Context())
                  .ok());
  EXPECT_EQ(out, (Bytes{0xdc, 0x05, 0, 0}));
  Status fine = EncodeFormattedLeaf(us, Str("1500ns"), "value.lat",
                                    out.data(), LeafPlace{}, Context());
  ASSERT_FALSE(fine.ok());
  EXPECT_EQ(fine.error().message(),
            "value.lat: \"1500ns\" is not a whole number of us");
  EXPECT_EQ(RoundTrip(Formatted("__u64", LeafFormat::kMs),
                      {0x10, 0x0e, 0, 0, 0, 0, 0, 0}),
            "3.6s");
}

TEST(LeafTextTest, ATextShowsTheFormatThatWouldReadIt) {
  EXPECT_EQ(FormatShowing("10.0.0.1"), "ipv4");
  EXPECT_EQ(FormatShowing("fe80::1"), "ipv6");
  EXPECT_EQ(FormatShowing("3.2s ago"), "ktime");
  EXPECT_EQ(FormatShowing("1.5ms"), "ns");
  EXPECT_EQ(FormatShowing("-ENOENT"), "errno");
  EXPECT_EQ(FormatShowing("tcp_connect+0x1a"), "ksym");
  EXPECT_EQ(FormatShowing("hello"), std::nullopt);
}

TEST(LeafTextTest, ANumberIsTheIntegerTheFieldHolds) {
  // As without the format: a u32 holds it in host order, a __be32 in
  // network order.
  Bytes out(4, 0);
  ASSERT_TRUE(EncodeFormattedLeaf(Formatted("__u32", LeafFormat::kIpv4),
                                  Num("167772161"), "key", out.data(),
                                  LeafPlace{}, Context())
                  .ok());
  EXPECT_EQ(out, (Bytes{1, 0, 0, 10}));
  ASSERT_TRUE(EncodeFormattedLeaf(Formatted("__be32", LeafFormat::kIpv4),
                                  Num("167772161"), "key", out.data(),
                                  LeafPlace{}, Context())
                  .ok());
  EXPECT_EQ(out, (Bytes{10, 0, 0, 1}));
  Status negative = EncodeFormattedLeaf(Formatted("__u32", LeafFormat::kIpv4),
                                        Num("-1"), "key.ip", out.data(),
                                        LeafPlace{}, Context());
  ASSERT_FALSE(negative.ok());
  EXPECT_EQ(negative.error().message(), "key.ip: -1 does not fit in u32");
}

TEST(LeafTextTest, PortsAreNetworkByteOrder) {
  TypeNode port = Formatted("__u16", LeafFormat::kPort);
  EXPECT_EQ(RoundTrip(port, {0x01, 0xbb}), "443");
  Bytes out(2, 0);
  ASSERT_TRUE(EncodeFormattedLeaf(port, Num("443"), "key.dport", out.data(),
                                  LeafPlace{}, Context())
                  .ok());
  EXPECT_EQ(out, (Bytes{0x01, 0xbb}));  // bpf_htons(443)
  Status wide = EncodeFormattedLeaf(port, Num("70000"), "key.dport",
                                    out.data(), LeafPlace{}, Context());
  ASSERT_FALSE(wide.ok());
  EXPECT_EQ(wide.error().message(),
            "key.dport: 70000 is not a port (0 to 65535)");
}

TEST(LeafTextTest, NumbersTimesAndNames) {
  EXPECT_EQ(RoundTrip(Formatted("__s16", LeafFormat::kHex), {0xff, 0xff}),
            "0xffff");
  EXPECT_EQ(RoundTrip(Formatted("__u64", LeafFormat::kNs),
                      {0x80, 0x96, 0x98, 0, 0, 0, 0, 0}),
            "10ms");
  EXPECT_EQ(RoundTrip(Formatted("__u64", LeafFormat::kNs),
                      {0x87, 0xd6, 0x12, 0, 0, 0, 0, 0}),
            "1.234567ms");
  EXPECT_EQ(RoundTrip(Formatted("__s32", LeafFormat::kErrno),
                      {0xfe, 0xff, 0xff, 0xff}),
            "-ENOENT");
  EXPECT_EQ(RoundTrip(Formatted("__u8", LeafFormat::kBool), {1}), "true");
  EXPECT_EQ(RoundTrip(Formatted("__u8", LeafFormat::kBool), {0}), "false");
  // dec undoes a default (an address shown as its number); raw shows a
  // network-order field's bytes read in host order, as bpftool does.
  EXPECT_EQ(RoundTrip(Formatted("__u32", LeafFormat::kDec), {1, 0, 0, 10}),
            "167772161");
  TypeNode raw = Formatted("__be16", LeafFormat::kRaw);
  ASSERT_TRUE(raw.big_endian);
  EXPECT_EQ(RoundTrip(raw, {0x01, 0xbb}), "47873");
  TypeNode meant = Formatted("__be16", LeafFormat::kDec);
  EXPECT_EQ(RoundTrip(meant, {0x01, 0xbb}), "443");
  EXPECT_EQ(RoundTrip(Formatted("__u64", LeafFormat::kKsym),
                      {0x10, 0x10, 0x00, 0x81, 0xff, 0xff, 0xff, 0xff}),
            "tcp_connect+0x10");
  EXPECT_EQ(RoundTrip(Formatted("unsigned char[8]", LeafFormat::kStr),
                      {'c', 'u', 'r', 'l', '\n', 0, 0, 0}),
            "curl\n");
  // Not text: the bytes, as JSON numbers.
  EXPECT_EQ(RoundTrip(Formatted("unsigned char[3]", LeafFormat::kStr),
                      {0xff, 0, 1}),
            "[255,0,1]");
}

TEST(LeafTextTest, WhatAFormatCannotSayStaysANumber) {
  // A bool field holding 5, a duration of U64_MAX ns ("never"), an errno
  // far out of range: shown as numbers, read back to the same bytes.
  EXPECT_EQ(RoundTrip(Formatted("__u8", LeafFormat::kBool), {5}), "5");
  EXPECT_EQ(RoundTrip(Formatted("__u64", LeafFormat::kNs), Bytes(8, 0xff)),
            "18446744073709551615");
  EXPECT_EQ(RoundTrip(Formatted("__s64", LeafFormat::kErrno),
                      {0, 0, 0, 0, 0, 0, 0, 0x80}),
            "-9223372036854775808");
  // Without a clock, an age is the stamp.
  TypeNode ktime = Formatted("__u64", LeafFormat::kKtime);
  Bytes stamp = {1, 0, 0, 0, 0, 0, 0, 0};
  EXPECT_EQ(FormatLeaf(ktime, stamp.data(), {}, LeafContext{}, false).text,
            "1");
}

TEST(LeafTextTest, SymbolsNeedKallsyms) {
  TypeNode ksym = Formatted("__u64", LeafFormat::kKsym);
  Bytes out(8, 0);
  Status hidden = EncodeFormattedLeaf(ksym, Str("tcp_connect"), "value.fn",
                                      out.data(), {}, LeafContext{});
  ASSERT_FALSE(hidden.ok());
  EXPECT_EQ(hidden.error().message(),
            "value.fn: \"tcp_connect\" is not a kernel address (symbols are "
            "hidden)");
  Status unknown = EncodeFormattedLeaf(ksym, Str("no_such_fn"), "value.fn",
                                       out.data(), {}, Context());
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().message(),
            "value.fn: \"no_such_fn\" is not a kernel address or "
            "symbol[+0xOFFSET]");
  EXPECT_EQ(out, Bytes(8, 0));
}

TEST(LeafTextTest, KtimeIsAnAge) {
  TypeNode ktime = Formatted("__u64", LeafFormat::kKtime);
  Bytes stamp(8, 0);
  uint64_t ns = 96'800'000'000;  // 3.2 s before "now"
  std::memcpy(stamp.data(), &ns, 8);
  LeafContext context = Context();
  EXPECT_EQ(FormatLeaf(ktime, stamp.data(), {}, context, false).text,
            "3.2s ago");
  EXPECT_EQ(FormatLeaf(ktime, stamp.data(), {}, context, true).text,
            "96800000000");
  Bytes back(8, 0);
  ASSERT_TRUE(EncodeFormattedLeaf(ktime, Str("3.2s ago"), "value",
                                  back.data(), {}, context)
                  .ok());
  EXPECT_EQ(back, stamp);
  // CLOCK_BOOTTIME stamps against the boot clock (200 s here); one from
  // the future is "in" some time.
  TypeNode boot = Formatted("__u64", LeafFormat::kKtimeBoot);
  uint64_t later = 201'500'000'000;
  std::memcpy(stamp.data(), &later, 8);
  EXPECT_EQ(FormatLeaf(boot, stamp.data(), {}, context, false).text,
            "in 1.5s");
  ASSERT_TRUE(EncodeFormattedLeaf(boot, Str("in 1.5s"), "value", back.data(),
                                  {}, context)
                  .ok());
  EXPECT_EQ(back, stamp);
}

TEST(LeafTextTest, WideIntegers) {
  TypeNode u128 = Formatted("unsigned __int128", LeafFormat::kNone);
  Bytes max(16, 0xff);
  EXPECT_EQ(DecimalOf(u128, max.data(), {}),
            "340282366920938463463374607431768211455");
  Bytes out(16, 0);
  ASSERT_TRUE(EncodeFormattedLeaf(u128,
                                  Str("340282366920938463463374607431768211455"),
                                  "key", out.data(), {}, Context())
                  .ok());
  EXPECT_EQ(out, max);
  TypeNode s128 = Formatted("__int128", LeafFormat::kNone);
  EXPECT_EQ(DecimalOf(s128, max.data(), {}), "-1");
  Status over = EncodeFormattedLeaf(
      u128, Str("340282366920938463463374607431768211456"), "key", out.data(),
      {}, Context());
  EXPECT_FALSE(over.ok());
}

TEST(LeafTextTest, Durations) {
  EXPECT_EQ(FormatDuration(0), "0ns");
  EXPECT_EQ(FormatDuration(1500), "1.5us");
  EXPECT_EQ(FormatDuration(-2'000'000'000), "-2s");
  EXPECT_EQ(ParseDuration("1.5ms"), 1'500'000);
  EXPECT_EQ(ParseDuration("2s"), 2'000'000'000);
  EXPECT_EQ(ParseDuration("1m"), 60'000'000'000);
  EXPECT_EQ(ParseDuration("42"), 42);
  EXPECT_EQ(ParseDuration("0.5ns"), std::nullopt);
  EXPECT_EQ(ParseDuration("ms"), std::nullopt);
  EXPECT_EQ(ParseDuration("1.ms"), std::nullopt);
}

TEST(LeafTextTest, BadInputNamesTheFormat) {
  TypeNode ipv4 = Formatted("__be32", LeafFormat::kIpv4);
  Bytes out(4, 0);
  Status status = EncodeFormattedLeaf(ipv4, Str("10.0.0.256"), "key.saddr",
                                      out.data(), {}, Context());
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().message(),
            "key.saddr: \"10.0.0.256\" is not an IPv4 address (10.0.0.1)");
  EXPECT_EQ(out, Bytes(4, 0));
  TypeNode mac = Formatted("unsigned char[6]", LeafFormat::kMac);
  Bytes mac_out(6, 0);
  EXPECT_FALSE(EncodeFormattedLeaf(mac, Str("aa:bb:cc:dd:ee"), "key.mac",
                                   mac_out.data(), {}, Context())
                   .ok());
}

}  // namespace
}  // namespace bpfmap
