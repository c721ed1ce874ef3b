// A streaming JSON writer: no document tree, commas and nesting handled here.
#ifndef BPFMAP_FORMATTERS_JSON_WRITER_H_
#define BPFMAP_FORMATTERS_JSON_WRITER_H_

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "formatters/output_sink.h"

namespace bpfmap {

class JsonWriter {
 public:
  // `pretty` indents by two spaces per level; otherwise output is compact.
  JsonWriter(OutputSink& out, bool pretty) : out_(out), pretty_(pretty) {}

  void BeginObject();
  void EndObject();
  void BeginArray();
  void EndArray();
  // The name of the next member of the current object.
  void Key(std::string_view name);

  void String(std::string_view text);
  void Uint(uint64_t value);
  void Int(int64_t value);
  // Any integer up to 128 bits (a typed leaf, or a sum over CPUs).
  void Integer(__int128 value);
  // A finite double as AppendDouble writes it; NaN and infinities, which
  // JSON lacks, as strings ("nan", "-nan", "inf", "-inf").
  void Double(double value);
  void Bool(bool value);
  void Null();
  // A value already written as compact JSON (a number's digits, say).
  void Raw(std::string_view json);
  // `size` bytes as one string of lowercase hex digits: "01ff".
  void HexString(const uint8_t* data, size_t size);

  // Ends a top-level value with a newline. Returns false if containers are
  // still open (a bug in the caller).
  bool EndDocument();

 private:
  struct Level {
    bool object;
    size_t members;
  };
  void BeforeValue();
  void NewLine();
  void Open(char bracket, bool object);
  void Close(char bracket);

  OutputSink& out_;
  bool pretty_;
  bool after_key_ = false;
  std::vector<Level> stack_;
};

// Appends `value` in decimal to `out`.
void AppendDecimal(__int128 value, fmt::memory_buffer& out);

// A double as JSON and plain text both write it, so that it reads back to
// the same bits: the shortest round-trip text, "-0.0" for negative zero
// ("-0" would read back as the integer 0), and "nan", "-nan", "inf",
// "-inf" (the sign of a NaN kept).
void AppendDouble(double value, fmt::memory_buffer& out);

// Appends `text` as a JSON string literal (quotes included) to `out`.
void AppendJsonString(std::string_view text, fmt::memory_buffer& out);

}  // namespace bpfmap

#endif  // BPFMAP_FORMATTERS_JSON_WRITER_H_
