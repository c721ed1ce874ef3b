#include "core/entries/entry_filter.h"

#include <gtest/gtest.h>

#include <cstring>

#include "core/types/c_type.h"
#include "core/types/leaf_formats.h"

namespace bpfmap {
namespace {

struct Flow {
  uint32_t saddr;  // network order in memory
  uint16_t dport;  // __be16
  uint8_t proto;
  uint8_t pad;
};

struct Stats {
  uint64_t packets;
  char comm[16];
  uint32_t state;  // enum tcp_state
  uint32_t pad;
};

EntryShape FlowShape(uint32_t cpus = 1) {
  EntryShape shape;
  MapTypes types;
  types.key = *ParseCType(
      "struct flow { __u32 saddr; __be16 dport; __u8 proto; __u8 pad; }",
      nullptr);
  types.value = *ParseCType(
      "struct stats { __u64 packets; char comm[16]; "
      "enum tcp_state { TCP_ESTABLISHED = 1, TCP_CLOSE = 7 } state; "
      "__u32 pad; }",
      nullptr);
  shape.types = *ApplyFormats(types, FormatSpec{});
  shape.key_size = sizeof(Flow);
  shape.layout.value_size = sizeof(Stats);
  shape.layout.stride = sizeof(Stats);
  shape.layout.cpus = cpus;
  shape.layout.per_cpu = cpus > 1;
  return shape;
}

Flow MakeFlow(const char* a, uint16_t port, uint8_t proto) {
  Flow flow{};
  unsigned b[4];
  sscanf(a, "%u.%u.%u.%u", &b[0], &b[1], &b[2], &b[3]);
  uint8_t* p = reinterpret_cast<uint8_t*>(&flow.saddr);
  for (int i = 0; i < 4; ++i) p[i] = static_cast<uint8_t>(b[i]);
  flow.dport = static_cast<uint16_t>((port >> 8) | (port << 8));
  flow.proto = proto;
  return flow;
}

Stats MakeStats(uint64_t packets, const char* comm, uint32_t state = 1) {
  Stats stats{};
  stats.packets = packets;
  std::strncpy(stats.comm, comm, sizeof(stats.comm));
  stats.state = state;
  return stats;
}

class FilterTest : public ::testing::Test {
 protected:
  bool Matches(const std::string& where, const Flow& flow,
               const Stats& stats) {
    Result<EntryFilter> filter =
        EntryFilter::Parse(where, shape_, LeafContext{});
    EXPECT_TRUE(filter.ok()) << where << ": " << filter.error().Describe();
    if (!filter.ok()) return false;
    return filter->Matches(reinterpret_cast<const uint8_t*>(&flow),
                           reinterpret_cast<const uint8_t*>(&stats));
  }
  std::string ErrorOf(const std::string& where) {
    Result<EntryFilter> filter =
        EntryFilter::Parse(where, shape_, LeafContext{});
    EXPECT_FALSE(filter.ok()) << where;
    if (filter.ok()) return "";
    EXPECT_EQ(filter.error().kind(), ErrorKind::kBadInput);
    return filter.error().message();
  }
  EntryShape shape_ = FlowShape();
};

TEST_F(FilterTest, NumbersAndPortsInNetworkOrder) {
  Flow https = MakeFlow("10.1.2.3", 443, 6);
  Stats busy = MakeStats(150, "curl");
  EXPECT_TRUE(Matches("key.dport == 443 and value.packets > 100", https, busy));
  EXPECT_FALSE(Matches("key.dport == 443 and value.packets > 200", https, busy));
  EXPECT_TRUE(Matches("dport==443&&packets>=150", https, busy));
  EXPECT_TRUE(Matches("packets < 151 and packets <= 150 and packets != 1",
                      https, busy));
  EXPECT_TRUE(Matches("key.dport in (80, 443)", https, busy));
  EXPECT_FALSE(Matches("key.dport not in (80, 443)", https, busy));
  EXPECT_TRUE(Matches("proto == 6 or proto == 17", https, busy));
  EXPECT_FALSE(Matches("not (proto == 6 or proto == 17)", https, busy));
  EXPECT_TRUE(Matches("! proto == 17", https, busy));
  // Numbers past the field's range compare as numbers.
  EXPECT_TRUE(Matches("packets > -1 and dport < 70000", https, busy));
}

TEST_F(FilterTest, AddressesPrefixesTextAndEnums) {
  Flow flow = MakeFlow("10.1.2.3", 53, 17);
  Stats stats = MakeStats(1, "curl-7.88", 7);
  EXPECT_TRUE(Matches("key.saddr == 10.1.2.3", flow, stats));
  EXPECT_TRUE(Matches("key.saddr in 10.0.0.0/8", flow, stats));
  EXPECT_TRUE(Matches("key.saddr in 10.1.2.2/31", flow, stats));
  EXPECT_FALSE(Matches("key.saddr in 10.1.2.0/31", flow, stats));
  EXPECT_FALSE(Matches("key.saddr in 192.168.0.0/16", flow, stats));
  EXPECT_TRUE(Matches("key.saddr in 0.0.0.0/0", flow, stats));
  EXPECT_TRUE(Matches("saddr > 9.255.255.255 and saddr < 10.1.2.4", flow,
                      stats));
  EXPECT_TRUE(Matches("comm ~ \"^curl\"", flow, stats));
  EXPECT_TRUE(Matches("comm ~ 'l-7\\.88$'", flow, stats));
  EXPECT_FALSE(Matches("comm ~ \"^wget\"", flow, stats));
  EXPECT_TRUE(Matches("comm !~ wget", flow, stats));
  // POSIX classes, and Perl's classes besides (a backslash written twice
  // inside quotes).
  EXPECT_TRUE(Matches("comm ~ '^[[:alpha:]]+-'", flow, stats));
  // As POSIX without REG_NEWLINE: a newline is a byte like any other.
  Stats lines = MakeStats(1, "x\ncurl\ny");
  EXPECT_FALSE(Matches("comm ~ '^curl$'", flow, lines));
  EXPECT_TRUE(Matches("comm ~ '^x.curl.y$'", flow, lines));
  EXPECT_TRUE(Matches("comm ~ \"\\\\d\\\\.\\\\d+$\"", flow, stats));
  EXPECT_FALSE(Matches("comm ~ \"^\\\\d\"", flow, stats));
  EXPECT_TRUE(Matches("comm == \"curl-7.88\"", flow, stats));
  EXPECT_FALSE(Matches("comm == curl", flow, stats));
  EXPECT_TRUE(Matches("comm > curl", flow, stats));
  EXPECT_TRUE(Matches("state == TCP_CLOSE", flow, stats));
  EXPECT_TRUE(Matches("state != TCP_ESTABLISHED and state == 7", flow, stats));
}

TEST_F(FilterTest, TextFillingItsArrayHasNoNul) {
  Flow flow = MakeFlow("10.0.0.1", 80, 6);
  Stats stats = MakeStats(1, "");
  std::memcpy(stats.comm, "abcdefghijklmnop", 16);
  EXPECT_TRUE(Matches("comm == abcdefghijklmnop", flow, stats));
  EXPECT_TRUE(Matches("comm ~ 'op$'", flow, stats));
}

TEST_F(FilterTest, ByteRangesOfAnyMap) {
  Flow flow = MakeFlow("10.0.0.1", 80, 6);
  Stats stats = MakeStats(1, "x");
  EXPECT_TRUE(Matches("key[0:4] == hex 0a000001", flow, stats));
  EXPECT_TRUE(Matches("key[0:4] == hex 0a 00 00 01", flow, stats));
  EXPECT_TRUE(Matches("key[6:7] == 6 and value[0:8] == 1", flow, stats));
  EXPECT_TRUE(Matches("key[0:1] in (hex 0b, hex 0a)", flow, stats));
}

TEST_F(FilterTest, UntypedMapsByBytes) {
  shape_ = EntryShape{};
  shape_.key_size = 4;
  shape_.layout.value_size = 8;
  shape_.layout.stride = 8;
  uint8_t key[4] = {0x0a, 0, 0, 1};
  uint64_t value = 300;
  Result<EntryFilter> filter = EntryFilter::Parse(
      "key == hex 0a000001 and value > 255", shape_, LeafContext{});
  ASSERT_TRUE(filter.ok()) << filter.error().Describe();
  EXPECT_TRUE(filter->Matches(key, reinterpret_cast<uint8_t*>(&value)));
  value = 2;
  EXPECT_FALSE(filter->Matches(key, reinterpret_cast<uint8_t*>(&value)));
  EXPECT_EQ(ErrorOf("key.saddr == 1"),
            "--where: column 1: no field key.saddr: the map has no types "
            "(name bytes: key[0:4], value[8:16], or give "
            "--key-type/--value-type)");
  EXPECT_EQ(ErrorOf("key[2:6] == 1"),
            "--where: column 1: key[2:6] reaches past the key's 4 bytes");
  EXPECT_EQ(ErrorOf("key == hex 0a00"),
            "--where: column 8: key is 4 bytes; hex gives 2");
}

TEST_F(FilterTest, PerCpuValuesAreSummed) {
  shape_ = FlowShape(/*cpus=*/2);
  Flow flow = MakeFlow("10.0.0.1", 80, 6);
  Stats per_cpu[2] = {MakeStats(60, "a"), MakeStats(50, "a")};
  Result<EntryFilter> filter =
      EntryFilter::Parse("packets > 100", shape_, LeafContext{});
  ASSERT_TRUE(filter.ok());
  FilterStage stage(std::move(*filter), shape_);
  EntryView view{reinterpret_cast<uint8_t*>(&flow), sizeof(flow),
                 reinterpret_cast<uint8_t*>(per_cpu)};
  std::optional<EntryView> passed = stage.Apply(view);
  ASSERT_TRUE(passed.has_value());
  EXPECT_EQ(passed->value, view.value);  // passed on unfolded
  per_cpu[1].packets = 10;
  EXPECT_FALSE(stage.Apply(view).has_value());
}

TEST_F(FilterTest, ErrorsNameTheColumn) {
  EXPECT_EQ(ErrorOf(""), "--where: column 1: the expression is empty");
  EXPECT_EQ(ErrorOf("key.dport = 443"),
            "--where: column 11: = is no operator (compare with ==)");
  EXPECT_EQ(ErrorOf("key.dport 443"),
            "--where: column 11: expected ==, !=, <, <=, >, >=, ~, !~ or in "
            "after key.dport, not '443'");
  EXPECT_EQ(ErrorOf("dport == 443 and"),
            "--where: column 17: expected a field (key.dport, comm, "
            "key[0:4]), not the end");
  EXPECT_EQ(ErrorOf("(dport == 443"),
            "--where: column 14: expected ) to close the ( of column 1, "
            "not the end");
  EXPECT_EQ(ErrorOf("dport == 443 443"),
            "--where: column 14: expected and, or or the end, not '443'");
  EXPECT_EQ(ErrorOf("bytes > 1"),
            "--where: column 1: no field bytes (fields: key, key.saddr, "
            "key.dport, key.proto, key.pad, value, value.packets, "
            "value.comm, value.state, value.pad)");
  EXPECT_EQ(ErrorOf("pad == 0"),
            "--where: column 1: pad names key.pad and value.pad; give one "
            "of them");
  EXPECT_EQ(ErrorOf("dport ~ 443"),
            "--where: column 7: ~ matches text; key.dport is a number");
  EXPECT_EQ(ErrorOf("comm ~ '('"),
            "--where: column 8: \"(\" is no regular expression: missing )");
  EXPECT_EQ(ErrorOf("comm ~ '\xe9('"),
            "--where: column 8: \"\xe9(\" is no regular expression: "
            "missing )");
  // glibc's regcomp would take gigabytes or minutes for these; RE2 refuses
  // the first and compiles the others at once.
  EXPECT_EQ(ErrorOf("comm ~ 'a{1,32767}'"),
            "--where: column 8: \"a{1,32767}\" is no regular expression: "
            "invalid repetition size: {1,32767}");
  for (const char* pattern :
       {"comm ~ 'W??????????+++++'", "comm ~ '((W?){1,8}){1,8}+'",
        "comm ~ 'a{1,1000}' or comm ~ '(x|y){1,200}'"}) {
    SCOPED_TRACE(pattern);
    EXPECT_TRUE(EntryFilter::Parse(pattern, shape_, LeafContext{}).ok());
  }
  // Past RE2's budget for one pattern, and past the budget of one
  // --where (16,384 instructions; "[[:alpha:]]{1,1000}" is about 2,000).
  std::string letters;
  for (int i = 0; i < 6; ++i) letters += "[[:alpha:]]{1,1000}";
  EXPECT_EQ(ErrorOf("comm ~ '" + letters + "'"),
            "--where: column 8: \"" + letters +
                "\" is no regular expression: pattern too large - compile "
                "failed");
  std::string many = "comm ~ '[[:alpha:]]{1,1000}'";
  for (int i = 0; i < 8; ++i) many += " or comm ~ '[[:alpha:]]{1,1000}'";
  EXPECT_EQ(ErrorOf(many),
            "--where: column 264: \"[[:alpha:]]{1,1000}\" is too large: "
            "with it, the "
            "regular expressions of one --where would compile to more than "
            "16384 instructions");
  EXPECT_EQ(ErrorOf("comm == \"curl"),
            "--where: column 9: the text opened with \" is never closed");
  EXPECT_EQ(ErrorOf("dport in 10.0.0.0/8"),
            "--where: column 10: key.dport is a number, not an address: a "
            "prefix does not apply");
  EXPECT_EQ(ErrorOf("saddr in 10.0.0.0/33"),
            "--where: column 10: 33 is no prefix length of key.saddr "
            "(32-bit)");
  EXPECT_EQ(ErrorOf("saddr == 10.0.0"),
            "--where: column 10: key.saddr: 10.0.0 is not an IPv4 address "
            "(10.0.0.1)");
  EXPECT_EQ(ErrorOf("state == TCP_NOPE"),
            "--where: column 10: value.state: no enumerator TCP_NOPE in enum "
            "tcp_state (enumerators: TCP_ESTABLISHED, TCP_CLOSE)");
  EXPECT_EQ(ErrorOf("dport in (80 443)"),
            "--where: column 14: expected , or ) in the list after in, not "
            "'443'");
  EXPECT_EQ(ErrorOf(std::string(100000, '!') + "proto == 1"),
            "--where: column 201: nested more than 200 deep");
  EXPECT_EQ(ErrorOf(std::string(300, '(') + "proto == 1"),
            "--where: column 201: nested more than 200 deep");
  std::string chain = "proto == 1";
  for (int i = 0; i < 1000; ++i) chain += " or proto == 1";
  EXPECT_EQ(ErrorOf(chain), "--where: column 14001: more than 1000 "
                            "comparisons");
  EXPECT_EQ(ErrorOf("key[0:4] in 10.0.0.0/8"),
            "--where: column 13: key[0:4] is bytes, not an address: a prefix "
            "does not apply");
}

}  // namespace
}  // namespace bpfmap
