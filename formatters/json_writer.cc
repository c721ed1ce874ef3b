#include "formatters/json_writer.h"

#include <cassert>
#include <cmath>

#include "core/base/bytes.h"

namespace bpfmap {

void AppendJsonString(std::string_view text, fmt::memory_buffer& out) {
  out.push_back('"');
  // Runs of characters that need no escape go in whole.
  size_t run = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char u = static_cast<unsigned char>(text[i]);
    if (u >= 0x20 && u != '"' && u != '\\') continue;
    out.append(text.data() + run, text.data() + i);
    run = i + 1;
    switch (u) {
      case '"':
        out.append(std::string_view("\\\""));
        break;
      case '\\':
        out.append(std::string_view("\\\\"));
        break;
      case '\n':
        out.append(std::string_view("\\n"));
        break;
      case '\t':
        out.append(std::string_view("\\t"));
        break;
      case '\r':
        out.append(std::string_view("\\r"));
        break;
      default: {
        char escape[6] = {'\\', 'u', '0', '0', kHexDigits[u >> 4],
                          kHexDigits[u & 0xf]};
        out.append(escape, escape + 6);
      }
    }
  }
  out.append(text.data() + run, text.data() + text.size());
  out.push_back('"');
}

void JsonWriter::NewLine() {
  out_.buffer().push_back('\n');
  for (size_t i = 0; i < stack_.size(); ++i) {
    out_.buffer().append(std::string_view("  "));
  }
}

void JsonWriter::BeforeValue() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!stack_.empty()) {
    Level& level = stack_.back();
    assert(!level.object && "object members need a Key() first");
    if (level.members++ > 0) out_.buffer().push_back(',');
    if (pretty_) NewLine();
  }
}

void JsonWriter::Key(std::string_view name) {
  assert(!stack_.empty() && stack_.back().object);
  Level& level = stack_.back();
  if (level.members++ > 0) out_.buffer().push_back(',');
  if (pretty_) NewLine();
  AppendJsonString(name, out_.buffer());
  out_.buffer().push_back(':');
  if (pretty_) out_.buffer().push_back(' ');
  after_key_ = true;
}

void JsonWriter::Open(char bracket, bool object) {
  BeforeValue();
  out_.buffer().push_back(bracket);
  stack_.push_back({object, 0});
}

void JsonWriter::Close(char bracket) {
  assert(!stack_.empty());
  bool had_members = stack_.back().members > 0;
  stack_.pop_back();
  if (pretty_ && had_members) NewLine();
  out_.buffer().push_back(bracket);
  out_.MaybeFlush();
}

void JsonWriter::BeginObject() { Open('{', true); }
void JsonWriter::EndObject() { Close('}'); }
void JsonWriter::BeginArray() { Open('[', false); }
void JsonWriter::EndArray() { Close(']'); }

void JsonWriter::String(std::string_view text) {
  BeforeValue();
  AppendJsonString(text, out_.buffer());
}

void AppendDecimal(__int128 value, fmt::memory_buffer& out) {
  // fmt::format_int is several times faster than format_to for the 64-bit
  // values nearly every leaf holds.
  if (value >= 0 && value <= static_cast<__int128>(UINT64_MAX)) {
    fmt::format_int text(static_cast<unsigned long long>(value));
    out.append(text.data(), text.data() + text.size());
  } else if (value < 0 && value >= static_cast<__int128>(INT64_MIN)) {
    fmt::format_int text(static_cast<long long>(value));
    out.append(text.data(), text.data() + text.size());
  } else {
    fmt::format_to(std::back_inserter(out), "{}", value);
  }
}

void JsonWriter::Uint(uint64_t value) {
  BeforeValue();
  AppendDecimal(value, out_.buffer());
}

void JsonWriter::Raw(std::string_view json) {
  BeforeValue();
  out_.buffer().append(json);
}

void JsonWriter::Integer(__int128 value) {
  BeforeValue();
  AppendDecimal(value, out_.buffer());
}

void AppendDouble(double value, fmt::memory_buffer& out) {
  if (std::isnan(value)) {
    out.append(std::string_view(std::signbit(value) ? "-nan" : "nan"));
  } else if (std::isinf(value)) {
    out.append(std::string_view(value > 0 ? "inf" : "-inf"));
  } else if (value == 0 && std::signbit(value)) {
    out.append(std::string_view("-0.0"));
  } else {
    fmt::format_to(std::back_inserter(out), "{}", value);
  }
}

void JsonWriter::Double(double value) {
  if (std::isfinite(value)) {
    BeforeValue();
    AppendDouble(value, out_.buffer());
    return;
  }
  fmt::memory_buffer name;
  AppendDouble(value, name);
  String(std::string_view(name.data(), name.size()));
}

void JsonWriter::Int(int64_t value) {
  BeforeValue();
  AppendDecimal(value, out_.buffer());
}

void JsonWriter::Bool(bool value) {
  BeforeValue();
  out_.buffer().append(value ? std::string_view("true")
                             : std::string_view("false"));
}

void JsonWriter::Null() {
  BeforeValue();
  out_.buffer().append(std::string_view("null"));
}

void JsonWriter::HexString(const uint8_t* data, size_t size) {
  BeforeValue();
  fmt::memory_buffer& buf = out_.buffer();
  buf.push_back('"');
  AppendHexBytes(data, size, buf);
  buf.push_back('"');
}

bool JsonWriter::EndDocument() {
  out_.buffer().push_back('\n');
  out_.MaybeFlush();
  return stack_.empty();
}

}  // namespace bpfmap
