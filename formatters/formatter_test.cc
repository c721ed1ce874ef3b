// Every formatter on fixed data; no kernel.
#include "formatters/formatter.h"

#include <gtest/gtest.h>
#include <stdio.h>

#include <cerrno>
#include <nlohmann/json.hpp>

namespace bpfmap {
namespace {

using ::nlohmann::json;

class FormatterTest : public ::testing::Test {
 protected:
  // Runs `print` against a fresh formatter of `format` and returns the text.
  template <typename Fn>
  std::string Print(OutputFormat format, Fn print, bool pretty = false) {
    char* data = nullptr;
    size_t size = 0;
    std::FILE* file = open_memstream(&data, &size);
    {
      OutputSink sink(file);
      OutputSink err(file);  // notes land in the same text, after the data
      FormatterOptions options;
      options.format = format;
      options.pretty = pretty;
      options.terminal = terminal_;
      options.width = width_;
      std::unique_ptr<Formatter> formatter =
          MakeFormatter(options, sink, err);
      print(*formatter);
    }
    std::fclose(file);
    std::string text(data, size);
    free(data);
    return text;
  }

  // Untyped shapes: one value, or one per CPU.
  static EntryShape Plain(uint32_t size) {
    EntryShape shape;
    shape.layout = {size, 1, size, false};
    return shape;
  }
  static EntryShape PerCpu(uint32_t size, uint32_t cpus) {
    EntryShape shape;
    shape.layout = {size, cpus, (size + 7) / 8 * 8, true};
    return shape;
  }
  bool terminal_ = false;
  size_t width_ = 80;

  static MapInfo Info() {
    MapInfo info;
    info.id = 7;
    info.type = 1;
    info.name = "flows";
    info.flags = 1;
    info.key_size = 4;
    info.value_size = 8;
    info.max_entries = 64;
    info.memlock = 4096;
    return info;
  }
};

const MapEntry kEntry = {{1, 0, 0, 0}, {0xaa, 0xbb}};

TEST_F(FormatterTest, PlainEntry) {
  EXPECT_EQ(Print(OutputFormat::kPlain,
                  [](Formatter& f) { f.PrintEntry(ViewOf(kEntry), Plain(2)); }),
            "key: 01 00 00 00  value: aa bb\n");
  MapEntry keyless = {{}, {5, 6}};
  EXPECT_EQ(Print(OutputFormat::kPlain,
                  [&](Formatter& f) { f.PrintEntry(ViewOf(keyless), Plain(2)); }),
            "value: 05 06\n");
}

TEST_F(FormatterTest, PerCpuValuesStayOnOneLine) {
  MapEntry entry = {{1}, {1, 2, 0, 0, 0, 0, 0, 0, 3, 4, 0, 0, 0, 0, 0, 0}};
  EXPECT_EQ(Print(OutputFormat::kPlain,
                  [&](Formatter& f) { f.PrintEntry(ViewOf(entry), PerCpu(2, 2)); }),
            "key: 01  value (cpu 0): 01 02  value (cpu 1): 03 04\n");
  EXPECT_EQ(json::parse(Print(OutputFormat::kJson,
                              [&](Formatter& f) {
                                f.PrintEntry(ViewOf(entry), PerCpu(2, 2));
                              })),
            json::parse(R"({"key":"01","values":[{"cpu":0,"value":"0102"},
                                                 {"cpu":1,"value":"0304"}]})"));
  EXPECT_EQ(json::parse(Print(OutputFormat::kBpftool,
                              [&](Formatter& f) {
                                f.PrintEntry(ViewOf(entry), PerCpu(2, 2));
                              })),
            json::parse(R"({"key":["0x01"],"values":[
                {"cpu":0,"value":["0x01","0x02"]},
                {"cpu":1,"value":["0x03","0x04"]}]})"));
}

TEST_F(FormatterTest, DumpInEveryFormat) {
  auto dump = [](Formatter& f) {
    f.BeginDump(Plain(2));
    f.DumpEntry(ViewOf(kEntry));
    f.DumpEntry(ViewOf(kEntry));
    f.EndDump();
  };
  EXPECT_EQ(Print(OutputFormat::kPlain, dump),
            "key: 01 00 00 00  value: aa bb\nkey: 01 00 00 00  value: aa bb\n");
  EXPECT_EQ(Print(OutputFormat::kJson, dump),
            R"([{"key":"01000000","value":"aabb"},{"key":"01000000","value":"aabb"}])"
            "\n");
  EXPECT_EQ(json::parse(Print(OutputFormat::kBpftool, dump))[1],
            json::parse(R"({"key":["0x01","0x00","0x00","0x00"],
                            "value":["0xaa","0xbb"]})"));
  auto empty = [](Formatter& f) {
    f.BeginDump(Plain(2));
    f.EndDump();
  };
  EXPECT_EQ(Print(OutputFormat::kPlain, empty), "");
  EXPECT_EQ(Print(OutputFormat::kJson, empty), "[]\n");
  EXPECT_EQ(Print(OutputFormat::kJson, empty, /*pretty=*/true), "[]\n");
}

TEST_F(FormatterTest, MapInfoInEveryFormat) {
  auto show = [](Formatter& f) { f.PrintMapInfo(Info()); };
  EXPECT_EQ(Print(OutputFormat::kPlain, show),
            "id 7  type hash  name flows  flags 0x1  key 4B  value 8B  "
            "max_entries 64  memlock 4096B  btf_id 0  frozen no\n");
  EXPECT_EQ(json::parse(Print(OutputFormat::kJson, show)),
            json::parse(R"({"id":7,"type":"hash","name":"flows","flags":1,
                "key_size":4,"value_size":8,"max_entries":64,"btf_id":0,
                "frozen":false})"));
  EXPECT_EQ(json::parse(Print(OutputFormat::kBpftool, show)),
            json::parse(R"({"id":7,"type":"hash","name":"flows","flags":1,
                "bytes_key":4,"bytes_value":8,"max_entries":64,
                "bytes_memlock":4096,"frozen":0})"));
}

TEST_F(FormatterTest, BpftoolOmitsEmptyNameAndShowsBtfIdWhenSet) {
  MapInfo info = Info();
  info.name = "";
  info.btf_id = 12;
  json shown = json::parse(
      Print(OutputFormat::kBpftool, [&](Formatter& f) { f.PrintMapInfo(info); }));
  EXPECT_FALSE(shown.contains("name"));
  EXPECT_EQ(shown["btf_id"], 12);
  EXPECT_EQ(Print(OutputFormat::kPlain, [&](Formatter& f) { f.PrintMapInfo(info); })
                .find("name -"),
            std::string("id 7  type hash  ").size());
}

TEST_F(FormatterTest, ListAddsThePath) {
  std::vector<PinnedMap> maps = {{"/sys/fs/bpf/a", Info(), ""}};
  auto list = [&](Formatter& f) { f.PrintMapList(maps); };
  EXPECT_EQ(Print(OutputFormat::kPlain, list).rfind("/sys/fs/bpf/a  id 7  ", 0),
            0u);
  EXPECT_EQ(json::parse(Print(OutputFormat::kJson, list))[0]["path"],
            "/sys/fs/bpf/a");
  EXPECT_EQ(json::parse(Print(OutputFormat::kBpftool, list))[0]["pinned"],
            json::parse(R"(["/sys/fs/bpf/a"])"));
}

TEST_F(FormatterTest, NotesFollowTheDataInPlainAndAreSilentInJson) {
  auto dump_and_note = [](Formatter& f) {
    f.BeginDump(Plain(2));
    f.DumpEntry(ViewOf(kEntry));
    f.EndDump();
    f.PrintNote("Found 1 element");
  };
  EXPECT_EQ(Print(OutputFormat::kPlain, dump_and_note),
            "key: 01 00 00 00  value: aa bb\nFound 1 element\n");
  EXPECT_EQ(Print(OutputFormat::kJson, dump_and_note),
            R"([{"key":"01000000","value":"aabb"}])"
            "\n");
}

TEST_F(FormatterTest, ErrorsKeepJsonStdoutValid) {
  Error error = Error::System(ENOENT, "open x");
  EXPECT_EQ(Print(OutputFormat::kPlain, [&](Formatter& f) { f.PrintError(error); }),
            "");
  EXPECT_EQ(json::parse(Print(OutputFormat::kJson,
                              [&](Formatter& f) { f.PrintError(error); })),
            json::parse(R"({"error":"open x: No such file or directory"})"));
  EXPECT_EQ(Print(OutputFormat::kJson,
                  [&](Formatter& f) { f.PrintError(Error::No("absent")); }),
            "null\n");
  // An error after a dump began leaves the (closed) array alone.
  EXPECT_EQ(Print(OutputFormat::kJson,
                  [&](Formatter& f) {
                    f.BeginDump(Plain(2));
                    f.EndDump();
                    f.PrintError(error);
                  }),
            "[]\n");
  EXPECT_EQ(Print(OutputFormat::kBpftool, [](Formatter& f) { f.PrintDone(); }),
            "null\n");
  EXPECT_EQ(Print(OutputFormat::kPlain, [](Formatter& f) { f.PrintDone(); }), "");
}

TEST_F(FormatterTest, ShowAndListAsTableAndNdjson) {
  MapInfo unnamed = Info();
  unnamed.name = "";
  std::vector<PinnedMap> maps = {{"/sys/fs/bpf/a", Info(), ""},
                                 {"/sys/fs/bpf/longer/b", unnamed, ""}};
  EXPECT_EQ(Print(OutputFormat::kTable,
                  [&](Formatter& f) { f.PrintMapList(maps); }),
            "path                  id  type  name   flags  key  value  "
            "max_entries  memlock  btf_id  frozen\n"
            "/sys/fs/bpf/a         7   hash  flows  0x1    4B   8B     64"
            "           4096B    0       no\n"
            "/sys/fs/bpf/longer/b  7   hash  -      0x1    4B   8B     64"
            "           4096B    0       no\n");
  EXPECT_EQ(Print(OutputFormat::kTable,
                  [&](Formatter& f) { f.PrintMapInfo(Info()); }),
            "id  type  name   flags  key  value  max_entries  memlock  btf_id  "
            "frozen\n"
            "7   hash  flows  0x1    4B   8B     64           4096B    0       "
            "no\n");
  std::string lines = Print(OutputFormat::kNdjson,
                            [&](Formatter& f) { f.PrintMapList(maps); });
  size_t newline = lines.find('\n');
  ASSERT_NE(newline, std::string::npos);
  EXPECT_EQ(json::parse(lines.substr(0, newline))["path"], "/sys/fs/bpf/a");
  EXPECT_EQ(json::parse(lines.substr(newline + 1))["path"],
            "/sys/fs/bpf/longer/b");
}

}  // namespace
}  // namespace bpfmap
