#include "core/entries/entry_diff.h"

#include <gtest/gtest.h>

namespace bpfmap {
namespace {

Literal Entry(const std::string& json) { return *ParseJsonLiteral(json); }

TEST(EntryDiffTest, AddedRemovedChangedWithDeltas) {
  EntryDiff diff;
  ASSERT_TRUE(diff.AddOld(Entry(R"({"key":1,"value":{"n":5,"s":"a"}})"), "a:1")
                  .ok());
  ASSERT_TRUE(diff.AddOld(Entry(R"({"key":2,"value":{"n":7,"s":"b"}})"), "a:2")
                  .ok());
  ASSERT_TRUE(diff.AddOld(Entry(R"({"key":3,"value":{"n":1,"s":"c"}})"), "a:3")
                  .ok());
  auto same = diff.CompareNew(Entry(R"({"key":3,"value":{"n":1,"s":"c"}})"),
                              "b:1");
  ASSERT_TRUE(same.ok());
  EXPECT_FALSE(same->has_value());
  auto changed = diff.CompareNew(
      Entry(R"({"key":1,"value":{"n":2,"s":"x"}})"), "b:2");
  ASSERT_TRUE(changed.ok() && changed->has_value());
  const EntryDifference& c = **changed;
  EXPECT_EQ(c.kind, EntryDifference::Kind::kChanged);
  EXPECT_EQ(c.key_json, "1");
  EXPECT_EQ(c.old_json, R"({"n":5,"s":"a"})");
  EXPECT_EQ(c.new_json, R"({"n":2,"s":"x"})");
  ASSERT_EQ(c.leaves.size(), 2u);
  EXPECT_EQ(c.leaves[0].path, "n");
  EXPECT_EQ(c.leaves[0].delta, "-3");
  EXPECT_EQ(c.leaves[1].path, "s");
  EXPECT_EQ(c.leaves[1].old_json, "\"a\"");
  EXPECT_EQ(c.leaves[1].delta, "");
  auto added = diff.CompareNew(Entry(R"({"key":9,"value":{"n":0,"s":""}})"),
                               "b:3");
  ASSERT_TRUE(added.ok() && added->has_value());
  EXPECT_EQ((*added)->kind, EntryDifference::Kind::kAdded);
  std::vector<EntryDifference> removed = diff.TakeRemoved();
  ASSERT_EQ(removed.size(), 1u);
  EXPECT_EQ(removed[0].key_json, "2");
  EXPECT_EQ(removed[0].old_json, R"({"n":7,"s":"b"})");
  EXPECT_EQ(diff.counts().added, 1u);
  EXPECT_EQ(diff.counts().removed, 1u);
  EXPECT_EQ(diff.counts().changed, 1u);
  EXPECT_EQ(diff.counts().unchanged, 1u);
  EXPECT_FALSE(diff.counts().equal());
}

TEST(EntryDiffTest, PerCpuValuesAndWideNumbers) {
  std::vector<LeafChange> leaves;
  CompareValues(*ParseJsonLiteral(
                    R"([{"cpu":0,"value":10},{"cpu":1,"value":18446744073709551615}])"),
                *ParseJsonLiteral(
                    R"([{"cpu":0,"value":10},{"cpu":1,"value":0}])"),
                "values", leaves);
  ASSERT_EQ(leaves.size(), 1u);
  EXPECT_EQ(leaves[0].path, "values[1].value");
  EXPECT_EQ(leaves[0].delta, "-18446744073709551615");
  leaves.clear();
  CompareValues(*ParseJsonLiteral("1.5"), *ParseJsonLiteral("2"), "value",
                leaves);
  ASSERT_EQ(leaves.size(), 1u);
  EXPECT_EQ(leaves[0].delta, "0.5");
  leaves.clear();
  CompareValues(*ParseJsonLiteral("[1,2]"), *ParseJsonLiteral("[1,2,3]"),
                "value", leaves);
  ASSERT_EQ(leaves.size(), 1u);
  EXPECT_EQ(leaves[0].new_json, "[1,2,3]");
}

TEST(EntryDiffTest, ErrorsNameWhere) {
  EntryDiff diff;
  EXPECT_EQ(diff.AddOld(Entry(R"({"k":1})"), "snap:4").error().message(),
            "snap:4: not an entry as dump prints one ({\"key\": ..., "
            "\"value\": ...})");
  ASSERT_TRUE(diff.AddOld(Entry(R"({"key":1,"value":2})"), "snap:1").ok());
  EXPECT_EQ(diff.AddOld(Entry(R"({"key":1,"value":3})"), "snap:2")
                .error()
                .message(),
            "snap:2: key 1 is there twice");
  ASSERT_TRUE(diff.CompareNew(Entry(R"({"key":5,"value":2})"), "b:1").ok());
  EXPECT_FALSE(diff.CompareNew(Entry(R"({"key":5,"value":2})"), "b:2").ok());
}

}  // namespace
}  // namespace bpfmap
