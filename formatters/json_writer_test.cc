#include "formatters/json_writer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <stdio.h>

#include <nlohmann/json.hpp>

namespace bpfmap {
namespace {

// Captures what an OutputSink writes.
class Capture {
 public:
  Capture() : file_(open_memstream(&data_, &size_)) {}
  ~Capture() {
    if (file_) std::fclose(file_);
    free(data_);
  }
  std::FILE* file() { return file_; }
  std::string Text() {
    std::fflush(file_);
    return std::string(data_, size_);
  }

 private:
  char* data_ = nullptr;
  size_t size_ = 0;
  std::FILE* file_;
};

TEST(JsonWriterTest, CompactNestingAndCommas) {
  Capture capture;
  {
    OutputSink sink(capture.file());
    JsonWriter json(sink, /*pretty=*/false);
    json.BeginObject();
    json.Key("a");
    json.Uint(1);
    json.Key("b");
    json.BeginArray();
    json.Int(-2);
    json.Bool(true);
    json.Null();
    json.BeginObject();
    json.EndObject();
    json.BeginArray();
    json.EndArray();
    json.EndArray();
    json.Key("c");
    json.String("x");
    json.EndObject();
    EXPECT_TRUE(json.EndDocument());
  }
  EXPECT_EQ(capture.Text(), R"({"a":1,"b":[-2,true,null,{},[]],"c":"x"})"
                            "\n");
}

TEST(JsonWriterTest, PrettyIndentsByTwo) {
  Capture capture;
  {
    OutputSink sink(capture.file());
    JsonWriter json(sink, /*pretty=*/true);
    json.BeginArray();
    json.BeginObject();
    json.Key("k");
    json.HexString(reinterpret_cast<const uint8_t*>("\x01\xff"), 2);
    json.EndObject();
    json.EndArray();
    json.EndDocument();
  }
  EXPECT_EQ(capture.Text(), "[\n  {\n    \"k\": \"01ff\"\n  }\n]\n");
}

TEST(JsonWriterTest, EscapesStrings) {
  fmt::memory_buffer out;
  const std::string input = "a\"b\\c\n\t\x01\x1f/é";
  AppendJsonString(input, out);
  std::string text(out.data(), out.size());
  EXPECT_EQ(text, "\"a\\\"b\\\\c\\n\\t\\u0001\\u001f/é\"");
  EXPECT_EQ(nlohmann::json::parse(text).get<std::string>(), input);
}

TEST(JsonWriterTest, ReportsUnclosedContainers) {
  Capture capture;
  OutputSink sink(capture.file());
  JsonWriter json(sink, false);
  json.BeginArray();
  EXPECT_FALSE(json.EndDocument());
}

// What `write` writes as one document.
template <typename Fn>
std::string Write(Fn write) {
  Capture capture;
  {
    OutputSink sink(capture.file());
    JsonWriter json(sink, /*pretty=*/false);
    write(json);
    json.EndDocument();
  }
  return capture.Text();
}

TEST(JsonWriterTest, NegativeZeroKeepsItsSign) {
  // Found by typed_literal_fuzzer: "-0" reads back as the integer 0.
  EXPECT_EQ(Write([](JsonWriter& json) { json.Double(-0.0); }), "-0.0\n");
  EXPECT_EQ(Write([](JsonWriter& json) { json.Double(0.0); }), "0\n");
  EXPECT_EQ(Write([](JsonWriter& json) { json.Double(1.5); }), "1.5\n");
}

TEST(JsonWriterTest, NanKeepsItsSign) {
  // Found by typed_literal_fuzzer: -nan printed as "nan" read back as +nan.
  double nan = std::nan("");
  EXPECT_EQ(Write([nan](JsonWriter& json) { json.Double(nan); }),
            "\"nan\"\n");
  EXPECT_EQ(Write([nan](JsonWriter& json) { json.Double(-nan); }),
            "\"-nan\"\n");
  EXPECT_EQ(Write([](JsonWriter& json) { json.Double(-HUGE_VAL); }),
            "\"-inf\"\n");
  fmt::memory_buffer plain;
  AppendDouble(-nan, plain);
  EXPECT_EQ(fmt::to_string(plain), "-nan");
}

}  // namespace
}  // namespace bpfmap
