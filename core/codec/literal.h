// A typed literal as the command line gives it: one word that is either
// JSON (starting with '{', '[' or '"') or a bare scalar (42, -2, 0x1f,
// MODE_ON, abc). The tree keeps numbers as written, so range checks see
// every digit, and keeps object members in order, duplicates included.
#ifndef BPFMAP_CORE_CODEC_LITERAL_H_
#define BPFMAP_CORE_CODEC_LITERAL_H_

#include <cstdio>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/base/error.h"

namespace bpfmap {

struct Literal {
  enum class Kind { kNull, kBool, kNumber, kString, kArray, kObject };
  Kind kind = Kind::kNull;
  bool boolean = false;     // kBool
  std::string text;         // kNumber as written; kString's content
  bool bare = false;        // a bare word: `text` is exactly what was typed
  std::vector<Literal> items;                             // kArray
  std::vector<std::pair<std::string, Literal>> members;   // kObject
};

// JSON nested deeper than this is refused (no map type nests this deep).
inline constexpr int kMaxLiteralDepth = 64;

// Reads one word. JSON is parsed strictly (RFC 8259, UTF-8 checked); any
// other word is a bare kString. kBadInput says where JSON went wrong.
Result<Literal> ParseLiteral(std::string_view word);

// Reads `text` as JSON whatever it starts with (a line of a bulk-load file).
Result<Literal> ParseJsonLiteral(std::string_view text);

// Reads a JSON array from `in` (or `text`) one element at a time, calling
// `element(literal, index)` for each as soon as it is complete, so memory
// holds one element however long the array. Stops at the first error from
// the JSON or from `element`.
using ArrayElementFn = std::function<Status(Literal&&, size_t index)>;
Status ForEachArrayElement(std::FILE* in, const ArrayElementFn& element);
Status ForEachArrayElement(std::string_view text,
                           const ArrayElementFn& element);

// The text of a scalar literal (a number as written, or a string's
// content); null for null, bools, lists and objects.
inline const std::string* ScalarText(const Literal& literal) {
  if (literal.kind == Literal::Kind::kNumber ||
      literal.kind == Literal::Kind::kString) {
    return &literal.text;
  }
  return nullptr;
}

// `literal` as compact JSON: members in their order, numbers as written,
// strings escaped (a bare word as a string). Equal JSON gives equal text.
std::string LiteralJson(const Literal& literal);

// How a literal reads in a message: the word as typed, or JSON, shortened
// to about 40 characters.
std::string LiteralForMessage(const Literal& literal);

}  // namespace bpfmap

#endif  // BPFMAP_CORE_CODEC_LITERAL_H_
