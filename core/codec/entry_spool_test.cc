#include "core/codec/entry_spool.h"

#include <gtest/gtest.h>
#include <stdlib.h>

namespace bpfmap {
namespace {

PackedEntries MakeRun(size_t first, size_t count, bool with_lines) {
  PackedEntries run;
  run.key_size = 4;
  run.value_stride = 8;
  run.first = first;
  run.count = count;
  run.source = "snap";
  for (size_t i = 0; i < count; ++i) {
    for (int b = 0; b < 4; ++b)
      run.keys.push_back(static_cast<uint8_t>(first + i + b));
    for (int b = 0; b < 8; ++b)
      run.values.push_back(static_cast<uint8_t>(i * b));
    if (with_lines) run.lines.push_back(static_cast<uint32_t>(first + i + 1));
  }
  return run;
}

TEST(EntrySpoolTest, GivesBackEachRunAsItWasAppended) {
  Result<EntrySpool> spool = EntrySpool::Create();
  ASSERT_TRUE(spool.ok()) << spool.error().Describe();
  std::vector<PackedEntries> runs = {
      MakeRun(0, 1000, true), MakeRun(1000, 3, false), MakeRun(1003, 0, false),
      MakeRun(1003, 70, true)};
  for (const PackedEntries& run : runs) ASSERT_TRUE(spool->Append(run).ok());
  ASSERT_TRUE(spool->Rewind().ok());
  PackedEntries read;
  read.key_size = 4;
  read.value_stride = 8;
  read.source = "snap";
  for (const PackedEntries& run : runs) {
    Result<bool> more = spool->Next(read);
    ASSERT_TRUE(more.ok() && *more);
    EXPECT_EQ(read.count, run.count);
    EXPECT_EQ(read.first, run.first);
    EXPECT_EQ(read.keys, run.keys);
    EXPECT_EQ(read.values, run.values);
    EXPECT_EQ(read.lines, run.lines);
  }
  EXPECT_EQ(read.OriginOf(2), "snap:1006");
  Result<bool> end = spool->Next(read);
  ASSERT_TRUE(end.ok());
  EXPECT_FALSE(*end);
}

TEST(EntrySpoolTest, ARunOfAnotherShapeIsRefused) {
  Result<EntrySpool> spool = EntrySpool::Create();
  ASSERT_TRUE(spool.ok());
  ASSERT_TRUE(spool->Append(MakeRun(0, 5, false)).ok());
  ASSERT_TRUE(spool->Rewind().ok());
  PackedEntries read;
  read.key_size = 8;
  read.value_stride = 8;
  EXPECT_FALSE(spool->Next(read).ok());
}

TEST(EntrySpoolTest, ADirectoryThatIsNotThereIsNamed) {
  const char* old = getenv("TMPDIR");
  std::string saved = old != nullptr ? old : "";
  setenv("TMPDIR", "/nonexistent-bpfmap-dir", 1);
  Result<EntrySpool> spool = EntrySpool::Create();
  if (old != nullptr) {
    setenv("TMPDIR", saved.c_str(), 1);
  } else {
    unsetenv("TMPDIR");
  }
  ASSERT_FALSE(spool.ok());
  EXPECT_NE(spool.error().Describe().find(
                "create a temporary file in /nonexistent-bpfmap-dir"),
            std::string::npos)
      << spool.error().Describe();
}

}  // namespace
}  // namespace bpfmap
