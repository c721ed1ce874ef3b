#include "core/types/c_layout.h"
#include "core/types/c_type.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/base/number.h"

namespace bpfmap {
namespace {

constexpr int kMaxDepth = 32;

struct Token {
  std::string text;
  size_t offset = 0;  // in the input, for messages
};

Result<std::vector<Token>> Tokenize(std::string_view text) {
  std::vector<Token> tokens;
  size_t i = 0;
  while (i < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (std::isspace(c)) {
      ++i;
      continue;
    }
    size_t start = i;
    if (std::isalnum(c) || c == '_' || c == '-') {
      ++i;
      while (i < text.size() &&
             (std::isalnum(static_cast<unsigned char>(text[i])) ||
              text[i] == '_')) {
        ++i;
      }
    } else if (std::string_view("{}[];:,=*").find(static_cast<char>(c)) !=
               std::string_view::npos) {
      ++i;
    } else {
      return Error::BadInput(fmt::format(
          "unexpected character '{}' at offset {}", text[i], i));
    }
    tokens.push_back({std::string(text.substr(start, i - start)), start});
  }
  return tokens;
}

TypeRef MakeScalar(TypeKind kind, std::string name, uint32_t size,
                   bool is_signed) {
  auto node = std::make_shared<TypeNode>();
  node->kind = kind;
  node->name = std::move(name);
  node->size = size;
  node->is_signed = is_signed;
  return node;
}

// Scalars named by one word.
const std::map<std::string, TypeRef, std::less<>>& NamedScalars() {
  static const auto* scalars = [] {
    auto* m = new std::map<std::string, TypeRef, std::less<>>();
    for (int bits : {8, 16, 32, 64}) {
      uint32_t size = bits / 8;
      for (const char* prefix : {"u", "__u"}) {
        std::string name = fmt::format("{}{}", prefix, bits);
        (*m)[name] = MakeScalar(TypeKind::kInt, name, size, false);
      }
      for (const char* prefix : {"s", "__s"}) {
        std::string name = fmt::format("{}{}", prefix, bits);
        (*m)[name] = MakeScalar(TypeKind::kInt, name, size, true);
      }
      std::string u = fmt::format("uint{}_t", bits);
      (*m)[u] = MakeScalar(TypeKind::kInt, u, size, false);
      std::string s = fmt::format("int{}_t", bits);
      (*m)[s] = MakeScalar(TypeKind::kInt, s, size, true);
      if (bits > 8) {
        for (const char* prefix : {"__be", "__le"}) {
          std::string name = fmt::format("{}{}", prefix, bits);
          auto node = std::make_shared<TypeNode>(
              *MakeScalar(TypeKind::kInt, name, size, false));
          node->big_endian = IsBigEndianName(name);
          (*m)[name] = node;
        }
      }
    }
    (*m)["bool"] = MakeScalar(TypeKind::kBool, "bool", 1, false);
    (*m)["_Bool"] = MakeScalar(TypeKind::kBool, "_Bool", 1, false);
    (*m)["float"] = MakeScalar(TypeKind::kFloat, "float", 4, true);
    (*m)["double"] = MakeScalar(TypeKind::kFloat, "double", 8, true);
    for (const char* name : {"u128", "__u128"}) {
      (*m)[name] = MakeScalar(TypeKind::kInt, name, 16, false);
    }
    for (const char* name : {"s128", "__s128"}) {
      (*m)[name] = MakeScalar(TypeKind::kInt, name, 16, true);
    }
    (*m)["size_t"] = MakeScalar(TypeKind::kInt, "size_t", 8, false);
    (*m)["__wsum"] = MakeScalar(TypeKind::kInt, "__wsum", 4, false);
    (*m)["__sum16"] = MakeScalar(TypeKind::kInt, "__sum16", 2, false);
    return m;
  }();
  return *scalars;
}

bool IsCScalarWord(std::string_view word) {
  return word == "unsigned" || word == "signed" || word == "char" ||
         word == "short" || word == "int" || word == "long" ||
         word == "__int128";
}

bool IsIdentifier(std::string_view word) {
  if (word.empty() ||
      !(std::isalpha(static_cast<unsigned char>(word[0])) || word[0] == '_')) {
    return false;
  }
  return std::all_of(word.begin(), word.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

class Parser {
 public:
  Parser(std::vector<Token> tokens, const NamedTypeLookup& lookup)
      : tokens_(std::move(tokens)), lookup_(lookup) {}

  Result<TypeRef> ParseWhole() {
    if (tokens_.empty()) return Error::BadInput("no type given");
    BPFMAP_ASSIGN_OR_RETURN(TypeRef type, Specifier(0));
    BPFMAP_ASSIGN_OR_RETURN(type, PointerAndArrays(type));
    if (pos_ < tokens_.size()) {
      return Unexpected("after the type");
    }
    if (type->size == 0) {
      return Error::BadInput(fmt::format("{} has no size", type->name));
    }
    return type;
  }

 private:
  bool AtEnd() const { return pos_ >= tokens_.size(); }
  const std::string& Peek() const {
    static const std::string kEnd;
    return AtEnd() ? kEnd : tokens_[pos_].text;
  }
  bool Accept(std::string_view text) {
    if (!AtEnd() && tokens_[pos_].text == text) {
      ++pos_;
      return true;
    }
    return false;
  }
  Error Unexpected(std::string_view where) const {
    if (AtEnd()) {
      return Error::BadInput(fmt::format("the type ends early ({})", where));
    }
    return Error::BadInput(fmt::format("unexpected '{}' at offset {} ({})",
                                       tokens_[pos_].text,
                                       tokens_[pos_].offset, where));
  }
  Status Expect(std::string_view text, std::string_view where) {
    if (Accept(text)) return OkStatus();
    return Unexpected(fmt::format("expected '{}' {}", text, where));
  }

  Result<TypeRef> Specifier(int depth) {
    if (depth > kMaxDepth) {
      return Error::BadInput(
          fmt::format("the type nests more than {} levels deep", kMaxDepth));
    }
    if (AtEnd()) return Unexpected("a type is needed");
    std::string word = Peek();
    if (word == "const" || word == "volatile") {
      ++pos_;
      return Specifier(depth);
    }
    if (word == "struct" || word == "union") {
      ++pos_;
      return Record(word, depth);
    }
    if (word == "enum") {
      ++pos_;
      return Enum();
    }
    if (word == "typedef") {
      ++pos_;
      std::string name = Peek();
      if (!IsIdentifier(name)) return Unexpected("typedef needs a name");
      ++pos_;
      return Lookup("typedef", name);
    }
    if (word == "void") {
      ++pos_;
      if (Peek() != "*") return Unexpected("void is only for pointers");
      return MakeScalar(TypeKind::kInt, "void", 0, false);
    }
    if (IsCScalarWord(word)) return CScalar();
    auto scalar = NamedScalars().find(word);
    if (scalar != NamedScalars().end()) {
      ++pos_;
      return scalar->second;
    }
    if (IsIdentifier(word)) {
      ++pos_;
      if (!lookup_) {
        return Error::BadInput(fmt::format(
            "unknown type '{}' (a typedef needs --btf FILE that defines it)",
            word));
      }
      return Lookup("typedef", word);
    }
    return Unexpected("a type is needed");
  }

  Result<TypeRef> Lookup(std::string_view keyword, const std::string& name) {
    if (!lookup_) {
      return Error::BadInput(fmt::format(
          "{} {} is not defined here; define it inline or give --btf FILE",
          keyword, name));
    }
    return lookup_(keyword, name);
  }

  // unsigned/signed/short/long/int/char in C's combinations.
  Result<TypeRef> CScalar() {
    int longs = 0;
    bool is_unsigned = false, is_signed = false, is_short = false,
         is_char = false, is_int = false, is_int128 = false;
    std::string spelled;
    while (!AtEnd() && IsCScalarWord(Peek())) {
      const std::string& w = Peek();
      if (w == "unsigned") is_unsigned = true;
      if (w == "signed") is_signed = true;
      if (w == "short") is_short = true;
      if (w == "long") ++longs;
      if (w == "char") is_char = true;
      if (w == "int") is_int = true;
      if (w == "__int128") is_int128 = true;
      spelled += spelled.empty() ? w : " " + w;
      ++pos_;
    }
    if ((is_unsigned && is_signed) || longs > 2 ||
        (is_char && (is_short || longs > 0 || is_int)) ||
        (is_short && longs > 0) ||
        (is_int128 && (is_char || is_short || longs > 0 || is_int))) {
      return Error::BadInput(fmt::format("'{}' is not a C type", spelled));
    }
    if (is_int128) {
      return MakeScalar(TypeKind::kInt, spelled, 16, !is_unsigned);
    }
    if (is_char) {
      // Plain char (signed, as clang has it for BPF) holds text; signed and
      // unsigned char hold numbers, as BTF readers treat them.
      if (!is_unsigned && !is_signed) {
        return MakeScalar(TypeKind::kChar, "char", 1, true);
      }
      return MakeScalar(TypeKind::kInt, spelled, 1, is_signed);
    }
    uint32_t size = is_short ? 2 : longs > 0 ? 8 : 4;
    return MakeScalar(TypeKind::kInt, spelled, size, !is_unsigned);
  }

  Result<TypeRef> Enum() {
    std::string name;
    if (IsIdentifier(Peek()) && Peek() != "{") {
      name = Peek();
      ++pos_;
    }
    if (!Accept("{")) {
      if (name.empty()) return Unexpected("enum needs a name or '{'");
      return Lookup("enum", name);
    }
    auto node = std::make_shared<TypeNode>();
    node->kind = TypeKind::kEnum;
    node->name = name.empty() ? "enum" : "enum " + name;
    Int128 next = 0;
    std::set<std::string> seen;
    while (!Accept("}")) {
      std::string enumerator = Peek();
      if (!IsIdentifier(enumerator)) return Unexpected("in the enum");
      ++pos_;
      if (!seen.insert(enumerator).second) {
        return Error::BadInput(
            fmt::format("enumerator {} is given twice", enumerator));
      }
      if (Accept("=")) {
        std::optional<Int128> value = ParseInteger(Peek());
        if (!value || *value < INT64_MIN || *value > UINT64_MAX) {
          return Unexpected("an enumerator's value must be an integer");
        }
        ++pos_;
        next = *value;
      }
      node->enumerators.push_back({enumerator, static_cast<int64_t>(next)});
      if (next < 0) node->is_signed = true;
      ++next;
      if (!Accept(",")) {
        BPFMAP_RETURN_IF_ERROR(Expect("}", "to close the enum"));
        break;
      }
    }
    if (node->enumerators.empty()) {
      return Error::BadInput(fmt::format("{} has no enumerators", node->name));
    }
    node->size = 4;
    for (const Enumerator& e : node->enumerators) {
      bool fits = node->is_signed ? e.value >= INT32_MIN && e.value <= INT32_MAX
                                  : static_cast<uint64_t>(e.value) <= UINT32_MAX;
      if (!fits) node->size = 8;
    }
    return TypeRef(std::move(node));
  }

  Result<TypeRef> Record(const std::string& keyword, int depth) {
    std::string name;
    if (IsIdentifier(Peek())) {
      name = Peek();
      ++pos_;
    }
    if (!Accept("{")) {
      if (name.empty()) return Unexpected(keyword + " needs a name or '{'");
      return Lookup(keyword, name);
    }
    auto node = std::make_shared<TypeNode>();
    bool is_union = keyword == "union";
    node->kind = is_union ? TypeKind::kUnion : TypeKind::kStruct;
    node->name = name.empty() ? keyword : keyword + " " + name;
    RecordLayout layout(is_union, node->name);
    std::set<std::string> names;
    while (!Accept("}")) {
      BPFMAP_ASSIGN_OR_RETURN(TypeRef base, Specifier(depth + 1));
      while (true) {
        BPFMAP_ASSIGN_OR_RETURN(TypeRef type, PointerAndArrays(base, true));
        std::string member = Peek();
        bool anonymous = member == ";" &&
                         (type->kind == TypeKind::kStruct ||
                          type->kind == TypeKind::kUnion);
        if (!anonymous) {
          if (!IsIdentifier(member)) return Unexpected("a member name");
          ++pos_;
          BPFMAP_ASSIGN_OR_RETURN(type, PointerAndArrays(type, false, true));
          if (!names.insert(member).second) {
            return Error::BadInput(fmt::format(
                "{}: member {} is declared twice", node->name, member));
          }
        } else {
          member.clear();
        }
        uint32_t bits = 0;
        if (Accept(":")) {
          std::optional<uint32_t> width = ParseUint32(Peek());
          if (!width) return Unexpected("a bitfield needs a width");
          ++pos_;
          bool integral = type->kind == TypeKind::kInt ||
                          type->kind == TypeKind::kChar ||
                          type->kind == TypeKind::kBool ||
                          type->kind == TypeKind::kEnum;
          if (!integral || *width == 0 || *width > type->size * 8) {
            return Error::BadInput(fmt::format(
                "{}.{}: a bitfield of {} bits does not fit in {}", node->name,
                member, *width, type->name));
          }
          bits = *width;
        }
        if (type->size == 0) {
          return Error::BadInput(
              fmt::format("{}.{} has no size", node->name, member));
        }
        Field field;
        field.name = member;
        field.type = type;
        field.bit_size = bits;
        BPFMAP_RETURN_IF_ERROR(layout.Place(field));
        node->fields.push_back(std::move(field));
        if (!Accept(",")) break;
      }
      BPFMAP_RETURN_IF_ERROR(Expect(";", "after a member"));
    }
    if (node->fields.empty()) {
      return Error::BadInput(fmt::format("{} has no members", node->name));
    }
    node->size = layout.Size();
    return TypeRef(std::move(node));
  }

  // `*` before a member name (pointers), `[N]` after it or after a type.
  Result<TypeRef> PointerAndArrays(TypeRef type, bool pointers_only = false,
                                   bool arrays_only = false) {
    if (!arrays_only) {
      while (Accept("*")) {
        type = MakeScalar(TypeKind::kPointer, type->name + " *", 8, false);
      }
    }
    if (pointers_only) return type;
    std::vector<uint32_t> counts;
    while (Accept("[")) {
      std::optional<uint32_t> count = ParseUint32(Peek());
      if (!count || *count == 0) {
        return Unexpected("an array needs a length of at least 1");
      }
      ++pos_;
      BPFMAP_RETURN_IF_ERROR(Expect("]", "to close the array length"));
      counts.push_back(*count);
    }
    // int a[2][3] is two arrays of three.
    for (auto it = counts.rbegin(); it != counts.rend(); ++it) {
      uint64_t size = uint64_t{type->size} * *it;
      if (size > kMaxTypeSize) {
        return Error::BadInput(
            fmt::format("{}[{}] is larger than 1 GiB", type->name, *it));
      }
      auto array = std::make_shared<TypeNode>();
      array->kind = TypeKind::kArray;
      array->element = type;
      array->count = *it;
      array->size = static_cast<uint32_t>(size);
      array->name = fmt::format("{}[{}]", type->name, *it);
      type = std::move(array);
    }
    return type;
  }

  std::vector<Token> tokens_;
  size_t pos_ = 0;
  const NamedTypeLookup& lookup_;
};

}  // namespace

Result<TypeRef> ParseCType(std::string_view text,
                           const NamedTypeLookup& lookup) {
  BPFMAP_ASSIGN_OR_RETURN(std::vector<Token> tokens, Tokenize(text));
  return Parser(std::move(tokens), lookup).ParseWhole();
}

}  // namespace bpfmap
