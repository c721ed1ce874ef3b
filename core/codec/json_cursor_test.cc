#include "core/codec/json_cursor.h"

#include <gtest/gtest.h>

namespace bpfmap {
namespace {

TEST(JsonCursorTest, ReadsThePlainShapesAndStopsAfterThem) {
  JsonCursor in(" {\t\"port\" : -12, \"on\": true}  ");
  std::string_view text;
  EXPECT_TRUE(in.Eat('{'));
  ASSERT_TRUE(in.String(text));
  EXPECT_EQ(text, "port");
  EXPECT_TRUE(in.Eat(':'));
  ASSERT_TRUE(in.Integer(text));
  EXPECT_EQ(text, "-12");
  EXPECT_TRUE(in.Eat(','));
  ASSERT_TRUE(in.String(text));
  EXPECT_EQ(text, "on");
  EXPECT_TRUE(in.Eat(':'));
  EXPECT_FALSE(in.Word("false"));
  EXPECT_TRUE(in.Word("true"));
  EXPECT_FALSE(in.AtEnd());
  EXPECT_TRUE(in.Peek('}'));
  EXPECT_TRUE(in.Eat('}'));
  EXPECT_TRUE(in.AtEnd());
}

TEST(JsonCursorTest, LeavesAnythingElseToTheFullReader) {
  std::string_view text;
  for (const char* integer : {"", "-", "01", "-01", "+1", "x1",
                              "12345678901234567890123456789012345678901"}) {
    JsonCursor in(integer);
    EXPECT_FALSE(in.Integer(text)) << integer;
  }
  JsonCursor zero("0,");
  ASSERT_TRUE(zero.Integer(text));
  EXPECT_EQ(text, "0");
  EXPECT_EQ(zero.rest(), ",");
  for (const char* string :
       {"\"a\\\"b\"", "\"caf\xc3\xa9\"", "\"tab\there\"", "\"open", "bare"}) {
    JsonCursor in(string);
    EXPECT_FALSE(in.String(text)) << string;
  }
  JsonCursor empty("\"\"");
  ASSERT_TRUE(empty.String(text));
  EXPECT_EQ(text, "");
  JsonCursor newline("\n");
  EXPECT_FALSE(newline.AtEnd());  // JSON allows it; this cursor reads lines
}

}  // namespace
}  // namespace bpfmap
