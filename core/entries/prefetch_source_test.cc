#include "core/entries/prefetch_source.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace bpfmap {
namespace {

// `total` entries in batches of `batch`: key i (4 bytes), value 3 * i (8
// bytes); fails with `fail_at` (an entry index) if given. Each Next()
// sleeps a little, as a syscall would, so reading and consuming overlap.
class CountingSource : public EntrySource {
 public:
  CountingSource(uint32_t total, uint32_t batch, int64_t fail_at = -1)
      : total_(total), batch_(batch), fail_at_(fail_at) {}
  Result<uint32_t> Next() override {
    std::this_thread::sleep_for(std::chrono::microseconds(50));
    if (fail_at_ >= 0 && next_ + batch_ > static_cast<uint64_t>(fail_at_)) {
      return Error::System(EIO, "the source broke");
    }
    first_ = next_;
    uint32_t count = std::min(batch_, total_ - next_);
    keys_.resize(count);
    values_.resize(count);
    for (uint32_t i = 0; i < count; ++i) {
      keys_[i] = first_ + i;
      values_[i] = uint64_t{first_ + i} * 3;
    }
    next_ += count;
    return count;
  }
  EntryView entry(uint32_t i) const override {
    return {reinterpret_cast<const uint8_t*>(&keys_[i]), 4,
            reinterpret_cast<const uint8_t*>(&values_[i])};
  }
  bool Exhausted() const override { return next_ == total_; }

 private:
  uint32_t total_, batch_;
  int64_t fail_at_;
  uint32_t next_ = 0, first_ = 0;
  std::vector<uint32_t> keys_;
  std::vector<uint64_t> values_;
};

// Reads `source` to its end: "key=value" per entry, or the error.
std::vector<std::string> ReadAll(EntrySource& source, std::string* error) {
  std::vector<std::string> seen;
  while (true) {
    Result<uint32_t> got = source.Next();
    if (!got.ok()) {
      *error = got.error().Describe();
      return seen;
    }
    if (*got == 0) return seen;
    for (uint32_t i = 0; i < *got; ++i) {
      EntryView entry = source.entry(i);
      uint32_t key;
      uint64_t value;
      std::memcpy(&key, entry.key, 4);
      std::memcpy(&value, entry.value, 8);
      seen.push_back(std::to_string(key) + "=" + std::to_string(value));
    }
  }
}

TEST(PrefetchSourceTest, GivesWhatTheSourceGivesInOrder) {
  CountingSource plain(10000, 128);
  std::string error;
  std::vector<std::string> expected = ReadAll(plain, &error);
  ASSERT_EQ(expected.size(), 10000u);
  PrefetchSource prefetched(std::make_unique<CountingSource>(10000, 128), 4,
                            8);
  EXPECT_EQ(ReadAll(prefetched, &error), expected);
  EXPECT_TRUE(prefetched.threaded());
  EXPECT_EQ(error, "");
  // After the end, the end again.
  Result<uint32_t> again = prefetched.Next();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0u);
}

TEST(PrefetchSourceTest, OneBatchStartsNoThread) {
  PrefetchSource prefetched(std::make_unique<CountingSource>(100, 128), 4, 8);
  std::string error;
  EXPECT_EQ(ReadAll(prefetched, &error).size(), 100u);
  EXPECT_FALSE(prefetched.threaded());
}

TEST(PrefetchSourceTest, AnErrorComesAfterTheEntriesBeforeIt) {
  PrefetchSource prefetched(
      std::make_unique<CountingSource>(10000, 128, /*fail_at=*/1000), 4, 8);
  std::string error;
  std::vector<std::string> seen = ReadAll(prefetched, &error);
  EXPECT_EQ(seen.size(), 896u);  // the 7 whole batches before entry 1000
  EXPECT_EQ(error, "the source broke: Input/output error");
}

TEST(PrefetchSourceTest, StoppingEarlyEndsTheReader) {
  // A consumer that takes two batches of a long source and goes: the
  // destructor must not wait for the rest.
  auto start = std::chrono::steady_clock::now();
  {
    PrefetchSource prefetched(
        std::make_unique<CountingSource>(100000000, 128), 4, 8);
    ASSERT_TRUE(prefetched.Next().ok());
    ASSERT_TRUE(prefetched.Next().ok());
    EXPECT_TRUE(prefetched.threaded());
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

}  // namespace
}  // namespace bpfmap
