#include "core/entries/histogram.h"

#include <gtest/gtest.h>

#include <cstring>

#include "core/types/c_type.h"

namespace bpfmap {
namespace {

EntryShape ShapeOf(const char* key, const char* value, uint32_t cpus = 1) {
  EntryShape shape;
  shape.types.key = *ParseCType(key, nullptr);
  shape.types.value = *ParseCType(value, nullptr);
  shape.layout.value_size = shape.types.value->size;
  shape.layout.stride = (shape.layout.value_size + 7) / 8 * 8;
  shape.layout.cpus = cpus;
  shape.layout.per_cpu = cpus > 1;
  return shape;
}

TEST(HistogramTest, WordsAfterHist) {
  Result<HistogramSpec> spec = ParseHistogramWords({"linear:5", "slots"});
  ASSERT_TRUE(spec.ok());
  EXPECT_EQ(spec->scale, HistogramScale::kLinear);
  EXPECT_EQ(spec->step, 5u);
  EXPECT_EQ(spec->field, "slots");
  spec = ParseHistogramWords({});
  ASSERT_TRUE(spec.ok());
  EXPECT_EQ(spec->scale, HistogramScale::kLog2);
  EXPECT_EQ(spec->field, "");
  EXPECT_EQ(ParseHistogramWords({"linear:0"}).error().message(),
            "--hist: 'linear:0': STEP is a number from 1 to 4294967295");
  EXPECT_EQ(ParseHistogramWords({"log2", "a", "b"}).error().message(),
            "--hist: 'b' after the field; it takes [log2|linear[:STEP]] "
            "[FIELD]");
}

TEST(HistogramTest, ValuesThatAreArraysOfCountersPerKey) {
  EntryShape shape =
      ShapeOf("struct hist_key { __u32 cmd_flags; __u32 dev; }",
              "struct hist { __u32 slots[27]; }");
  Result<HistogramPlan> plan = HistogramPlan::For(shape, HistogramSpec{});
  ASSERT_TRUE(plan.ok()) << plan.error().Describe();
  EXPECT_TRUE(plan->per_key());
  EXPECT_EQ(plan->field(), "value.slots");
  EXPECT_EQ(plan->label(), "slots");
  HistogramCollector collector(*plan);
  uint8_t key[8] = {1};
  uint32_t value[27] = {};
  value[3] = 7;
  value[5] = 2;
  collector.DumpEntry({key, 8, reinterpret_cast<uint8_t*>(value)});
  Result<std::vector<Histogram>> done = collector.Finish();
  ASSERT_TRUE(done.ok());
  ASSERT_EQ(done->size(), 1u);
  EXPECT_EQ((*done)[0].counts[3], 7u);
  std::vector<HistogramBucket> buckets =
      BucketsOf((*done)[0], HistogramScale::kLog2, 1);
  ASSERT_EQ(buckets.size(), 6u);
  EXPECT_EQ(buckets[3].low, 8u);
  EXPECT_EQ(buckets[3].high, 15u);
  EXPECT_EQ(buckets[0].low, 0u);
  EXPECT_EQ(buckets[0].high, 1u);
}

TEST(HistogramTest, KeyedBySlotPerCpuSummed) {
  EntryShape shape = ShapeOf("__u32", "__u64", 2);
  Result<HistogramPlan> plan = HistogramPlan::For(shape, HistogramSpec{});
  ASSERT_TRUE(plan.ok()) << plan.error().Describe();
  EXPECT_FALSE(plan->per_key());
  HistogramCollector collector(*plan);
  for (uint32_t slot : {2u, 0u}) {
    uint64_t values[2] = {slot + 1, 10};
    collector.DumpEntry({reinterpret_cast<uint8_t*>(&slot), 4,
                         reinterpret_cast<uint8_t*>(values)});
  }
  Result<std::vector<Histogram>> done = collector.Finish();
  ASSERT_TRUE(done.ok());
  ASSERT_EQ(done->size(), 1u);
  EXPECT_EQ((*done)[0].counts, (std::vector<uint64_t>{11, 0, 13}));
}

TEST(HistogramTest, AKeyThatIsNoSlot) {
  EntryShape shape = ShapeOf("__u32", "__u64");
  Result<HistogramPlan> plan = HistogramPlan::For(shape, HistogramSpec{});
  ASSERT_TRUE(plan.ok());
  HistogramCollector collector(*plan);
  uint32_t key = 1000000;
  uint64_t value = 1;
  collector.DumpEntry({reinterpret_cast<uint8_t*>(&key), 4,
                       reinterpret_cast<uint8_t*>(&value)});
  EXPECT_EQ(collector.Finish().error().message(),
            "--hist: key 1000000 is not a slot (0 to 65535): is this map a "
            "histogram?");
}

TEST(HistogramTest, Log2EndsAtSlot63) {
  EntryShape shape = ShapeOf("__u32", "__u64");
  Result<HistogramPlan> plan = HistogramPlan::For(shape, HistogramSpec{});
  ASSERT_TRUE(plan.ok());
  HistogramCollector collector(*plan);
  uint32_t key = 70;
  uint64_t value = 1;
  collector.DumpEntry({reinterpret_cast<uint8_t*>(&key), 4,
                       reinterpret_cast<uint8_t*>(&value)});
  EXPECT_EQ(collector.Finish().error().message(),
            "--hist: slot 70 has a count, but log2 slots end at 63 (2^63 to "
            "2^64-1); is it linear? (--hist linear:STEP)");
}

TEST(HistogramTest, BytesAreNoCountersUnlessNamed) {
  // A MAC (u8[6]) beside counters: no histogram of its bytes.
  EntryShape shape = ShapeOf(
      "__u32", "struct v { __u64 packets; __u64 bytes; __u8 h_source[6]; }");
  Result<HistogramPlan> plan = HistogramPlan::For(shape, HistogramSpec{});
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.error().message(),
            "--hist: which field holds the counters? (fields: value.packets, "
            "value.bytes); give it: --hist log2 FIELD");
  HistogramSpec spec;
  spec.field = "h_source";
  EXPECT_TRUE(HistogramPlan::For(shape, spec).ok());
}

TEST(HistogramTest, CountersThatCannotBe) {
  auto error = [](const char* key, const char* value, const char* field) {
    EntryShape shape = ShapeOf(key, value);
    HistogramSpec spec;
    spec.field = field;
    Result<HistogramPlan> plan = HistogramPlan::For(shape, spec);
    return plan.ok() ? std::string("ok") : plan.error().message();
  };
  EXPECT_EQ(error("struct k { __u32 dev; }", "struct h { __u32 slots[4]; }",
                  "dev"),
            "--hist: key.dev is in the key; the counters are in the value "
            "(value.slots)");
  EXPECT_EQ(error("struct k { __u32 a; __u32 b; }", "__u64", ""),
            "--hist: value is one counter, so the key must be its slot (an "
            "integer), but the key is struct k");
  EXPECT_EQ(error("__u32", "struct v { double d; __u32 n; }", "d"),
            "--hist: value.d is double, not an array of integers or an "
            "integer");
  EntryShape untyped = ShapeOf("__u32", "__u64");
  untyped.types.value = nullptr;
  EXPECT_EQ(HistogramPlan::For(untyped, HistogramSpec{}).error().message(),
            "--hist needs the value's type, and the map has no BTF for it; "
            "give --value-type (e.g. --value-type 'struct { u32 slots[27]; "
            "}')");
}

TEST(HistogramTest, WhichFieldWhenSeveral) {
  EntryShape shape = ShapeOf("__u32", "struct v { __u32 a[4]; __u32 b[4]; }");
  Result<HistogramPlan> plan = HistogramPlan::For(shape, HistogramSpec{});
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.error().message(),
            "--hist: which field holds the counters? (fields: value.a, "
            "value.b); give it: --hist log2 FIELD");
  HistogramSpec spec;
  spec.field = "b";
  plan = HistogramPlan::For(shape, spec);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->field(), "value.b");
}

}  // namespace
}  // namespace bpfmap
