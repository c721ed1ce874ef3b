#include "core/codec/entry_file.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "core/types/c_type.h"

namespace bpfmap {
namespace {

EntryFileSpec Untyped(uint32_t key_size, uint32_t value_size) {
  EntryFileSpec spec;
  spec.key_size = key_size;
  spec.layout = {value_size, 1, value_size, false};
  return spec;
}

TypeRef Type(std::string_view text) { return *ParseCType(text, nullptr); }

TEST(EntryFileTest, ReadsWhatDumpPrintsAsNdjson) {
  Result<PackedEntries> entries = ReadEntryText(
      "{\"key\":\"01000000\",\"value\":\"2a00\"}\n"
      "\n"
      "  { \"value\" : \"ffff\" , \"key\" : \"02000000\" }  \n",
      "snap", Untyped(4, 2));
  ASSERT_TRUE(entries.ok()) << entries.error().message();
  ASSERT_EQ(entries->count, 2u);
  EXPECT_EQ(entries->keys, (Bytes{1, 0, 0, 0, 2, 0, 0, 0}));
  EXPECT_EQ(entries->values, (Bytes{0x2a, 0, 0xff, 0xff}));
  EXPECT_EQ(entries->OriginOf(1), "snap:3");
}

// put --file reads a file a run at a time, and a large one as two halves:
// runs carry their place in the file, and a half numbers its lines after
// the lines before it.
TEST(EntryFileTest, RunsAndRangesKeepTheirPlaceInTheFile) {
  std::string text = "\n\n";
  for (int i = 0; i < 7; ++i) {
    text += "{\"key\":\"0" + std::to_string(i) + "\",\"value\":\"00\"}\n";
  }
  std::FILE* in = fmemopen(text.data(), text.size(), "r");
  ASSERT_NE(in, nullptr);
  std::vector<std::string> seen;
  Status read = ReadEntryRuns(
      in, "snap", Untyped(1, 1), 3, [&](const PackedEntries& run) {
        seen.push_back(std::to_string(run.count) + "@" + run.OriginOf(0));
        return OkStatus();
      });
  std::fclose(in);
  ASSERT_TRUE(read.ok()) << read.error().message();
  EXPECT_EQ(seen,
            (std::vector<std::string>{"3@snap:3", "3@snap:6", "1@snap:9"}));
  // Lines 6 to 9 alone, after the five before them.
  size_t start = text.find("{\"key\":\"03\"");
  in = fmemopen(text.data() + start, text.size() - start, "r");
  seen.clear();
  LineRange range;
  range.bytes = text.find("{\"key\":\"05\"") - start;
  range.lines_before = 5;
  read = ReadEntryRuns(
      in, "snap", Untyped(1, 1), 10,
      [&](const PackedEntries& run) {
        seen.push_back(std::to_string(run.count) + "@" + run.OriginOf(0));
        return OkStatus();
      },
      range);
  std::fclose(in);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(seen, (std::vector<std::string>{"2@snap:6"}));
  // A part of a file is lines: one that starts with '[' is a bad entry
  // there, not the start of an array.
  std::string array_line = "[{\"key\":\"01\",\"value\":\"00\"}]\n";
  in = fmemopen(array_line.data(), array_line.size(), "r");
  range = LineRange();
  range.lines_before = 41;
  range.lines_only = true;
  read = ReadEntryRuns(
      in, "snap", Untyped(1, 1), 10,
      [](const PackedEntries&) { return OkStatus(); }, range);
  std::fclose(in);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(
      read.error().message().rfind("snap:42: an entry is a JSON object", 0), 0u)
      << read.error().message();
  // What a run's consumer refuses stops the read with its error.
  in = fmemopen(text.data(), text.size(), "r");
  read = ReadEntryRuns(in, "snap", Untyped(1, 1), 2,
                       [&](const PackedEntries&) -> Status {
                         return Error::BadInput("no room");
                       });
  std::fclose(in);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error().message(), "no room");
}

TEST(EntryFileTest, ReadsAJsonArrayAndTypedEntries) {
  EntryFileSpec spec = Untyped(4, 8);
  TypeRef key = Type("u32");
  TypeRef value = Type("struct { u32 a; s32 b; }");
  spec.key_type = key.get();
  spec.value_type = value.get();
  Result<PackedEntries> entries = ReadEntryText(
      R"([{"key": 1, "value": {"a": 2, "b": -1}}, {"key": 3, "value": {}}])",
      "snap", spec);
  ASSERT_TRUE(entries.ok()) << entries.error().message();
  ASSERT_EQ(entries->count, 2u);
  EXPECT_EQ(entries->values,
            (Bytes{2, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(entries->OriginOf(1), "snap: entry 2");
  // Plain integers take the fast path; the result is the same.
  Result<PackedEntries> fast = ReadEntryText(
      "{\"key\":7,\"value\":{\"a\":1}}\n{\"key\":8,\"value\":{\"b\":2}}\n",
      "snap", spec);
  ASSERT_TRUE(fast.ok()) << fast.error().message();
  EXPECT_EQ(fast->keys, (Bytes{7, 0, 0, 0, 8, 0, 0, 0}));
}

TEST(EntryFileTest, PerCpuValuesAsDumpPrintsThem) {
  EntryFileSpec spec = Untyped(1, 2);
  spec.layout = {2, 2, 8, true};
  Result<PackedEntries> entries = ReadEntryText(
      "{\"key\":\"01\",\"values\":[{\"cpu\":0,\"value\":\"0100\"},"
      "{\"cpu\":1,\"value\":\"0200\"}]}\n"
      "{\"key\":\"02\",\"value\":\"0300\"}\n",
      "snap", spec);
  ASSERT_TRUE(entries.ok()) << entries.error().message();
  ASSERT_EQ(entries->count, 2u);
  EXPECT_EQ(entries->values, (Bytes{1, 0, 0, 0, 0, 0, 0, 0,  // cpu 0
                                    2, 0, 0, 0, 0, 0, 0, 0,  // cpu 1
                                    3, 0, 0, 0, 0, 0, 0, 0,  // to every CPU
                                    3, 0, 0, 0, 0, 0, 0, 0}));
}

TEST(EntryFileTest, KeysOnlyForDelete) {
  EntryFileSpec spec = Untyped(2, 4);
  spec.need_value = false;
  Result<PackedEntries> entries = ReadEntryText(
      "{\"key\":\"0100\",\"value\":\"not even hex\"}\n{\"key\":\"0200\"}\n",
      "keys", spec);
  ASSERT_TRUE(entries.ok()) << entries.error().message();
  EXPECT_EQ(entries->keys, (Bytes{1, 0, 2, 0}));
  EXPECT_TRUE(entries->values.empty());
}

TEST(EntryFileTest, TheFirstBadEntryIsNamed) {
  struct Case {
    std::string text;
    const char* message;
  };
  TypeRef port = Type("u16");
  for (const Case& c : std::vector<Case>{
           {"{\"key\":\"0100\",\"value\":\"0000\"}\n{\"key\":\"0100\"}",
            "snap:2: the entry has no \"value\""},
           {"{\"key\":\"0100\",\"value\":\"0000\"}\n{\"key\":\"zz00\","
            "\"value\":\"0000\"}",
            "snap:2: key: \"zz00\" is not 2 bytes as a string of hex digits"},
           {"{\"key\":\"0100\",\"value\":\"0000\",\"extra\":1}",
            "snap:1: unexpected member \"extra\""},
           {"{\"key\":\"0100\",\"key\":\"0100\",\"value\":\"0000\"}",
            "snap:1: \"key\" given twice"},
           {"{\"key\":\"0100\",\"value\":\"0000\"}\n[1]",
            "snap:2: an entry is a JSON object"},
           {"{\"key\":\"0100\",\"value\":\"0000\"}\n{\"key\":",
            "snap:2: invalid JSON"},
           {"[{\"key\":\"0100\",\"value\":\"0000\"},{\"key\":\"0100\"}]",
            "snap: entry 2: the entry has no \"value\""},
           {"[{\"key\":\"0100\",\"value\":\"0000\"},", "snap: invalid JSON"},
           {"{\"key\":\"0100\",\"values\":[]}",
            "snap:1: \"values\" is for per-CPU maps"},
           {std::string("\x01\x02\xff\n", 4), "snap:1: invalid JSON"},
           {std::string("{\"key\":\"0100\",\"value\":\"0000\"}\0junk", 34),
            "snap:1: invalid JSON at byte 30: a NUL byte"},
           {"\v{\"key\":\"0100\",\"value\":\"0000\"}", "snap:1: invalid JSON"},
       }) {
    Result<PackedEntries> entries = ReadEntryText(c.text, "snap", Untyped(2, 2));
    ASSERT_FALSE(entries.ok()) << c.text;
    EXPECT_EQ(entries.error().kind(), ErrorKind::kBadInput);
    EXPECT_NE(entries.error().message().find(c.message), std::string::npos)
        << entries.error().message();
  }
  EntryFileSpec typed = Untyped(2, 2);
  typed.key_type = port.get();
  Result<PackedEntries> range = ReadEntryText(
      "{\"key\":1,\"value\":\"0000\"}\n{\"key\":70000,\"value\":\"0000\"}\n",
      "snap", typed);
  ASSERT_FALSE(range.ok());
  EXPECT_NE(range.error().message().find(
                "snap:2: key: 70000 does not fit in u16"),
            std::string::npos)
      << range.error().message();
}

TEST(EntryFileTest, ReadsFromAFile) {
  std::FILE* file = tmpfile();
  std::fputs("[{\"key\":\"0100\",\"value\":\"0200\"}]", file);
  std::rewind(file);
  size_t count = 0;
  Status read = ReadEntryRuns(file, "f", Untyped(2, 2), 16,
                              [&](const PackedEntries& run) {
                                count += run.count;
                                return OkStatus();
                              });
  std::fclose(file);
  ASSERT_TRUE(read.ok()) << read.error().message();
  EXPECT_EQ(count, 1u);
}

}  // namespace
}  // namespace bpfmap
