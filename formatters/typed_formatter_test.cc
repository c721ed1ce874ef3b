// Typed keys and values in every format, on types built from C text and
// bytes built by the typed encoder; no kernel.
#include <gtest/gtest.h>
#include <stdio.h>

#include <nlohmann/json.hpp>

#include "core/codec/literal.h"
#include "core/codec/typed_input.h"
#include "core/types/c_type.h"
#include "formatters/formatter.h"
#include "formatters/json_writer.h"
#include "formatters/typed_json.h"

namespace bpfmap {
namespace {

using ::nlohmann::json;

constexpr const char* kKeyType = "struct flow_key { u32 ip; u16 port; u8 proto; }";
constexpr const char* kValueType =
    "struct flow_value { enum mode { MODE_OFF, MODE_ON, MODE_AUTO = 7 } mode; "
    "s64 delta; char tag[8]; struct range { u32 lo; u32 hi; } range; "
    "u8 small:3, flag:1; u8 wide[4]; union { u32 as_u32; u8 as_bytes[4]; } u; "
    "bool on; }";

TypeRef Type(std::string_view text) {
  Result<TypeRef> type = ParseCType(text, nullptr);
  EXPECT_TRUE(type.ok()) << type.error().message();
  return *type;
}

Bytes Encode(const TypeRef& type, std::string_view json_text) {
  Result<Literal> literal = ParseLiteral(json_text);
  EXPECT_TRUE(literal.ok()) << literal.error().message();
  Result<Bytes> bytes = EncodeLiteral(*type, *literal, "value");
  EXPECT_TRUE(bytes.ok()) << bytes.error().message();
  return bytes.ok() ? *bytes : Bytes();
}

struct Printed {
  std::string out;
  std::string err;
};

template <typename Fn>
Printed Print(const FormatterOptions& options, Fn print) {
  char* out_data = nullptr;
  char* err_data = nullptr;
  size_t out_size = 0, err_size = 0;
  std::FILE* out_file = open_memstream(&out_data, &out_size);
  std::FILE* err_file = open_memstream(&err_data, &err_size);
  {
    OutputSink out(out_file);
    OutputSink err(err_file);
    std::unique_ptr<Formatter> formatter = MakeFormatter(options, out, err);
    print(*formatter);
  }
  std::fclose(out_file);
  std::fclose(err_file);
  Printed printed{std::string(out_data, out_size),
                  std::string(err_data, err_size)};
  free(out_data);
  free(err_data);
  return printed;
}

FormatterOptions Format(OutputFormat format) {
  FormatterOptions options;
  options.format = format;
  return options;
}

class TypedFormatterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    shape_.types = {Type(kKeyType), Type(kValueType)};
    shape_.layout = {shape_.types.value->size, 1, shape_.types.value->size,
                     false};
    entry_.key = Encode(shape_.types.key, R"({"ip": 1, "port": 80, "proto": 6})");
    entry_.value = Encode(shape_.types.value, kValueJson);
  }

  static constexpr const char* kValueJson =
      R"({"mode": "MODE_ON", "delta": -2, "tag": "abc", "range": {"lo": 1,)"
      R"( "hi": 2}, "small": 3, "flag": 1, "wide": [1, 2, 3, 4], "u": )"
      R"({"as_u32": 134678021}, "on": true})";

  EntryShape shape_;
  MapEntry entry_;
};

TEST_F(TypedFormatterTest, JsonIsTyped) {
  Printed printed = Print(Format(OutputFormat::kJson), [&](Formatter& f) {
    f.PrintEntry(ViewOf(entry_), shape_);
  });
  json want = json::parse(kValueJson);
  want["u"]["as_bytes"] = json::parse("[5, 6, 7, 8]");
  EXPECT_EQ(json::parse(printed.out),
            json({{"key", {{"ip", 1}, {"port", 80}, {"proto", 6}}},
                  {"value", want}}));
}

TEST_F(TypedFormatterTest, WhatTheEncoderTakesJsonGivesBack) {
  // The property the fuzzer checks too: typed JSON out reads back in to the
  // same bytes.
  char* data = nullptr;
  size_t size = 0;
  std::FILE* file = open_memstream(&data, &size);
  {
    OutputSink sink(file);
    JsonWriter writer(sink, false);
    WriteTypedJson(writer, *shape_.types.value, entry_.value.data(),
                   LeafPlace{}, JsonDialect::kBpfmap);
    writer.EndDocument();
  }
  std::fclose(file);
  std::string text(data, size);
  free(data);
  EXPECT_EQ(Encode(shape_.types.value, text), entry_.value) << text;
}

TEST_F(TypedFormatterTest, BpftoolDialectShowsBitfieldsAsHexStrings) {
  Printed printed = Print(Format(OutputFormat::kBpftool), [&](Formatter& f) {
    f.PrintEntry(ViewOf(entry_), shape_);
  });
  json shown = json::parse(printed.out);
  EXPECT_EQ(shown["key"].size(), 8u);
  EXPECT_EQ(shown["formatted"]["value"]["small"], "0x3");
  EXPECT_EQ(shown["formatted"]["value"]["tag"], "abc");
  EXPECT_EQ(shown["formatted"]["key"]["port"], 80);
}

TEST_F(TypedFormatterTest, PlainIsOneCompactLine) {
  Printed printed = Print(Format(OutputFormat::kPlain), [&](Formatter& f) {
    f.PrintEntry(ViewOf(entry_), shape_);
  });
  EXPECT_EQ(printed.out,
            "key: {ip=1 port=80 proto=6}  value: {mode=MODE_ON delta=-2 "
            "tag=\"abc\" range={lo=1 hi=2} small=3 flag=1 wide=[1 2 3 4] "
            "u={as_u32=134678021 as_bytes=[5 6 7 8]} on=true}\n");
}

TEST_F(TypedFormatterTest, TableHasAColumnPerLeaf) {
  Printed printed = Print(Format(OutputFormat::kTable), [&](Formatter& f) {
    f.BeginDump(shape_);
    f.DumpEntry(ViewOf(entry_));
    f.EndDump();
  });
  EXPECT_EQ(printed.out,
            "ip  port  proto  mode     delta  tag  range.lo  range.hi  small  "
            "flag  wide        u.as_u32  u.as_bytes  on\n"
            " 1    80      6  MODE_ON     -2  abc         1         2      3  "
            "   1  [1 2 3 4]  134678021  [5 6 7 8]   true\n");
}

TEST_F(TypedFormatterTest, TableNamesPerCpuColumnsAndClashingFields) {
  EntryShape shape;
  shape.types = {Type("struct { u32 id; }"), Type("struct { u32 id; u8 n; }")};
  shape.layout = {8, 2, 8, true};
  MapEntry entry{{7, 0, 0, 0}, Bytes(16, 0)};
  entry.value[0] = 1;
  entry.value[8] = 2;
  Printed printed = Print(Format(OutputFormat::kTable), [&](Formatter& f) {
    f.PrintEntry(ViewOf(entry), shape);
  });
  EXPECT_EQ(printed.out,
            "id  cpu0.id  cpu0.n  cpu1.id  cpu1.n\n"
            " 7        1       0        2       0\n");
  shape.layout = {8, 1, 8, false};
  EXPECT_EQ(Print(Format(OutputFormat::kTable),
                  [&](Formatter& f) { f.PrintEntry(ViewOf(entry), shape); })
                .out,
            "key.id  value.id  value.n\n"
            "     7         1        0\n");
}

TEST_F(TypedFormatterTest, TableCutsWideCellsOnlyOnATerminal) {
  EntryShape shape;
  shape.types = {Type("u8"), Type("char[32]")};
  shape.layout = {32, 1, 32, false};
  MapEntry entry{{1}, Bytes(32, 0)};
  std::string text = "a fairly long string of text";
  std::copy(text.begin(), text.end(), entry.value.begin());
  FormatterOptions options = Format(OutputFormat::kTable);
  auto print = [&](Formatter& f) { f.PrintEntry(ViewOf(entry), shape); };
  EXPECT_NE(Print(options, print).out.find(text), std::string::npos);
  options.terminal = true;
  options.width = 10;
  EXPECT_EQ(Print(options, print).out,
            "key  value\n"
            "  1  a fairly \u2026\n");
}

TEST_F(TypedFormatterTest, UntypedTableShowsHex) {
  EntryShape shape;
  shape.layout = {2, 2, 8, true};
  MapEntry entry{{1, 0}, Bytes(16, 0)};
  entry.value[8] = 0xff;
  Printed printed = Print(Format(OutputFormat::kTable),
                          [&](Formatter& f) { f.PrintEntry(ViewOf(entry), shape); });
  EXPECT_EQ(printed.out,
            "key    cpu0   cpu1\n"
            "01 00  00 00  ff 00\n");
}

TEST_F(TypedFormatterTest, NdjsonIsOneObjectPerLine) {
  auto dump = [&](Formatter& f) {
    f.BeginDump(shape_);
    f.DumpEntry(ViewOf(entry_));
    f.DumpEntry(ViewOf(entry_));
    f.EndDump();
  };
  Printed printed = Print(Format(OutputFormat::kNdjson), dump);
  size_t newline = printed.out.find('\n');
  ASSERT_NE(newline, std::string::npos);
  EXPECT_EQ(printed.out.substr(0, newline + 1),
            printed.out.substr(newline + 1));
  Printed json_dump = Print(Format(OutputFormat::kJson), dump);
  EXPECT_EQ(json::parse(printed.out.substr(0, newline)),
            json::parse(json_dump.out)[0]);
  // Nothing for a mutation or a "no"; an error is a line of its own.
  EXPECT_EQ(Print(Format(OutputFormat::kNdjson),
                  [](Formatter& f) { f.PrintDone(); })
                .out,
            "");
  EXPECT_EQ(Print(Format(OutputFormat::kNdjson),
                  [](Formatter& f) { f.PrintError(Error::No("absent")); })
                .out,
            "");
  EXPECT_EQ(Print(Format(OutputFormat::kNdjson),
                  [](Formatter& f) {
                    f.PrintError(Error::BadInput("bad"));
                  })
                .out,
            "{\"error\":\"bad\"}\n");
}

TEST_F(TypedFormatterTest, CharArraysThatAreNotTextShowAsNumbers) {
  EntryShape shape;
  shape.types = {nullptr, Type("char[4]")};
  shape.layout = {4, 1, 4, false};
  auto shown = [&](Bytes value) {
    MapEntry entry{{}, value};
    return json::parse(Print(Format(OutputFormat::kJson), [&](Formatter& f) {
                         f.PrintEntry(ViewOf(entry), shape);
                       }).out)["value"];
  };
  EXPECT_EQ(shown({'a', 'b', 0, 0}), "ab");
  EXPECT_EQ(shown({'a', 0, 'b', 0}), json::parse("[97, 0, 98, 0]"));
  EXPECT_EQ(shown({0xc3, 0xa9, 0, 0}), "\xc3\xa9");
  EXPECT_EQ(shown({0xff, 0, 0, 0}), json::parse("[-1, 0, 0, 0]"));
  // Control characters are text too, escaped in JSON.
  EXPECT_EQ(shown({'\n', 'a', '\t', 0}), "\na\t");
}

TEST_F(TypedFormatterTest, TextWithControlCharactersIsQuotedInTables) {
  EntryShape shape;
  shape.types = {nullptr, Type("struct { char comm[8]; char tag[4]; }")};
  shape.layout = {12, 1, 12, false};
  MapEntry entry{{}, {'a', '\t', 'b', 0, 0, 0, 0, 0, 'o', 'k', 0, 0}};
  std::string table =
      Print(Format(OutputFormat::kTable), [&](Formatter& f) {
        f.BeginDump(shape);
        f.DumpEntry(ViewOf(entry));
        f.EndDump();
      }).out;
  EXPECT_NE(table.find("\"a\\tb\""), std::string::npos) << table;
  EXPECT_NE(table.find(" ok"), std::string::npos) << table;
  std::string plain = Print(Format(OutputFormat::kPlain), [&](Formatter& f) {
                        f.PrintEntry(ViewOf(entry), shape);
                      }).out;
  EXPECT_EQ(plain, "value: {comm=\"a\\tb\" tag=\"ok\"}\n");
}

TEST_F(TypedFormatterTest, FloatsEnumsWithoutNamesAndPointers) {
  EntryShape shape;
  shape.types = {nullptr,
                 Type("struct { float f; double d; enum e { A } e; void *p; }")};
  shape.layout = {shape.types.value->size, 1, shape.types.value->size, false};
  MapEntry entry{{}, Encode(shape.types.value,
                            R"({"f": 0.5, "d": "-inf", "e": 3, "p": "0x10"})")};
  json shown = json::parse(Print(Format(OutputFormat::kJson), [&](Formatter& f) {
                             f.PrintEntry(ViewOf(entry), shape);
                           }).out)["value"];
  EXPECT_EQ(shown, json::parse(R"({"f": 0.5, "d": "-inf", "e": 3, "p": 16})"));
}

}  // namespace
}  // namespace bpfmap
