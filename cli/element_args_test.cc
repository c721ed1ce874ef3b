#include "cli/element_args.h"

#include <gtest/gtest.h>

namespace bpfmap::cli {
namespace {

using Words = std::vector<std::string>;

TEST(ElementArgsTest, ReadsKeyValueAndMode) {
  Result<MapElementWords> parsed = ParseMapElementWords(
      {"/p/m", "key", "1", "2", "value", "hex", "0a0b", "noexist"}, true);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message();
  EXPECT_EQ(parsed->map.path, "/p/m");
  EXPECT_EQ(*parsed->args.key, (Words{"1", "2"}));
  EXPECT_EQ(*parsed->args.value, (Words{"hex", "0a0b"}));
  EXPECT_EQ(*parsed->args.mode, UpdateMode::kNoExist);
}

TEST(ElementArgsTest, KeywordsInAnyOrder) {
  Result<ElementArgs> parsed =
      ParseElementArgs({"exist", "value", "1", "key", "2"}, 0, true);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(*parsed->key, (Words{"2"}));
  EXPECT_EQ(*parsed->value, (Words{"1"}));
  EXPECT_EQ(*parsed->mode, UpdateMode::kExist);
}

TEST(ElementArgsTest, NothingIsFine) {
  Result<ElementArgs> parsed = ParseElementArgs({"x"}, 1, false);
  ASSERT_TRUE(parsed.ok());
  EXPECT_FALSE(parsed->key);
  EXPECT_FALSE(parsed->value);
  EXPECT_FALSE(parsed->mode);
}

TEST(ElementArgsTest, RefusesMalformedWords) {
  struct Case {
    Words words;
    bool allow_mode;
    const char* message;
  };
  for (const Case& c : std::vector<Case>{
           {{"key"}, false, "'key' needs bytes or a typed value"},
           {{"key", "value", "1"}, false, "'key' needs bytes or a typed value"},
           {{"key", "1", "key", "2"}, false, "'key' given twice"},
           {{"value", "1", "any"}, false, "'any' only goes with put"},
           {{"value", "1", "any", "noexist"}, true, "only one of any"},
           {{"frob"}, true,
            "unexpected 'frob' (expected key KEY, value VALUE, values "
            "VALUE..., any|exist|noexist or lock)"},
           {{"key", "1", "lock"}, false, "'lock' only goes with put"},
           {{"value", "1", "lock", "lock"}, true, "'lock' given twice"},
           {{"values", "1", "2"}, false, "'values' only goes with put"},
           {{"value", "1", "values", "2"}, true, "not both"},
           {{"values"}, true, "'values' needs one value per CPU"},
       }) {
    Result<ElementArgs> parsed = ParseElementArgs(c.words, 0, c.allow_mode);
    ASSERT_FALSE(parsed.ok()) << c.message;
    EXPECT_EQ(parsed.error().kind(), ErrorKind::kBadInput);
    EXPECT_NE(parsed.error().message().find(c.message), std::string::npos)
        << parsed.error().message();
  }
}

TEST(ElementArgsTest, ChecksArgsAgainstTheMap) {
  MapInfo info;
  info.id = 3;
  info.type = 22;  // queue
  ElementArgs args;
  args.key = Words{"1"};
  Status status =
      CheckElementArgs(args, info, ArgNeed::kForbidden, ArgNeed::kForbidden);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().message(),
            "map 3 is a queue map: 'key' does not apply");
  Status missing =
      CheckElementArgs(ElementArgs{}, info, ArgNeed::kForbidden,
                       ArgNeed::kRequired);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message(),
            "map 3 is a queue map: 'value VALUE' is needed");
}

}  // namespace
}  // namespace bpfmap::cli
