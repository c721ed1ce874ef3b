#include "core/codec/literal.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

namespace bpfmap {
namespace {

using Kind = Literal::Kind;

TEST(LiteralTest, BareWordsAreStringsAsTyped) {
  for (const char* word : {"42", "-2", "0x1f", "MODE_ON", "abc", "true", ""}) {
    Result<Literal> literal = ParseLiteral(word);
    ASSERT_TRUE(literal.ok()) << word;
    EXPECT_EQ(literal->kind, Kind::kString);
    EXPECT_TRUE(literal->bare);
    EXPECT_EQ(literal->text, word);
  }
}

TEST(LiteralTest, JsonKeepsNumbersAsWrittenAndMembersInOrder) {
  Result<Literal> literal = ParseLiteral(
      R"({"b": 18446744073709551615, "a": [1.5, -2, true, null, "x"],)"
      R"( "big": 123456789012345678901234567890})");
  ASSERT_TRUE(literal.ok()) << literal.error().message();
  ASSERT_EQ(literal->kind, Kind::kObject);
  ASSERT_EQ(literal->members.size(), 3u);
  EXPECT_EQ(literal->members[0].first, "b");
  EXPECT_EQ(literal->members[0].second.text, "18446744073709551615");
  const Literal& list = literal->members[1].second;
  ASSERT_EQ(list.items.size(), 5u);
  EXPECT_EQ(list.items[0].text, "1.5");
  EXPECT_EQ(list.items[1].text, "-2");
  EXPECT_EQ(list.items[2].kind, Kind::kBool);
  EXPECT_EQ(list.items[3].kind, Kind::kNull);
  EXPECT_EQ(list.items[4].kind, Kind::kString);
  EXPECT_FALSE(list.items[4].bare);
  EXPECT_EQ(literal->members[2].second.text, "123456789012345678901234567890");
}

TEST(LiteralTest, DuplicateKeysStayVisible) {
  Result<Literal> literal = ParseLiteral(R"({"a": 1, "a": 2})");
  ASSERT_TRUE(literal.ok());
  ASSERT_EQ(literal->members.size(), 2u);
}

TEST(LiteralTest, QuotedStringsAreJson) {
  Result<Literal> literal = ParseLiteral(R"("a\u00e9b")");
  ASSERT_TRUE(literal.ok());
  EXPECT_EQ(literal->text, "a\xc3\xa9" "b");
  EXPECT_FALSE(literal->bare);
}

TEST(LiteralTest, RefusesBadJsonSayingWhere) {
  struct Case {
    std::string text;
    const char* message;
  };
  for (const Case& c : std::vector<Case>{
           {"{", "invalid JSON at byte 2"},
           {"[1,]", "invalid JSON"},
           {"{\"a\": 1} x", "invalid JSON"},
           {"\"\xff\"", "ill-formed UTF-8"},
           {std::string(65, '[') + std::string(65, ']'),
            "JSON nests more than 64 levels deep"},
           {std::string(10000, '[') + std::string(10000, ']'),
            "JSON nests more than 64 levels deep"},
       }) {
    Result<Literal> literal = ParseLiteral(c.text);
    ASSERT_FALSE(literal.ok()) << c.message;
    EXPECT_EQ(literal.error().kind(), ErrorKind::kBadInput);
    EXPECT_NE(literal.error().message().find(c.message), std::string::npos)
        << literal.error().message();
  }
  EXPECT_TRUE(ParseLiteral(std::string(64, '[') + std::string(64, ']')).ok());
}

// nlohmann's lexer would stop at a NUL as at the end of the input, and let
// whatever follows it go unread.
TEST(LiteralTest, ANulByteIsRefusedNotTakenForTheEnd) {
  using namespace std::string_literals;
  for (const std::string& text :
       {"{\"a\": 1}\0junk"s, "{\"a\": 1}\0"s, "\"a\0b\""s, "\0"s}) {
    Result<Literal> literal = ParseJsonLiteral(text);
    ASSERT_FALSE(literal.ok());
    EXPECT_NE(literal.error().message().find("a NUL byte (JSON has none)"),
              std::string::npos)
        << literal.error().message();
  }
  std::string array = "[{\"a\": 1}]\0[{\"a\": 2}]"s;
  size_t seen = 0;
  auto count = [&seen](Literal&&, size_t) {
    ++seen;
    return OkStatus();
  };
  Status from_text = ForEachArrayElement(array, count);
  ASSERT_FALSE(from_text.ok());
  EXPECT_EQ(from_text.error().message(),
            "invalid JSON at byte 11: a NUL byte (JSON has none)");
  std::FILE* file = fmemopen(array.data(), array.size(), "r");
  ASSERT_NE(file, nullptr);
  seen = 0;
  Status from_file = ForEachArrayElement(file, count);
  std::fclose(file);
  ASSERT_FALSE(from_file.ok());
  EXPECT_EQ(from_file.error().message(),
            "invalid JSON at byte 11: a NUL byte (JSON has none)");
  EXPECT_EQ(seen, 1u);
  // A file of good JSON still reads to its end.
  std::string good = "[{\"a\": 1}, {\"a\": 2}]\n";
  file = fmemopen(good.data(), good.size(), "r");
  seen = 0;
  EXPECT_TRUE(ForEachArrayElement(file, count).ok());
  std::fclose(file);
  EXPECT_EQ(seen, 2u);
}

TEST(LiteralTest, MessagesShortenLongText) {
  Literal literal;
  literal.kind = Kind::kString;
  literal.bare = true;
  literal.text = std::string(1000, '7');
  std::string shown = LiteralForMessage(literal);
  EXPECT_LT(shown.size(), 60u);
  EXPECT_NE(shown.find("(1000 characters)"), std::string::npos);
}

}  // namespace
}  // namespace bpfmap
