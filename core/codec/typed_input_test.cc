#include "core/codec/typed_input.h"

#include <gtest/gtest.h>

#include "core/types/c_type.h"

namespace bpfmap {
namespace {

// The fixture's struct flow_value, as C lays it out.
constexpr const char* kFlowValue =
    "struct flow_value { enum mode { MODE_OFF, MODE_ON, MODE_AUTO = 7 } mode; "
    "s64 delta; char tag[8]; struct range { u32 lo; u32 hi; } range; "
    "u8 small:3, flag:1; u8 wide[4]; union { u32 as_u32; u8 as_bytes[4]; } u; "
    "bool on; }";

TypeRef Type(std::string_view text) {
  Result<TypeRef> type = ParseCType(text, nullptr);
  EXPECT_TRUE(type.ok()) << type.error().message();
  return *type;
}

Result<Bytes> Encode(std::string_view type, std::string_view word,
                     const std::string& path = "value") {
  Result<Literal> literal = ParseLiteral(word);
  if (!literal.ok()) return literal.error();
  return EncodeLiteral(*Type(type), *literal, path);
}

TEST(TypedInputTest, BareScalars) {
  EXPECT_EQ(*Encode("u32", "42"), (Bytes{42, 0, 0, 0}));
  EXPECT_EQ(*Encode("s16", "-2"), (Bytes{0xfe, 0xff}));
  EXPECT_EQ(*Encode("u16", "0x1f2"), (Bytes{0xf2, 0x01}));
  EXPECT_EQ(*Encode("u64", "18446744073709551615"), Bytes(8, 0xff));
  EXPECT_EQ(*Encode("s64", "-9223372036854775808"),
            (Bytes{0, 0, 0, 0, 0, 0, 0, 0x80}));
  EXPECT_EQ(*Encode("char[4]", "abc"), (Bytes{'a', 'b', 'c', 0}));
  EXPECT_EQ(*Encode("char[3]", "abc"), (Bytes{'a', 'b', 'c'}));
  EXPECT_EQ(*Encode("bool", "true"), (Bytes{1}));
  EXPECT_EQ(*Encode("enum e { A, B = 9 }", "B"), (Bytes{9, 0, 0, 0}));
  EXPECT_EQ(*Encode("enum e { A, B = 9 }", "3"), (Bytes{3, 0, 0, 0}));
  Bytes half = *Encode("float", "0.5");
  EXPECT_EQ(half, (Bytes{0, 0, 0, 0x3f}));
  EXPECT_EQ(*Encode("float", "-nan"), (Bytes{0, 0, 0xc0, 0xff}));
  EXPECT_EQ(*Encode("float", "nan"), (Bytes{0, 0, 0xc0, 0x7f}));
}

TEST(TypedInputTest, JsonStructsFillNamedFieldsAndZeroTheRest) {
  Result<Bytes> bytes = Encode(
      kFlowValue,
      R"({"mode": "MODE_AUTO", "delta": -1, "tag": "hi", "range": )"
      R"({"lo": 1, "hi": "0x2"}, "small": 5, "flag": 1, "wide": [1, 2, 3, 4],)"
      R"( "u": {"as_bytes": [9, 8, 7, 6]}, "on": true})");
  ASSERT_TRUE(bytes.ok()) << bytes.error().message();
  Bytes want = {7,    0,    0,    0,    0, 0, 0, 0,     // mode, padding
                0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,  // delta
                'h',  'i',  0,    0,    0, 0, 0, 0,     // tag
                1,    0,    0,    0,    2, 0, 0, 0,     // range
                5 | 1 << 3, 1, 2, 3, 4,                // small, flag; wide
                0,    0,    0,                          // padding
                9,    8,    7,    6,                    // u
                1,    0,    0,    0};                   // on, padding
  EXPECT_EQ(*bytes, want);
  EXPECT_EQ(*Encode(kFlowValue, "{}"), Bytes(want.size(), 0));
}

TEST(TypedInputTest, UnionMembersThatAgreeAreOneValue) {
  // What bpfmap prints for a union (every member) reads back in.
  Result<Bytes> bytes = Encode("union { u32 n; u8 b[4]; u16 h; }",
                               R"({"n": 258, "b": [2, 1, 0, 0], "h": 258})");
  ASSERT_TRUE(bytes.ok()) << bytes.error().message();
  EXPECT_EQ(*bytes, (Bytes{2, 1, 0, 0}));
}

TEST(TypedInputTest, AnonymousMembersAnswerToTheirFieldsNames) {
  Result<Bytes> bytes =
      Encode("struct { u8 a; struct { u8 b; u8 c; }; }", R"({"c": 3})");
  ASSERT_TRUE(bytes.ok()) << bytes.error().message();
  EXPECT_EQ(*bytes, (Bytes{0, 0, 3}));
}

TEST(TypedInputTest, ErrorsNameThePathAndTheReason) {
  struct Case {
    const char* type;
    const char* word;
    const char* message;
  };
  for (const Case& c : std::vector<Case>{
           {kFlowValue, R"({"range": {"lo": 4294967296}})",
            "value.range.lo: 4294967296 does not fit in u32"},
           // What a --fmt shows, given without that --fmt.
           {kFlowValue, R"({"delta": "-ENOENT"})",
            "value.delta: \"-ENOENT\" is not an integer (as --fmt "
            "value.delta=errno shows one: give that --fmt to read it)"},
           {kFlowValue, R"({"delta": "pi"})",
            "value.delta: \"pi\" is not an integer"},
           {kFlowValue, R"({"colour": 1})",
            "value.colour: no such field (fields: mode, delta, tag, range, "
            "small, flag, wide, u, on)"},
           {kFlowValue, R"({"small": 8})",
            "value.small: 8 does not fit in 3-bit unsigned bitfield"},
           {kFlowValue, R"({"mode": "MODE_X"})",
            "value.mode: no enumerator \"MODE_X\" in enum mode (enumerators: "
            "MODE_OFF, MODE_ON, MODE_AUTO)"},
           {kFlowValue, R"({"tag": "123456789"})",
            "value.tag: \"123456789\" is 9 bytes; char[8] holds at most 8"},
           {kFlowValue, R"({"tag": "a\u0000b"})",
            "value.tag: the string holds a NUL character"},
           {kFlowValue, R"({"wide": [1, 2]})",
            "value.wide: 2 items given; u8[4] takes exactly 4"},
           {kFlowValue, R"({"wide": [1, 2, 3, 256]})",
            "value.wide[3]: 256 does not fit in u8"},
           {kFlowValue, R"({"mode": 1, "mode": 2})", "value.mode: given twice"},
           {kFlowValue, R"({"u": {"as_u32": 1, "as_bytes": [1, 2, 3, 4]}})",
            "value.u: members as_u32 and as_bytes give different bytes"},
           {kFlowValue, R"({"delta": 1.5})", "value.delta: 1.5 is not an integer"},
           {kFlowValue, R"({"delta": true})",
            "value.delta: true is not an integer"},
           {kFlowValue, R"({"on": 2})", "value.on: 2 is not a bool"},
           {kFlowValue, "abc",
            "value: struct flow_value takes a JSON object (fields: mode"},
           {kFlowValue, R"({"range": [1, 2]})",
            "value.range: struct range takes a JSON object"},
           {kFlowValue, R"({"wide": "abcd"})",
            "value.wide: u8[4] takes a JSON list of 4 items, not \"abcd\""},
           {"u32", "-1", "value: -1 does not fit in u32"},
           {"u64", "99999999999999999999999",
            "value: 99999999999999999999999 does not fit in u64"},
           {"s8", "128", "value: 128 does not fit in s8"},
           {"u32", "12abc", "value: 12abc is not an integer"},
           {"u32", "", "value:  is not an integer"},
           {"float", "1e39", "value: 1e39 does not fit in float"},
           {"double", "x", "value: x is not a number"},
           {"double", "nan(123)",
            "value: nan(123): a NaN is nan or -nan, without a payload"},
       }) {
    Result<Bytes> bytes = Encode(c.type, c.word);
    ASSERT_FALSE(bytes.ok()) << c.word;
    EXPECT_EQ(bytes.error().kind(), ErrorKind::kBadInput);
    EXPECT_NE(bytes.error().message().find(c.message), std::string::npos)
        << bytes.error().message();
  }
}

TEST(TypedInputTest, ElementWordsKeepBpftoolsByteGrammar) {
  TypeRef u32 = Type("u32");
  EXPECT_EQ(*ParseElementWords(u32.get(), {"1", "0", "0", "0"}, 4, "key"),
            (Bytes{1, 0, 0, 0}));
  EXPECT_EQ(*ParseElementWords(u32.get(), {"hex", "01000000"}, 4, "key"),
            (Bytes{1, 0, 0, 0}));
  EXPECT_EQ(*ParseElementWords(u32.get(), {"258"}, 4, "key"),
            (Bytes{2, 1, 0, 0}));
  EXPECT_EQ(*ParseElementWords(nullptr, {"7", "0", "0", "0"}, 4, "key"),
            (Bytes{7, 0, 0, 0}));
  Result<Bytes> two = ParseElementWords(u32.get(), {"1", "2"}, 4, "key");
  ASSERT_FALSE(two.ok());
  EXPECT_NE(two.error().message().find(
                "key: 2 words given; a typed key (u32) is one word"),
            std::string::npos)
      << two.error().message();
  Result<Bytes> untyped = ParseElementWords(nullptr, {"258"}, 4, "key");
  ASSERT_FALSE(untyped.ok());
}

// The bulk-load fast path: what it takes, it encodes as EncodeLiteral does;
// what it leaves, the general reader answers.
TEST(TypedInputTest, FastPathAgreesWithTheGeneralReader) {
  struct Case {
    const char* type;
    const char* json;
    bool fast;  // whether the fast path takes it
  };
  const Case cases[] = {
      {"u32", "4294967295", true},
      {"s8", "-128", true},
      {"u64", "18446744073709551615", true},
      {"bool", "true", true},
      {"u8[4]", "[1, 2, 3, 255]", true},
      {"char[8]", "\"abc\"", true},
      {"char[8]", "\"12345678\"", true},
      {kFlowValue,
       R"({"mode":"MODE_AUTO","delta":-5,"tag":"eth0","range":{"lo":1,"hi":2},)"
       R"("small":7,"flag":1,"wide":[1,2,3,4],"on":true})",
       true},
      {kFlowValue, R"({ "mode" : 1 , "range" : { "hi" : 9 } })", true},
      {kFlowValue, "{}", true},
      {"struct { struct { u16 x; u16 y; }; u32 z; }", R"({"y":2,"z":3})", true},
      // Left to the general reader, which takes them...
      {"u32", "\"0x10\"", false},
      {"double", "1.5", false},
      {"char[8]", "\"caf\u00e9\"", false},
      {kFlowValue, R"({"u":{"as_u32":1}})", false},
      {kFlowValue, R"({"range":{"hi":9},"mode":1})", false},  // not in order
      {kFlowValue, R"({"range":{"hi":9,"lo":1}})", false},
      // ...or says what is wrong with them.
      {"u32", "4294967296", false},
      {"u32", "-1", false},
      {"u32", "012", false},
      {"s8", "1.0", false},
      {"char[8]", "\"123456789\"", false},
      {"u8[4]", "[1, 2, 3]", false},
      {kFlowValue, R"({"mode":"MODE_X"})", false},
      {kFlowValue, R"({"delta":1,"delta":2})", false},
      {kFlowValue, R"({"colour":1})", false},
      {kFlowValue, R"({"small":8})", false},
      {kFlowValue, R"({"tag":"a")", false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.type) + " <- " + c.json);
    TypeRef type = Type(c.type);
    JsonCursor in(c.json);
    Bytes fast(type->size, 0);
    // Taken: all of it read as one value.
    bool taken = EncodeJsonFast(*type, in, fast.data()) && in.AtEnd();
    EXPECT_EQ(taken, c.fast);
    if (!taken) continue;
    Result<Literal> literal = ParseJsonLiteral(c.json);
    ASSERT_TRUE(literal.ok());
    Result<Bytes> general = EncodeLiteral(*type, *literal, "value");
    ASSERT_TRUE(general.ok()) << general.error().message();
    EXPECT_EQ(fast, *general);
  }
  // It stops after the value, for the reader of the line around it.
  JsonCursor line(R"(7,"value":1})");
  Bytes key(4, 0);
  ASSERT_TRUE(EncodeJsonFast(*Type("u32"), line, key.data()));
  EXPECT_EQ(line.rest(), R"(,"value":1})");
  EXPECT_EQ(key, (Bytes{7, 0, 0, 0}));
}

// Members may come in any order, and anonymous members' fields by name.
TEST(TypedInputTest, MembersInAnyOrder) {
  Result<Bytes> in_order =
      Encode(kFlowValue, R"({"mode":1,"range":{"lo":2,"hi":9},"on":true})");
  Result<Bytes> shuffled =
      Encode(kFlowValue, R"({"on":true,"range":{"hi":9,"lo":2},"mode":1})");
  ASSERT_TRUE(in_order.ok()) << in_order.error().message();
  ASSERT_TRUE(shuffled.ok()) << shuffled.error().message();
  EXPECT_EQ(*in_order, *shuffled);
  Result<Bytes> spliced =
      Encode("struct { u32 z; struct { u16 x; u16 y; }; }", R"({"y":2,"z":3})");
  ASSERT_TRUE(spliced.ok()) << spliced.error().message();
  EXPECT_EQ(*spliced, (Bytes{3, 0, 0, 0, 0, 0, 2, 0}));
}

}  // namespace
}  // namespace bpfmap
