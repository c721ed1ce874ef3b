#include "core/entries/watch_sample.h"

#include <gtest/gtest.h>

#include <cstring>
#include <map>

#include "core/types/c_type.h"

namespace bpfmap {
namespace {

// A source of u32 -> {u64 packets; s64 level} entries, one batch per
// read, with the time of that batch set by the test.
class FakeSource : public EntrySource {
 public:
  struct Value {
    uint64_t packets;
    int64_t level;
  };
  std::map<uint32_t, Value> map;
  Result<uint32_t> Next() override {
    if (done_) return 0u;
    done_ = true;
    keys_.clear();
    values_.clear();
    for (const auto& [key, value] : map) {
      keys_.push_back(key);
      values_.push_back(value);
    }
    return static_cast<uint32_t>(keys_.size());
  }
  EntryView entry(uint32_t i) const override {
    return {reinterpret_cast<const uint8_t*>(&keys_[i]), 4,
            reinterpret_cast<const uint8_t*>(&values_[i])};
  }
  void Rewind() { done_ = false; }

 private:
  bool done_ = false;
  std::vector<uint32_t> keys_;
  std::vector<Value> values_;
};

EntryShape Shape() {
  EntryShape shape;
  shape.types.key = *ParseCType("__u32", nullptr);
  shape.types.value =
      *ParseCType("struct v { __u64 packets; __s64 level; }", nullptr);
  shape.key_size = 4;
  shape.layout.value_size = 16;
  shape.layout.stride = 16;
  return shape;
}

TEST(WatchSampleTest, DeltasRatesResetsAndNewEntries) {
  EntryShape shape = Shape();
  FakeSource source;
  TimedSource timed(source);
  WatchSampler sampler(shape, &timed);
  ASSERT_EQ(sampler.leaves().size(), 2u);
  EXPECT_EQ(sampler.leaves()[0].path, "packets");
  source.map = {{1, {100, 5}}, {2, {50, -1}}};
  ASSERT_TRUE(RunPipeline(timed, {}, shape, sampler).ok());
  ASSERT_EQ(sampler.rows().size(), 2u);
  EXPECT_EQ(sampler.motion(sampler.rows()[0])[0].state, LeafMotion::State::kFirst);
  // A second read: 1 grew by 30, 2 went down (reset), 3 is new; a signed
  // leaf that falls is a change, not a reset.
  source.map = {{1, {130, 2}}, {2, {10, -1}}, {3, {7, 0}}};
  source.Rewind();
  ASSERT_TRUE(RunPipeline(timed, {}, shape, sampler).ok());
  ASSERT_EQ(sampler.rows().size(), 3u);
  const WatchRow& one = sampler.rows()[0];
  EXPECT_EQ(sampler.motion(one)[0].state, LeafMotion::State::kMoved);
  EXPECT_EQ(sampler.motion(one)[0].delta, 30);
  EXPECT_GT(sampler.motion(one)[0].rate, 0);
  EXPECT_EQ(sampler.motion(one)[1].state, LeafMotion::State::kMoved);
  EXPECT_EQ(sampler.motion(one)[1].delta, -3);
  EXPECT_EQ(sampler.motion(sampler.rows()[1])[0].state, LeafMotion::State::kReset);
  EXPECT_EQ(sampler.motion(sampler.rows()[2])[0].state, LeafMotion::State::kFirst);
  // Sorted by the rate of packets: 1 (moved) first, the others after.
  WatchOrder order;
  order.rate_of = 0;
  SortRows(sampler, order);
  uint32_t first;
  std::memcpy(&first, sampler.view(sampler.rows()[0]).key, 4);
  EXPECT_EQ(first, 1u);
  // By the packets field, smallest first.
  order = WatchOrder{};
  order.field = *ResolveEntryField(shape, "packets", "--sort");
  order.ascending = true;
  SortRows(sampler, order);
  std::memcpy(&first, sampler.view(sampler.rows()[0]).key, 4);
  EXPECT_EQ(first, 3u);
  // Keys read at other places than before are still found by key.
  source.map = {{2, {15, 0}}, {3, {9, 0}}};
  source.Rewind();
  ASSERT_TRUE(RunPipeline(timed, {}, shape, sampler).ok());
  ASSERT_EQ(sampler.rows().size(), 2u);
  EXPECT_EQ(sampler.motion(sampler.rows()[0])[0].delta, 5);
  EXPECT_EQ(sampler.motion(sampler.rows()[1])[0].delta, 2);
}

}  // namespace
}  // namespace bpfmap
