#include "core/entries/entry_filter.h"

#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/codec/literal.h"
#include "core/codec/typed_input.h"

namespace bpfmap {
namespace {

enum class Op { kEq, kNe, kLt, kLe, kGt, kGe, kMatch, kNoMatch, kIn, kPrefix };

struct Token {
  enum class Kind { kEnd, kOpen, kClose, kComma, kOp, kWord, kString };
  Kind kind = Kind::kEnd;
  std::string text;  // an operator, a word, a string's content
  size_t column = 0;  // 1-based
};

constexpr std::string_view kOperatorChars = "=!<>~&|";

Result<std::vector<Token>> Tokenize(std::string_view text) {
  std::vector<Token> tokens;
  size_t i = 0;
  auto fail = [&](size_t at, std::string message) {
    return Error::BadInput(
        fmt::format("--where: column {}: {}", at + 1, message));
  };
  while (true) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) {
      ++i;
    }
    Token token;
    token.column = i + 1;
    if (i == text.size()) {
      tokens.push_back(token);
      return tokens;
    }
    char c = text[i];
    if (c == '(' || c == ')' || c == ',') {
      token.kind = c == '(' ? Token::Kind::kOpen
                   : c == ')' ? Token::Kind::kClose
                              : Token::Kind::kComma;
      token.text = std::string(1, c);
      ++i;
    } else if (c == '"' || c == '\'') {
      token.kind = Token::Kind::kString;
      size_t start = i++;
      bool closed = false;
      while (i < text.size()) {
        char d = text[i++];
        if (d == c) {
          closed = true;
          break;
        }
        if (d == '\\' && i < text.size()) {
          char e = text[i++];
          token.text += e == 'n' ? '\n' : e == 't' ? '\t' : e;
          continue;
        }
        token.text += d;
      }
      if (!closed) return fail(start, fmt::format("the text opened with {} is "
                                                  "never closed", c));
    } else if (kOperatorChars.find(c) != std::string_view::npos) {
      token.kind = Token::Kind::kOp;
      std::string_view two = text.substr(i, 2);
      for (std::string_view op :
           {"==", "!=", "<=", ">=", "!~", "&&", "||", "<", ">", "~", "!"}) {
        if (two.substr(0, op.size()) == op) {
          token.text = std::string(op);
          break;
        }
      }
      if (token.text.empty()) {
        return fail(i, c == '='
                           ? "= is no operator (compare with ==)"
                           : fmt::format("{} is no operator", c));
      }
      i += token.text.size();
    } else {
      token.kind = Token::Kind::kWord;
      while (i < text.size() &&
             !std::isspace(static_cast<unsigned char>(text[i])) &&
             std::string_view("(),\"'").find(text[i]) == std::string_view::npos &&
             kOperatorChars.find(text[i]) == std::string_view::npos) {
        token.text += text[i++];
      }
    }
    tokens.push_back(std::move(token));
  }
}

bool IsHexWord(std::string_view word) {
  if (word.empty() || word.size() % 2 != 0) return false;
  for (char c : word) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

std::string BytesOfHex(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out += static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16));
  }
  return out;
}

// An unsigned little-endian integer of up to 16 bytes (a byte range read as
// the host reads it).
Int128 HostInteger(std::string_view bytes) {
  Uint128 value = 0;
  for (size_t i = bytes.size(); i-- > 0;) {
    value = (value << 8) | static_cast<uint8_t>(bytes[i]);
  }
  return static_cast<Int128>(value);
}

std::string_view OpName(Op op) {
  switch (op) {
    case Op::kEq: return "==";
    case Op::kNe: return "!=";
    case Op::kLt: return "<";
    case Op::kLe: return "<=";
    case Op::kGt: return ">";
    case Op::kGe: return ">=";
    case Op::kMatch: return "~";
    case Op::kNoMatch: return "!~";
    case Op::kIn: return "in";
    case Op::kPrefix: return "in";
  }
  return "";
}

std::string_view KindName(FieldKind kind) {
  switch (kind) {
    case FieldKind::kInteger: return "a number";
    case FieldKind::kFloat: return "a number";
    case FieldKind::kText: return "text";
    case FieldKind::kBytes: return "bytes";
  }
  return "";
}

}  // namespace

// One comparison: FIELD OP OPERAND(S).
struct Comparison {
  EntryField field;
  FieldKind kind = FieldKind::kInteger;
  bool host_integer = false;  // a byte range compared with numbers
  Op op = Op::kEq;
  std::vector<FieldValue> operands;
  std::vector<std::string> texts;  // what operands' bytes point into
  uint32_t prefix_bits = 0;
  std::unique_ptr<re2::RE2> regex;

  FieldValue Read(const uint8_t* key, const uint8_t* value) const {
    FieldValue got = ReadField(field, key, value);
    if (host_integer) {
      got.kind = FieldKind::kInteger;
      got.integer = HostInteger(got.bytes);
    }
    return got;
  }

  bool Holds(const uint8_t* key, const uint8_t* value) const {
    FieldValue got = Read(key, value);
    switch (op) {
      case Op::kMatch:
      case Op::kNoMatch: {
        // The text up to its first NUL, as C reads it (text that fills
        // its array has none).
        std::string_view text = got.bytes;
        text = text.substr(0, text.find('\0'));
        bool matched = re2::RE2::PartialMatch(
            re2::StringPiece(text.data(), text.size()), *regex);
        return matched == (op == Op::kMatch);
      }
      case Op::kIn:
        for (const FieldValue& operand : operands) {
          if (CompareFieldValues(got, operand) == 0) return true;
        }
        return false;
      case Op::kPrefix: {
        const std::string_view& want = operands[0].bytes;
        uint32_t whole = prefix_bits / 8, rest = prefix_bits % 8;
        if (got.bytes.compare(0, whole, want.substr(0, whole)) != 0) {
          return false;
        }
        if (rest == 0) return true;
        uint8_t mask = static_cast<uint8_t>(0xff00 >> rest);
        return (static_cast<uint8_t>(got.bytes[whole]) & mask) ==
               (static_cast<uint8_t>(want[whole]) & mask);
      }
      default:
        break;
    }
    int order = CompareFieldValues(got, operands[0]);
    switch (op) {
      case Op::kEq: return order == 0;
      case Op::kNe: return order != 0;
      case Op::kLt: return order < 0;
      case Op::kLe: return order <= 0;
      case Op::kGt: return order > 0;
      case Op::kGe: return order >= 0;
      default: return false;
    }
  }
};

struct FilterNode {
  enum class Kind { kAnd, kOr, kNot, kCompare };
  Kind kind = Kind::kCompare;
  std::unique_ptr<FilterNode> left, right;  // kNot: left only
  std::unique_ptr<Comparison> comparison;

  bool Holds(const uint8_t* key, const uint8_t* value) const {
    switch (kind) {
      case Kind::kAnd:
        return left->Holds(key, value) && right->Holds(key, value);
      case Kind::kOr:
        return left->Holds(key, value) || right->Holds(key, value);
      case Kind::kNot:
        return !left->Holds(key, value);
      case Kind::kCompare:
        return comparison->Holds(key, value);
    }
    return false;
  }
};

namespace {

class FilterParser {
 public:
  FilterParser(std::vector<Token> tokens, const EntryShape& shape,
               const LeafContext& context)
      : tokens_(std::move(tokens)), shape_(shape), context_(context) {}

  uint32_t value_bytes() const { return value_bytes_; }

  Result<std::unique_ptr<FilterNode>> ParseAll() {
    if (Peek().kind == Token::Kind::kEnd) {
      return Fail(Peek(), "the expression is empty");
    }
    BPFMAP_ASSIGN_OR_RETURN(std::unique_ptr<FilterNode> root, ParseOr());
    if (Peek().kind != Token::Kind::kEnd) {
      return Fail(Peek(), fmt::format("expected and, or or the end, not {}",
                                      Shown(Peek())));
    }
    return root;
  }

 private:
  const Token& Peek(size_t ahead = 0) const {
    return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)];
  }
  const Token& Take() {
    const Token& token = Peek();
    if (pos_ + 1 < tokens_.size()) ++pos_;
    return token;
  }
  bool IsWord(const Token& token, std::string_view word) const {
    return token.kind == Token::Kind::kWord && token.text == word;
  }
  bool IsOp(const Token& token, std::string_view op) const {
    return token.kind == Token::Kind::kOp && token.text == op;
  }
  static std::string Shown(const Token& token) {
    switch (token.kind) {
      case Token::Kind::kEnd: return "the end";
      case Token::Kind::kString: return fmt::format("\"{}\"", token.text);
      default: return fmt::format("'{}'", token.text);
    }
  }
  // One line whatever the text quoted in it holds.
  Error Fail(const Token& token, const std::string& message) const {
    return Error::BadInput(fmt::format("--where: column {}: {}", token.column,
                                       OneLine(message)));
  }

  static std::unique_ptr<FilterNode> Join(FilterNode::Kind kind,
                                          std::unique_ptr<FilterNode> left,
                                          std::unique_ptr<FilterNode> right) {
    auto node = std::make_unique<FilterNode>();
    node->kind = kind;
    node->left = std::move(left);
    node->right = std::move(right);
    return node;
  }

  Result<std::unique_ptr<FilterNode>> ParseOr() {
    BPFMAP_ASSIGN_OR_RETURN(std::unique_ptr<FilterNode> left, ParseAnd());
    while (IsWord(Peek(), "or") || IsOp(Peek(), "||")) {
      Take();
      BPFMAP_ASSIGN_OR_RETURN(std::unique_ptr<FilterNode> right, ParseAnd());
      left = Join(FilterNode::Kind::kOr, std::move(left), std::move(right));
    }
    return left;
  }

  Result<std::unique_ptr<FilterNode>> ParseAnd() {
    BPFMAP_ASSIGN_OR_RETURN(std::unique_ptr<FilterNode> left, ParseNot());
    while (IsWord(Peek(), "and") || IsOp(Peek(), "&&")) {
      Take();
      BPFMAP_ASSIGN_OR_RETURN(std::unique_ptr<FilterNode> right, ParseNot());
      left = Join(FilterNode::Kind::kAnd, std::move(left), std::move(right));
    }
    return left;
  }

  // Nesting deeper than this is refused: parsing and matching recurse.
  static constexpr int kMaxDepth = 200;
  static constexpr int kMaxComparisons = 1000;
  // What regular expressions may take: each, this much memory (RE2
  // refuses a pattern whose program would need more: "pattern too
  // large"), and all of one --where together, this many instructions of
  // RE2's programs. Compiling takes time with the square of a program's
  // size (20,000 instructions: 0.1 s here), so these bound it to a few
  // milliseconds, and are far more than patterns over names need
  // ("^curl" is 9 instructions, "[[:alpha:]]{1,1000}" about 2,000).
  static constexpr int64_t kRegexMemory = int64_t{128} << 10;
  static constexpr int kMaxRegexInstructions = 16384;

  Result<std::unique_ptr<FilterNode>> ParseNot() {
    if (++depth_ > kMaxDepth) {
      return Fail(Peek(), fmt::format("nested more than {} deep", kMaxDepth));
    }
    struct Leave {
      int& depth;
      ~Leave() { --depth; }
    } leave{depth_};
    if (IsWord(Peek(), "not") || IsOp(Peek(), "!")) {
      Take();
      BPFMAP_ASSIGN_OR_RETURN(std::unique_ptr<FilterNode> inner, ParseNot());
      return Join(FilterNode::Kind::kNot, std::move(inner), nullptr);
    }
    if (Peek().kind == Token::Kind::kOpen) {
      size_t open = Take().column;
      BPFMAP_ASSIGN_OR_RETURN(std::unique_ptr<FilterNode> inner, ParseOr());
      if (Peek().kind != Token::Kind::kClose) {
        return Fail(Peek(), fmt::format("expected ) to close the ( of "
                                        "column {}, not {}",
                                        open, Shown(Peek())));
      }
      Take();
      return inner;
    }
    return ParseComparison();
  }

  Result<std::unique_ptr<FilterNode>> ParseComparison() {
    // and/or chains nest as deep as they are long.
    if (++comparisons_ > kMaxComparisons) {
      return Fail(Peek(), fmt::format("more than {} comparisons",
                                      kMaxComparisons));
    }
    const Token& name = Take();
    if (name.kind != Token::Kind::kWord) {
      return Fail(name, fmt::format("expected a field (key.dport, comm, "
                                    "key[0:4]), not {}",
                                    Shown(name)));
    }
    Result<EntryField> field = ResolveEntryField(shape_, name.text, "");
    if (!field.ok()) {
      std::string message = field.error().message();
      if (message.rfind(": ", 0) == 0) message.erase(0, 2);
      return Fail(name, message);
    }
    if (!field->in_key) {
      uint32_t end = field->type != nullptr
                         ? field->place.bit_offset / 8 + field->type->size
                         : field->end;
      value_bytes_ = std::max(value_bytes_, end);
    }
    auto comparison = std::make_unique<Comparison>();
    comparison->field = std::move(*field);
    comparison->kind = KindOf(comparison->field);
    const std::string& path = comparison->field.path;
    bool negate = false;
    const Token& op_token = Take();
    if (IsWord(op_token, "not") && IsWord(Peek(), "in")) {
      Take();
      negate = true;
      comparison->op = Op::kIn;
    } else if (IsWord(op_token, "in")) {
      comparison->op = Op::kIn;
    } else if (op_token.kind == Token::Kind::kOp &&
               (op_token.text == "==" || op_token.text == "!=" ||
                op_token.text == "<" || op_token.text == "<=" ||
                op_token.text == ">" || op_token.text == ">=" ||
                op_token.text == "~" || op_token.text == "!~")) {
      const std::string& t = op_token.text;
      comparison->op = t == "==" ? Op::kEq
                       : t == "!=" ? Op::kNe
                       : t == "<" ? Op::kLt
                       : t == "<=" ? Op::kLe
                       : t == ">" ? Op::kGt
                       : t == ">=" ? Op::kGe
                       : t == "~" ? Op::kMatch
                                  : Op::kNoMatch;
    } else {
      return Fail(op_token,
                  fmt::format("expected ==, !=, <, <=, >, >=, ~, !~ or in "
                              "after {}, not {}",
                              path, Shown(op_token)));
    }
    Comparison& c = *comparison;
    if (c.op == Op::kMatch || c.op == Op::kNoMatch) {
      if (c.kind != FieldKind::kText) {
        return Fail(op_token, fmt::format("{} matches text; {} is {}",
                                          OpName(c.op), path,
                                          KindName(c.kind)));
      }
      const Token& pattern = Take();
      if (pattern.kind != Token::Kind::kString &&
          pattern.kind != Token::Kind::kWord) {
        return Fail(pattern, fmt::format("expected a regular expression "
                                         "after {}, not {}",
                                         OpName(c.op), Shown(pattern)));
      }
      // RE2, not regcomp: it matches in time linear in the text and
      // compiles within a memory budget, where glibc's regcomp takes time
      // and memory exponential in some patterns (a{1,32767} took 8 GiB,
      // W??????????+++++ a second, a few more + minutes).
      re2::RE2::Options options;
      options.set_posix_syntax(true);   // POSIX egrep syntax,
      options.set_perl_classes(true);   // with \d \s \w
      options.set_word_boundary(true);  // and \b \B
      options.set_encoding(re2::RE2::Options::EncodingLatin1);  // bytes
      // As regcomp without REG_NEWLINE: ^ and $ at the ends of the text
      // only, and . matches a newline too.
      options.set_one_line(true);
      options.set_dot_nl(true);
      options.set_max_mem(kRegexMemory);
      options.set_log_errors(false);
      c.regex = std::make_unique<re2::RE2>(
          re2::StringPiece(pattern.text.data(), pattern.text.size()), options);
      if (!c.regex->ok()) {
        // RE2 ends its message with the part of the pattern at fault, as
        // UTF-8 from Latin-1; kept where it is short plain text that adds
        // to the pattern shown already.
        std::string why = c.regex->error();
        const std::string& part = c.regex->error_arg();
        bool plain = part.size() < pattern.text.size() &&
                     std::all_of(part.begin(), part.end(), [](char ch) {
                       return ch >= 0x20 && ch < 0x7f;
                     });
        if (!part.empty() && !plain && why.size() >= part.size() + 2 &&
            why.compare(why.size() - part.size(), part.size(), part) == 0) {
          why.resize(why.size() - part.size() - 2);  // and its ": "
        }
        return Fail(pattern, fmt::format("{} is no regular expression: {}",
                                         Shown(pattern), why));
      }
      regex_instructions_ += c.regex->ProgramSize();
      if (regex_instructions_ > kMaxRegexInstructions) {
        return Fail(pattern,
                    fmt::format("{} is too large: with it, the regular "
                                "expressions of one --where would compile to "
                                "more than {} instructions",
                                Shown(pattern), kMaxRegexInstructions));
      }
    } else if (c.op == Op::kIn && Peek().kind == Token::Kind::kOpen) {
      Take();
      while (true) {
        BPFMAP_RETURN_IF_ERROR(ParseOperand(c));
        const Token& next = Take();
        if (next.kind == Token::Kind::kClose) break;
        if (next.kind != Token::Kind::kComma) {
          return Fail(next, fmt::format("expected , or ) in the list after "
                                        "in, not {}",
                                        Shown(next)));
        }
      }
    } else if (c.op == Op::kIn) {
      const Token& prefix = Peek();
      size_t slash = prefix.text.rfind('/');
      if (prefix.kind != Token::Kind::kWord ||
          slash == std::string::npos) {
        return Fail(prefix, fmt::format("expected ADDRESS/BITS (10.0.0.0/8) "
                                        "or a list (A, B) after in, not {}",
                                        Shown(prefix)));
      }
      if (c.kind != FieldKind::kBytes || c.field.type == nullptr) {
        return Fail(prefix, fmt::format("{} is {}, not an address: a prefix "
                                        "does not apply",
                                        path, KindName(c.kind)));
      }
      Take();
      Token address = prefix;
      address.text = prefix.text.substr(0, slash);
      BPFMAP_RETURN_IF_ERROR(ConvertOperand(c, address, nullptr));
      std::optional<uint32_t> bits =
          ParseUint32(std::string_view(prefix.text).substr(slash + 1));
      size_t size = c.field.type ? c.field.type->size
                                 : c.field.end - c.field.begin;
      if (!bits || *bits > size * 8) {
        return Fail(prefix, fmt::format("{} is no prefix length of {} "
                                        "({}-bit)",
                                        prefix.text.substr(slash + 1), path,
                                        size * 8));
      }
      c.op = Op::kPrefix;
      c.prefix_bits = *bits;
    } else {
      BPFMAP_RETURN_IF_ERROR(ParseOperand(c));
    }
    for (size_t i = 0; i < c.operands.size(); ++i) {
      if (c.operands[i].kind == FieldKind::kText ||
          c.operands[i].kind == FieldKind::kBytes) {
        c.operands[i].bytes = c.texts[i];
      }
    }
    auto node = std::make_unique<FilterNode>();
    node->comparison = std::move(comparison);
    if (negate) return Join(FilterNode::Kind::kNot, std::move(node), nullptr);
    return node;
  }

  // The operand after an operator: a word, "text", or hex BYTES...
  Status ParseOperand(Comparison& c) {
    const Token& token = Take();
    if (IsWord(token, "hex")) {
      std::string hex;
      while (Peek().kind == Token::Kind::kWord && IsHexWord(Peek().text)) {
        hex += Take().text;
      }
      if (hex.empty()) {
        return Fail(Peek(), fmt::format("expected hex digits after hex, not "
                                        "{}",
                                        Shown(Peek())));
      }
      std::string bytes = BytesOfHex(hex);
      return ConvertOperand(c, token, &bytes);
    }
    if (token.kind != Token::Kind::kWord &&
        token.kind != Token::Kind::kString) {
      return Fail(token, fmt::format("expected a value to compare {} with, "
                                     "not {}",
                                     c.field.path, Shown(token)));
    }
    return ConvertOperand(c, token, nullptr);
  }

  // `token` (or `hex` bytes) as a value of c's field, added to its operands.
  Status ConvertOperand(Comparison& c, const Token& token,
                        const std::string* hex) {
    const std::string& path = c.field.path;
    FieldValue value;
    value.kind = c.kind;
    std::string text;
    const TypeNode* type = c.field.type;
    if (type == nullptr) {  // a byte range
      uint32_t size = c.field.end - c.field.begin;
      if (hex != nullptr) {
        if (c.host_integer) {
          return Fail(token, fmt::format("{} is compared with numbers here; "
                                         "give numbers, or hex everywhere",
                                         path));
        }
        text = *hex;
        if (text.size() != size) {
          return Fail(token, fmt::format("{} is {} byte{}; hex gives {}", path,
                                         size, size == 1 ? "" : "s",
                                         text.size()));
        }
      } else {
        std::optional<Int128> number =
            token.kind == Token::Kind::kWord ? ParseInteger(token.text)
                                             : std::nullopt;
        if (!number) {
          return Fail(token, fmt::format("{} is bytes: compare it with hex "
                                         "BYTES or a number, not {}",
                                         path, Shown(token)));
        }
        if (size > 16) {
          return Fail(token, fmt::format("{} is {} bytes, too wide for a "
                                         "number: give hex BYTES",
                                         path, size));
        }
        if (!c.operands.empty() && !c.host_integer) {
          return Fail(token, fmt::format("{} is compared with hex bytes here; "
                                         "give hex everywhere",
                                         path));
        }
        c.host_integer = true;
        c.kind = FieldKind::kInteger;
        value.kind = FieldKind::kInteger;
        value.integer = *number;
      }
      c.operands.push_back(value);
      c.texts.push_back(std::move(text));
      return OkStatus();
    }
    switch (c.kind) {
      case FieldKind::kText:
        if (hex != nullptr) {
          text = *hex;
        } else {
          text = token.text;
        }
        break;
      case FieldKind::kFloat: {
        char* end = nullptr;
        value.real = std::strtod(token.text.c_str(), &end);
        if (hex != nullptr || token.text.empty() || *end != '\0') {
          return Fail(token, fmt::format("{} is a number; {} is none", path,
                                         Shown(token)));
        }
        break;
      }
      case FieldKind::kInteger:
      case FieldKind::kBytes: {
        Bytes encoded;
        std::optional<Int128> number;
        if (hex != nullptr) {
          if (hex->size() != type->size) {
            return Fail(token, fmt::format("{} is {} byte{}; hex gives {}",
                                           path, type->size,
                                           type->size == 1 ? "" : "s",
                                           hex->size()));
          }
          encoded.assign(hex->begin(), hex->end());
        } else if (c.kind == FieldKind::kInteger &&
                   token.kind == Token::Kind::kWord &&
                   (number = ParseInteger(token.text))) {
          value.integer = *number;
          break;
        } else {
          Literal literal;
          if (token.kind == Token::Kind::kString) {
            literal.kind = Literal::Kind::kString;
            literal.text = token.text;
          } else {
            Result<Literal> parsed = ParseLiteral(token.text);
            if (!parsed.ok()) return Fail(token, parsed.error().message());
            literal = std::move(*parsed);
          }
          // A leaf of a bitfield is encoded as its whole integer type.
          Result<Bytes> got = EncodeLiteral(*type, literal, path, nullptr,
                                            &context_);
          if (!got.ok()) return Fail(token, got.error().message());
          encoded = std::move(*got);
        }
        if (c.kind == FieldKind::kInteger) {
          value.integer = ReadInteger(*type, encoded.data(), LeafPlace{});
        } else {
          text.assign(encoded.begin(), encoded.end());
        }
        break;
      }
    }
    c.operands.push_back(value);
    c.texts.push_back(std::move(text));
    return OkStatus();
  }

  std::vector<Token> tokens_;
  size_t pos_ = 0;
  uint32_t value_bytes_ = 0;  // the furthest a comparison reads a value
  int depth_ = 0;
  int regex_instructions_ = 0;
  int comparisons_ = 0;
  const EntryShape& shape_;
  const LeafContext& context_;
};

}  // namespace

EntryFilter::EntryFilter() = default;
EntryFilter::EntryFilter(EntryFilter&&) noexcept = default;
EntryFilter& EntryFilter::operator=(EntryFilter&&) noexcept = default;
EntryFilter::~EntryFilter() = default;

Result<EntryFilter> EntryFilter::Parse(std::string_view text,
                                       const EntryShape& shape,
                                       const LeafContext& context) {
  BPFMAP_ASSIGN_OR_RETURN(std::vector<Token> tokens, Tokenize(text));
  FilterParser parser(std::move(tokens), shape, context);
  EntryFilter filter;
  BPFMAP_ASSIGN_OR_RETURN(filter.root_, parser.ParseAll());
  filter.value_bytes_ = parser.value_bytes();
  return filter;
}

bool EntryFilter::Matches(const uint8_t* key, const uint8_t* value) const {
  return root_->Holds(key, value);
}

std::optional<EntryView> FilterStage::Apply(const EntryView& entry) {
  if (!filter_.Matches(entry.key, values_.ValueOf(entry))) return std::nullopt;
  return entry;
}

}  // namespace bpfmap
