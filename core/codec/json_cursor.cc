#include "core/codec/json_cursor.h"

namespace bpfmap {

void JsonCursor::Skip() {
  while (!rest_.empty() && (rest_[0] == ' ' || rest_[0] == '\t')) {
    rest_.remove_prefix(1);
  }
}

bool JsonCursor::AtEnd() {
  Skip();
  return rest_.empty();
}

bool JsonCursor::Peek(char c) {
  Skip();
  return !rest_.empty() && rest_[0] == c;
}

bool JsonCursor::Eat(char c) {
  if (!Peek(c)) return false;
  rest_.remove_prefix(1);
  return true;
}

bool JsonCursor::Word(std::string_view word) {
  Skip();
  if (rest_.substr(0, word.size()) != word) return false;
  rest_.remove_prefix(word.size());
  return true;
}

bool JsonCursor::String(std::string_view& out) {
  if (!Eat('"')) return false;
  for (size_t end = 0; end < rest_.size(); ++end) {
    unsigned char c = static_cast<unsigned char>(rest_[end]);
    if (c == '"') {
      out = rest_.substr(0, end);
      rest_.remove_prefix(end + 1);
      return true;
    }
    if (c < 0x20 || c > 0x7e || c == '\\') return false;
  }
  return false;
}

bool JsonCursor::Integer(std::string_view& out) {
  Skip();
  size_t digits = !rest_.empty() && rest_[0] == '-' ? 1 : 0;
  size_t end = digits;
  while (end < rest_.size() && rest_[end] >= '0' && rest_[end] <= '9') ++end;
  size_t count = end - digits;
  if (count == 0 || count > 40 || (count > 1 && rest_[digits] == '0')) {
    return false;
  }
  out = rest_.substr(0, end);
  rest_.remove_prefix(end);
  return true;
}

}  // namespace bpfmap
