// A cursor over one line of JSON for the fast paths of bulk loading. It
// reads the plain shapes dump prints and answers false to anything else,
// leaving that to the full reader (core/codec/literal.h), which says what is
// wrong.
#ifndef BPFMAP_CORE_CODEC_JSON_CURSOR_H_
#define BPFMAP_CORE_CODEC_JSON_CURSOR_H_

#include <string_view>

namespace bpfmap {

class JsonCursor {
 public:
  explicit JsonCursor(std::string_view text) : rest_(text) {}

  // What is not read yet.
  std::string_view rest() const { return rest_; }

  // Whether only spaces and tabs are left.
  bool AtEnd();
  // Whether `c` comes next, after spaces and tabs.
  bool Peek(char c);
  // Reads `c` if it comes next.
  bool Eat(char c);
  // Reads `word` (true, false) if it comes next.
  bool Word(std::string_view word);
  // Reads a string of printable ASCII without escapes; `out` is its text.
  bool String(std::string_view& out);
  // Reads an integer as JSON writes it, -?(0|[1-9][0-9]*), of at most
  // 40 digits; `out` is its text.
  bool Integer(std::string_view& out);

 private:
  void Skip();

  std::string_view rest_;
};

}  // namespace bpfmap

#endif  // BPFMAP_CORE_CODEC_JSON_CURSOR_H_
