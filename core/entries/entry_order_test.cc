#include "core/entries/entry_order.h"

#include <gtest/gtest.h>

#include <cstring>

#include "core/types/c_type.h"

namespace bpfmap {
namespace {

// Collects what reaches the end of a pipeline: each entry's key (a u32).
class KeysSink : public EntrySink {
 public:
  void BeginDump(const EntryShape&) override { began = true; }
  void DumpEntry(const EntryView& entry) override {
    uint32_t key;
    std::memcpy(&key, entry.key, sizeof(key));
    keys.push_back(key);
  }
  void EndDump() override { ended = true; }
  void BeginInnerDump(const EntryView&, uint32_t) override {}
  void EndInnerDump() override {}
  void FlushDump() override {}
  bool Writable() const override { return true; }
  std::vector<uint32_t> keys;
  bool began = false, ended = false;
};

EntryShape CounterShape() {
  EntryShape shape;
  shape.types.key = *ParseCType("__u32", nullptr);
  shape.types.value = *ParseCType("__u64", nullptr);
  shape.key_size = 4;
  shape.layout.value_size = 8;
  shape.layout.stride = 8;
  return shape;
}

std::vector<uint32_t> Sorted(const std::vector<uint64_t>& values,
                             bool ascending, std::optional<size_t> limit) {
  EntryShape shape = CounterShape();
  EntryOrder order{*ResolveEntryField(shape, "value", "--sort"), ascending};
  KeysSink keys;
  SortingSink sink(keys, order, limit, shape);
  sink.BeginDump(shape);
  for (uint32_t i = 0; i < values.size(); ++i) {
    sink.DumpEntry({reinterpret_cast<const uint8_t*>(&i), 4,
                    reinterpret_cast<const uint8_t*>(&values[i])});
  }
  sink.EndDump();
  EXPECT_TRUE(keys.began && keys.ended);
  return keys.keys;
}

TEST(EntryOrderTest, GreatestFirstTiesInOrderRead) {
  EXPECT_EQ(Sorted({5, 9, 5, 1, 9}, false, std::nullopt),
            (std::vector<uint32_t>{1, 4, 0, 2, 3}));
  EXPECT_EQ(Sorted({5, 9, 5, 1, 9}, true, std::nullopt),
            (std::vector<uint32_t>{3, 0, 2, 1, 4}));
  EXPECT_EQ(Sorted({5, 9, 5, 1, 9}, false, 2), (std::vector<uint32_t>{1, 4}));
  EXPECT_EQ(Sorted({5, 9, 5, 1, 9}, false, 0), (std::vector<uint32_t>{}));
}

TEST(EntryOrderTest, ALimitHoldsFewEntriesOfMany) {
  std::vector<uint64_t> values;
  for (uint64_t i = 0; i < 100000; ++i) values.push_back((i * 7919) % 100003);
  std::vector<uint32_t> top = Sorted(values, false, 3);
  ASSERT_EQ(top.size(), 3u);
  EXPECT_GE(values[top[0]], values[top[1]]);
  EXPECT_GE(values[top[1]], values[top[2]]);
  uint64_t third = values[top[2]];
  size_t greater = 0;
  for (uint64_t v : values) greater += v > third;
  EXPECT_EQ(greater, 2u);
}

TEST(EntryOrderTest, LimitStageIsDoneAfterN) {
  LimitStage stage(2);
  uint32_t key = 1;
  uint64_t value = 1;
  EntryView view{reinterpret_cast<uint8_t*>(&key), 4,
                 reinterpret_cast<uint8_t*>(&value)};
  EXPECT_FALSE(stage.Done());
  EXPECT_TRUE(stage.Apply(view).has_value());
  EXPECT_TRUE(stage.Apply(view).has_value());
  EXPECT_TRUE(stage.Done());
  EXPECT_FALSE(stage.Apply(view).has_value());
}

}  // namespace
}  // namespace bpfmap
