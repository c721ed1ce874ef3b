#include "core/codec/literal.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iterator>
#include <string>

namespace bpfmap {
namespace {

using nlohmann::json;

// Builds a Literal tree from nlohmann's SAX events, so numbers keep their
// text and duplicate keys stay visible.
class LiteralBuilder : public nlohmann::json_sax<json> {
 public:
  LiteralBuilder() = default;
  // Element mode: the top level must be an array, and each of its elements
  // goes to `element` when complete instead of into a tree.
  explicit LiteralBuilder(const ArrayElementFn* element) : element_fn_(element) {}

  bool null() override { return Add(Literal{}); }
  bool boolean(bool value) override {
    Literal literal;
    literal.kind = Literal::Kind::kBool;
    literal.boolean = value;
    return Add(std::move(literal));
  }
  bool number_integer(number_integer_t value) override {
    return Number(fmt::format("{}", value));
  }
  bool number_unsigned(number_unsigned_t value) override {
    return Number(fmt::format("{}", value));
  }
  bool number_float(number_float_t, const string_t& text) override {
    return Number(text);
  }
  bool string(string_t& value) override {
    Literal literal;
    literal.kind = Literal::Kind::kString;
    literal.text = std::move(value);
    return Add(std::move(literal));
  }
  bool binary(binary_t&) override { return false; }
  bool start_object(std::size_t) override {
    return Open(Literal::Kind::kObject);
  }
  bool key(string_t& name) override {
    stack_.back()->members.emplace_back(std::move(name), Literal{});
    return true;
  }
  bool end_object() override { return Close(); }
  bool start_array(std::size_t) override { return Open(Literal::Kind::kArray); }
  bool end_array() override { return Close(); }
  bool parse_error(std::size_t position, const std::string&,
                   const nlohmann::detail::exception& error) override {
    std::string what = error.what();
    // "[json.exception.parse_error.101] parse error at line 1, column 5:
    // syntax error ..." -> "syntax error ..."
    size_t colon = what.find(": ");
    if (colon != std::string::npos) what = what.substr(colon + 2);
    error_ = fmt::format("invalid JSON at byte {}: {}", position, what);
    return false;
  }

  bool ElementFailed() const { return !status_.ok(); }

  Result<Literal> Finish(bool parsed) {
    if (!status_.ok()) return status_.error();
    if (!error_.empty()) return Error::BadInput(error_);
    if (!parsed || !done_) return Error::BadInput("invalid JSON");
    return std::move(root_);
  }

 private:
  bool Number(std::string text) {
    Literal literal;
    literal.kind = Literal::Kind::kNumber;
    literal.text = std::move(text);
    return Add(std::move(literal));
  }
  // Places a finished value where the parse now is.
  Literal* Place(Literal&& literal) {
    if (stack_.empty()) {
      root_ = std::move(literal);
      done_ = true;
      return &root_;
    }
    if (element_fn_ != nullptr && stack_.size() == 1) {
      element_ = std::move(literal);
      return &element_;
    }
    Literal* parent = stack_.back();
    if (parent->kind == Literal::Kind::kArray) {
      parent->items.push_back(std::move(literal));
      return &parent->items.back();
    }
    parent->members.back().second = std::move(literal);
    return &parent->members.back().second;
  }
  bool Add(Literal&& literal) {
    if (element_fn_ != nullptr && stack_.empty() &&
        literal.kind != Literal::Kind::kArray) {
      error_ = "expected a JSON array of entries";
      return false;
    }
    Place(std::move(literal));
    if (element_fn_ != nullptr && stack_.size() == 1) return Deliver();
    return true;
  }
  // Hands a finished top-level element to the callback.
  bool Deliver() {
    status_ = (*element_fn_)(std::move(element_), elements_++);
    element_ = Literal{};
    return status_.ok();
  }
  bool Open(Literal::Kind kind) {
    if (element_fn_ != nullptr && stack_.empty() &&
        kind != Literal::Kind::kArray) {
      error_ = "expected a JSON array of entries";
      return false;
    }
    if (stack_.size() >= static_cast<size_t>(kMaxLiteralDepth)) {
      error_ = fmt::format("JSON nests more than {} levels deep",
                           kMaxLiteralDepth);
      return false;
    }
    Literal literal;
    literal.kind = kind;
    stack_.push_back(Place(std::move(literal)));
    return true;
  }
  bool Close() {
    stack_.pop_back();
    if (element_fn_ != nullptr && stack_.size() == 1) return Deliver();
    return true;
  }

  // Pointers into the tree stay valid: a container is only appended to
  // while it is the innermost open one, and its parent does not grow then.
  std::vector<Literal*> stack_;
  Literal root_;
  bool done_ = false;
  std::string error_;
  const ArrayElementFn* element_fn_ = nullptr;
  Literal element_;  // element mode: the element being built
  size_t elements_ = 0;
  Status status_;    // element mode: what the callback said
};

// nlohmann's lexer takes a NUL byte for the end of its input, so whatever
// followed one would go unread. JSON has no NUL bytes, raw or in strings:
// they are refused, at their place.
Error NulByte(size_t offset) {
  return Error::BadInput(fmt::format(
      "invalid JSON at byte {}: a NUL byte (JSON has none)", offset + 1));
}

Result<Literal> Parse(std::string_view text, LiteralBuilder& builder) {
  if (size_t nul = text.find('\0'); nul != std::string_view::npos) {
    return NulByte(nul);
  }
  bool parsed = json::sax_parse(text.begin(), text.end(), &builder,
                                nlohmann::detail::input_format_t::json,
                                /*strict=*/true);
  return builder.Finish(parsed);
}

// A FILE read a byte at a time for nlohmann's parser, a NUL handed over as
// 0x01 (which no JSON takes either) and its place kept for the error.
class FileBytes {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  FileBytes() = default;  // the end
  FileBytes(std::FILE* in, size_t* first_nul)
      : in_(in), first_nul_(first_nul) {
    Read();
  }
  char operator*() const { return current_; }
  FileBytes& operator++() {
    Read();
    return *this;
  }
  bool operator==(const FileBytes& other) const {
    return (in_ == nullptr) == (other.in_ == nullptr);
  }
  bool operator!=(const FileBytes& other) const { return !(*this == other); }

 private:
  void Read() {
    int c = getc_unlocked(in_);
    if (c == EOF) {
      in_ = nullptr;
      return;
    }
    if (c == '\0') {
      if (*first_nul_ == std::string::npos) *first_nul_ = offset_;
      c = 1;
    }
    current_ = static_cast<char>(c);
    ++offset_;
  }

  std::FILE* in_ = nullptr;
  size_t* first_nul_ = nullptr;
  size_t offset_ = 0;
  char current_ = 0;
};

}  // namespace

Result<Literal> ParseJsonLiteral(std::string_view text) {
  LiteralBuilder builder;
  return Parse(text, builder);
}

Status ForEachArrayElement(std::FILE* in, const ArrayElementFn& element) {
  LiteralBuilder builder(&element);
  size_t first_nul = std::string::npos;
  bool parsed = json::sax_parse(FileBytes(in, &first_nul), FileBytes(),
                                &builder,
                                nlohmann::detail::input_format_t::json,
                                /*strict=*/true);
  Result<Literal> result = builder.Finish(parsed);
  if (result.ok()) return OkStatus();
  // An element's own error comes first: elements after a NUL are not read.
  if (first_nul != std::string::npos && !builder.ElementFailed()) {
    return NulByte(first_nul);
  }
  return result.error();
}

Status ForEachArrayElement(std::string_view text,
                           const ArrayElementFn& element) {
  LiteralBuilder builder(&element);
  Result<Literal> result = Parse(text, builder);
  return result.ok() ? OkStatus() : Status(result.error());
}

Result<Literal> ParseLiteral(std::string_view word) {
  if (!word.empty() && (word[0] == '{' || word[0] == '[' || word[0] == '"')) {
    return ParseJsonLiteral(word);
  }
  Literal literal;
  literal.kind = Literal::Kind::kString;
  literal.text = std::string(word);
  literal.bare = true;
  return literal;
}

namespace {

void AppendLiteralJson(const Literal& literal, std::string& out) {
  switch (literal.kind) {
    case Literal::Kind::kNull:
      out += "null";
      return;
    case Literal::Kind::kBool:
      out += literal.boolean ? "true" : "false";
      return;
    case Literal::Kind::kNumber:
      out += literal.text;
      return;
    case Literal::Kind::kString:
      out += json(literal.text).dump(-1, ' ', false,
                                     json::error_handler_t::replace);
      return;
    case Literal::Kind::kArray:
      out += '[';
      for (size_t i = 0; i < literal.items.size(); ++i) {
        if (i > 0) out += ',';
        AppendLiteralJson(literal.items[i], out);
      }
      out += ']';
      return;
    case Literal::Kind::kObject:
      out += '{';
      for (size_t i = 0; i < literal.members.size(); ++i) {
        if (i > 0) out += ',';
        out += json(literal.members[i].first)
                   .dump(-1, ' ', false, json::error_handler_t::replace);
        out += ':';
        AppendLiteralJson(literal.members[i].second, out);
      }
      out += '}';
      return;
  }
}

}  // namespace

std::string LiteralJson(const Literal& literal) {
  std::string out;
  AppendLiteralJson(literal, out);
  return out;
}

std::string LiteralForMessage(const Literal& literal) {
  std::string text;
  switch (literal.kind) {
    case Literal::Kind::kNull:
      text = "null";
      break;
    case Literal::Kind::kBool:
      text = literal.boolean ? "true" : "false";
      break;
    case Literal::Kind::kNumber:
      text = literal.text;
      break;
    case Literal::Kind::kString:
      text = literal.bare ? literal.text : json(literal.text).dump(
                                               -1, ' ', false,
                                               json::error_handler_t::replace);
      break;
    case Literal::Kind::kArray:
      text = fmt::format("a list of {}", literal.items.size());
      break;
    case Literal::Kind::kObject:
      text = "an object";
      break;
  }
  constexpr size_t kMax = 40;
  if (text.size() > kMax) {
    size_t cut = kMax - 8;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xc0) == 0x80) {
      --cut;  // not inside a UTF-8 sequence
    }
    text = fmt::format("{}... ({} characters)", text.substr(0, cut),
                       text.size());
  }
  return text;
}

}  // namespace bpfmap
