#include "core/literal.h"

#include <gtest/gtest.h>

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
