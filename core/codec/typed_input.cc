#include "core/codec/typed_input.h"

#include <fmt/format.h>

#include <array>
#include <cerrno>
#include <cfloat>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <set>
#include <vector>

#include "core/base/number.h"
#include "core/codec/byte_codec.h"
#include "core/codec/json_cursor.h"
#include "core/codec/leaf_text.h"
#include "core/types/type_walk.h"
#include "core/types/typed_scalar.h"

namespace bpfmap {
namespace {

using Kind = Literal::Kind;

// A field found by name, through anonymous members if need be.
struct FoundField {
  const Field* field = nullptr;
  uint32_t bit_offset = 0;  // from the start of the searched type
};

bool FindField(const TypeNode& type, std::string_view name, uint32_t base,
               FoundField& found) {
  for (const Field& field : type.fields) {
    if (field.name == name) {
      found = {&field, base + field.bit_offset};
      return true;
    }
    if (field.name.empty() &&
        FindField(*field.type, name, base + field.bit_offset, found)) {
      return true;
    }
  }
  return false;
}

// The member `name` of a struct or union, given once (`seen` holds the
// names given so far); errors name `member_path`.
Result<FoundField> FindMember(const TypeNode& type, std::string_view name,
                              const std::string& member_path,
                              std::set<std::string_view>& seen) {
  if (!seen.insert(name).second) {
    return Error::BadInput(fmt::format("{}: given twice", member_path));
  }
  FoundField found;
  if (name.empty() || !FindField(type, name, 0, found)) {
    return Error::BadInput(fmt::format("{}: no such field (fields: {})",
                                       member_path, FieldNames(type)));
  }
  return found;
}

std::string Describe(const TypeNode& type) {
  switch (type.kind) {
    case TypeKind::kStruct:
    case TypeKind::kUnion:
      return type.name;
    case TypeKind::kArray:
      return IsCharArray(type) ? fmt::format("char[{}]", type.count)
                               : type.name;
    default:
      return type.name;
  }
}

// Writes a literal into a value of a type, walking the type in memory
// order and taking each member from the literal by name (members the
// literal leaves out stay zero). Errors name the path of what was wrong.
class Encoder : public TypeVisitor {
 public:
  Encoder(uint8_t* base, const LeafContext* context)
      : base_(base), context_(context) {}

  Status Encode(const TypeNode& type, const Literal& literal,
                const std::string& path, LeafPlace place) {
    next_ = &literal;
    next_path_ = path;
    WalkType(type, place, *this);
    return status_;
  }

  // The walk's side.
  bool EnterRecord(const TypeNode& type, LeafPlace place) {
    if (!status_.ok()) return false;
    Status checked = CheckRecord(type, *next_, next_path_, place);
    if (!checked.ok() || (type.kind == TypeKind::kUnion &&
                              next_->members.size() > 1)) {
      // A union given several members was written whole, or failed.
      status_ = checked;
      return false;
    }
    frames_.push_back({next_, std::move(next_path_)});
    return true;
  }
  MemberWalk Member(const Field& field, LeafPlace) {
    MemberWalk walk = CMemberWalk(field);
    if (!status_.ok()) return MemberWalk::kSkip;
    if (walk != MemberWalk::kWalk) return walk;
    const Frame& frame = frames_.back();
    for (const auto& [name, value] : frame.literal->members) {
      if (name == field.name) {
        next_ = &value;
        next_path_ = fmt::format("{}.{}", frame.path, name);
        return MemberWalk::kWalk;
      }
    }
    return MemberWalk::kSkip;  // not given: stays zero
  }
  void LeaveRecord(const TypeNode&) { frames_.pop_back(); }
  bool EnterArray(const TypeNode& type, LeafPlace place) {
    if (!status_.ok()) return false;
    bool whole = false;
    status_ = CheckArray(type, *next_, next_path_, place, whole);
    if (!status_.ok() || whole) return false;
    frames_.push_back({next_, std::move(next_path_)});
    return true;
  }
  void Element(uint32_t i) {
    const Frame& frame = frames_.back();
    next_ = &frame.literal->items[i];
    next_path_ = fmt::format("{}[{}]", frame.path, i);
  }
  void LeaveArray(const TypeNode&) { frames_.pop_back(); }
  void Leaf(const TypeNode& type, LeafPlace place) {
    if (status_.ok()) status_ = EncodeScalar(type, *next_, next_path_, place);
  }

 private:
  // A struct, union or array being written: its literal and path.
  struct Frame {
    const Literal* literal;
    std::string path;
  };

  Status EncodeScalar(const TypeNode& type, const Literal& literal,
                      const std::string& path, LeafPlace place) {
    if (type.format != LeafFormat::kNone && !IsScalar(type) &&
        literal.kind != Kind::kString) {
      // An address in u8[4] given as its list of bytes, say: what the
      // array takes without the format.
      TypeNode unformatted = type;
      unformatted.format = LeafFormat::kNone;
      Encoder inner(base_, context_);
      return inner.Encode(unformatted, literal, path, place);
    }
    if (type.format != LeafFormat::kNone ||
        (type.size == 16 && type.kind == TypeKind::kInt)) {
      return EncodeFormattedLeaf(type, literal, path, base_, place,
                                 leaf_context_.get());
    }
    switch (type.kind) {
      case TypeKind::kInt:
      case TypeKind::kChar:
      case TypeKind::kPointer:
        return EncodeInteger(type, literal, path, place);
      case TypeKind::kBool:
        return EncodeBool(type, literal, path, place);
      case TypeKind::kEnum:
        return EncodeEnum(type, literal, path, place);
      case TypeKind::kFloat:
        return EncodeFloat(type, literal, path, place);
      default:
        return Error::BadInput(fmt::format("{}: unsupported type", path));
    }
  }

  Status CheckedWrite(const TypeNode& type, Int128 value,
                      const Literal& literal, const std::string& path,
                      LeafPlace place) {
    return WriteCheckedInteger(type, value, literal, path, base_, place);
  }

  Status EncodeInteger(const TypeNode& type, const Literal& literal,
                       const std::string& path, LeafPlace place) {
    const std::string* text = ScalarText(literal);
    std::optional<Int128> value;
    if (text != nullptr) value = ParseInteger(*text);
    if (!value) {
      // An address, an age, an errno name: what a --fmt shows; the same
      // --fmt reads it back.
      std::optional<std::string_view> shown_as;
      if (literal.kind == Kind::kString) shown_as = FormatShowing(*text);
      return Error::BadInput(fmt::format(
          "{}: {} is not an integer{}", path, LiteralForMessage(literal),
          shown_as ? fmt::format(" (as --fmt {}={} shows one: give that "
                                 "--fmt to read it)",
                                 path, *shown_as)
                   : ""));
    }
    return CheckedWrite(type, *value, literal, path, place);
  }

  Status EncodeBool(const TypeNode& type, const Literal& literal,
                    const std::string& path, LeafPlace place) {
    std::optional<bool> value;
    if (literal.kind == Kind::kBool) {
      value = literal.boolean;
    } else if (const std::string* text = ScalarText(literal)) {
      if (*text == "true" || *text == "1") value = true;
      if (*text == "false" || *text == "0") value = false;
    }
    if (!value) {
      return Error::BadInput(fmt::format(
          "{}: {} is not a bool (true, false, 1 or 0)", path,
          LiteralForMessage(literal)));
    }
    WriteInteger(type, base_, place, *value ? 1 : 0);
    return OkStatus();
  }

  Status EncodeEnum(const TypeNode& type, const Literal& literal,
                    const std::string& path, LeafPlace place) {
    const std::string* text = ScalarText(literal);
    if (text != nullptr) {
      if (std::optional<Int128> number = ParseInteger(*text)) {
        return CheckedWrite(type, *number, literal, path, place);
      }
      for (const Enumerator& e : type.enumerators) {
        if (e.name == *text) {
          return CheckedWrite(type, EnumeratorValue(type, e), literal, path,
                              place);
        }
      }
    }
    std::vector<std::string_view> names;
    for (const Enumerator& e : type.enumerators) names.push_back(e.name);
    return Error::BadInput(fmt::format(
        "{}: no enumerator {} in {} (enumerators: {})", path,
        LiteralForMessage(literal), type.name, fmt::join(names, ", ")));
  }

  Status EncodeFloat(const TypeNode& type, const Literal& literal,
                     const std::string& path, LeafPlace place) {
    const std::string* text = ScalarText(literal);
    double value = 0;
    bool ok = false;
    if (text != nullptr && !text->empty() && !std::isspace(
                                                 static_cast<unsigned char>(
                                                     (*text)[0]))) {
      errno = 0;
      char* end = nullptr;
      value = std::strtod(text->c_str(), &end);
      ok = end == text->c_str() + text->size() && errno != ERANGE;
    }
    if (!ok) {
      return Error::BadInput(fmt::format("{}: {} is not a number", path,
                                         LiteralForMessage(literal)));
    }
    if (std::isnan(value) && text->find('(') != std::string::npos) {
      // strtod takes "nan(123)", a NaN with a payload, which no output
      // prints back.
      return Error::BadInput(fmt::format(
          "{}: {}: a NaN is nan or -nan, without a payload", path,
          LiteralForMessage(literal)));
    }
    if (type.size == 4 && std::isfinite(value) && std::fabs(value) > FLT_MAX) {
      return Error::BadInput(fmt::format("{}: {} does not fit in float", path,
                                         LiteralForMessage(literal)));
    }
    WriteFloat(type, base_, place, value);
    return OkStatus();
  }

  // Checks that `literal` fits the array `type`; a char array given a
  // string is written at once (`whole`).
  Status CheckArray(const TypeNode& type, const Literal& literal,
                    const std::string& path, LeafPlace place, bool& whole) {
    uint32_t byte_offset = place.bit_offset / 8;
    if (IsCharArray(type) && literal.kind == Kind::kString) {
      const std::string& text = literal.text;
      if (text.find('\0') != std::string::npos) {
        return Error::BadInput(
            fmt::format("{}: the string holds a NUL character", path));
      }
      if (text.size() > type.count) {
        return Error::BadInput(fmt::format(
            "{}: {} is {} bytes; char[{}] holds at most {}", path,
            LiteralForMessage(literal), text.size(), type.count, type.count));
      }
      // The whole array: a shorter string over an old one leaves no tail.
      std::fill(base_ + byte_offset, base_ + byte_offset + type.count, 0);
      std::copy(text.begin(), text.end(), base_ + byte_offset);
      whole = true;
      return OkStatus();
    }
    if (literal.kind != Kind::kArray) {
      return Error::BadInput(fmt::format(
          "{}: {} takes a JSON list of {} item{}{}, not {}", path,
          Describe(type), type.count, type.count == 1 ? "" : "s",
          IsCharArray(type) ? " or a string" : "",
          LiteralForMessage(literal)));
    }
    if (literal.items.size() != type.count) {
      return Error::BadInput(fmt::format(
          "{}: {} item{} given; {} takes exactly {}", path,
          literal.items.size(), literal.items.size() == 1 ? "" : "s",
          Describe(type), type.count));
    }
    return OkStatus();
  }

  // Checks that `literal` fits the struct or union `type`: an object
  // whose members it has, each given once. A union given several members
  // is written at once.
  Status CheckRecord(const TypeNode& type, const Literal& literal,
                     const std::string& path, LeafPlace place) {
    if (literal.kind != Kind::kObject) {
      return Error::BadInput(fmt::format(
          "{}: {} takes a JSON object (fields: {}), not {}", path,
          Describe(type), FieldNames(type), LiteralForMessage(literal)));
    }
    if (type.kind == TypeKind::kUnion && literal.members.size() > 1) {
      return EncodeUnionMembers(type, literal, path, place);
    }
    std::set<std::string_view> seen;
    for (const auto& member : literal.members) {
      BPFMAP_RETURN_IF_ERROR(
          FindMember(type, member.first,
                     fmt::format("{}.{}", path, member.first), seen));
    }
    return OkStatus();
  }

  // A union given several members, as bpfmap prints them: each member is
  // encoded on its own, and they must agree on every byte they share.
  Status EncodeUnionMembers(const TypeNode& type, const Literal& literal,
                            const std::string& path, LeafPlace place) {
    if (place.bit_offset % 8 != 0) {
      return Error::BadInput(fmt::format(
          "{}: {} takes one member, {} given", path, Describe(type),
          literal.members.size()));
    }
    uint8_t* out = base_ + place.bit_offset / 8;
    Bytes merged(type.size, 0);
    std::vector<bool> covered(type.size, false);
    std::vector<std::string_view> owner(type.size);
    std::set<std::string_view> seen;
    for (const auto& [name, value] : literal.members) {
      std::string member_path = fmt::format("{}.{}", path, name);
      BPFMAP_ASSIGN_OR_RETURN(FoundField found,
                              FindMember(type, name, member_path, seen));
      Bytes own(type.size, 0);
      Encoder encoder(own.data(), context_);
      BPFMAP_RETURN_IF_ERROR(
          encoder.Encode(*found.field->type, value, member_path,
                         {found.bit_offset, found.field->bit_size}));
      uint32_t begin = found.bit_offset / 8;
      uint32_t end = std::min<uint32_t>(
          type.size, begin + (found.field->bit_size != 0
                                  ? (found.field->bit_size + 7) / 8 + 1
                                  : found.field->type->size));
      for (uint32_t i = begin; i < end; ++i) {
        if (covered[i] && merged[i] != own[i]) {
          return Error::BadInput(fmt::format(
              "{}: members {} and {} give different bytes; give one member",
              path, owner[i], name));
        }
        covered[i] = true;
        merged[i] = own[i];
        owner[i] = name;
      }
    }
    std::copy(merged.begin(), merged.end(), out);
    return OkStatus();
  }

  uint8_t* base_;
  const LeafContext* context_;
  LeafContextOrNow leaf_context_{context_};
  Status status_;
  std::vector<Frame> frames_;
  // The literal for the node the walk enters next, and its path.
  const Literal* next_ = nullptr;
  std::string next_path_;
};

// EncodeJsonFast's reader: the shapes dump prints (members in memory
// order, some left out), straight into bytes, walking the type. Anything
// else (members out of order, unions, chars, floats, escapes) it leaves to
// the general reader.
class FastEncoder : public TypeVisitor {
 public:
  FastEncoder(JsonCursor& in, uint8_t* base) : in_(in), base_(base) {}

  bool Encode(const TypeNode& type) {
    WalkType(type, LeafPlace{}, *this);
    return ok_;
  }

  // The walk's side.
  bool EnterRecord(const TypeNode& type, LeafPlace place) {
    ok_ = ok_ && type.kind == TypeKind::kStruct && place.bit_size == 0 &&
          in_.Eat('{');
    if (!ok_) return false;
    if (depth_ == kMaxDepth) return ok_ = false;
    frames_[depth_++] = Frame{{}, 0, in_.Eat('}')};
    return true;
  }
  MemberWalk Member(const Field& field, LeafPlace) {
    MemberWalk walk = CMemberWalk(field);
    Frame& frame = frames_[depth_ - 1];
    if (!ok_ || frame.closed || walk != MemberWalk::kWalk) {
      return ok_ && !frame.closed ? walk : MemberWalk::kSkip;
    }
    if (frame.key.empty()) {  // read the next key
      if (frame.keys_read > 0) {
        if (in_.Eat('}')) {
          frame.closed = true;
          return MemberWalk::kSkip;
        }
        ok_ = in_.Eat(',');
      }
      ok_ = ok_ && in_.String(frame.key) && !frame.key.empty() &&
            in_.Eat(':');
      ++frame.keys_read;
      if (!ok_) return MemberWalk::kSkip;
    }
    if (frame.key != field.name) return MemberWalk::kSkip;  // left out
    frame.key = {};
    return MemberWalk::kWalk;
  }
  void LeaveRecord(const TypeNode&) {
    const Frame& frame = frames_[--depth_];
    // A key not taken is out of order, given twice or unknown.
    ok_ = ok_ && (frame.closed || (frame.key.empty() && in_.Eat('}')));
  }
  bool EnterArray(const TypeNode& type, LeafPlace place) {
    ok_ = ok_ && place.bit_size == 0 && place.bit_offset % 8 == 0;
    if (!ok_) return false;
    if (IsCharArray(type)) {
      std::string_view string;
      ok_ = in_.String(string) && string.size() <= type.count;
      if (ok_) {
        std::copy(string.begin(), string.end(), base_ + place.bit_offset / 8);
      }
      return false;
    }
    ok_ = in_.Eat('[');
    return ok_;
  }
  void Element(uint32_t i) { ok_ = ok_ && (i == 0 || in_.Eat(',')); }
  void LeaveArray(const TypeNode&) { ok_ = ok_ && in_.Eat(']'); }
  void Leaf(const TypeNode& type, LeafPlace place) {
    if (!ok_) return;
    if (type.format != LeafFormat::kNone) {
      ok_ = Formatted(type, place);
      return;
    }
    switch (type.kind) {
      case TypeKind::kInt:
      case TypeKind::kPointer:
        ok_ = Integer(type, place);
        return;
      case TypeKind::kEnum:
        ok_ = in_.Peek('"') ? EnumName(type, place) : Integer(type, place);
        return;
      case TypeKind::kBool:
        if (in_.Word("true")) {
          ok_ = Write(type, place, 1);
        } else {
          ok_ = in_.Word("false") && Write(type, place, 0);
        }
        return;
      default:  // chars and floats: the general reader
        ok_ = false;
        return;
    }
  }

 private:
  // A struct being read.
  struct Frame {
    std::string_view key;  // read, not yet matched to a member
    uint32_t keys_read = 0;
    bool closed = false;   // its '}' is read
  };

  bool Write(const TypeNode& type, LeafPlace place, Int128 value) {
    IntegerRange range = RangeOf(type, place);
    if (value < range.min || value > range.max) return false;
    WriteInteger(type, base_, place, value);
    return true;
  }
  bool Integer(const TypeNode& type, LeafPlace place) {
    std::string_view text;
    if (type.size > 8 || !in_.Integer(text)) return false;
    std::optional<Int128> value = ParseInteger(text);
    return value && Write(type, place, *value);
  }
  // A formatted leaf as dump prints it: a string (an address, a MAC, hex)
  // or a number. Ages and symbols depend on when and where they are read:
  // those, and anything else, go to the general reader.
  bool Formatted(const TypeNode& type, LeafPlace place) {
    if (type.format == LeafFormat::kKtime ||
        type.format == LeafFormat::kKtimeBoot ||
        type.format == LeafFormat::kKsym || place.bit_size != 0) {
      return false;
    }
    scratch_.kind = in_.Peek('"') ? Literal::Kind::kString
                                  : Literal::Kind::kNumber;
    std::string_view text;
    if (scratch_.kind == Literal::Kind::kString ? !in_.String(text)
                                                : !in_.Integer(text)) {
      return false;
    }
    if (scratch_.kind == Literal::Kind::kNumber && !IsScalar(type)) {
      return false;  // an array's bytes: the general reader
    }
    scratch_.text.assign(text.data(), text.size());
    return EncodeFormattedLeaf(type, scratch_, "", base_, place, no_context_)
        .ok();
  }
  bool EnumName(const TypeNode& type, LeafPlace place) {
    std::string_view name;
    if (!in_.String(name)) return false;
    for (const Enumerator& e : type.enumerators) {
      if (e.name == name) return Write(type, place, EnumeratorValue(type, e));
    }
    return false;
  }

  // Structs nested deeper go to the general reader.
  static constexpr size_t kMaxDepth = 16;

  JsonCursor& in_;
  uint8_t* base_;
  bool ok_ = true;
  Literal scratch_;  // a formatted leaf's text, reused line after line
  LeafContext no_context_;  // the formats taken here read no clock
  std::array<Frame, kMaxDepth> frames_;  // no allocation per line
  size_t depth_ = 0;
};

}  // namespace

bool EncodeJsonFast(const TypeNode& type, JsonCursor& in, uint8_t* out) {
  return FastEncoder(in, out).Encode(type);
}

Result<Bytes> EncodeLiteral(const TypeNode& type, const Literal& literal,
                            const std::string& path, const Bytes* base,
                            const LeafContext* context) {
  Bytes bytes = base != nullptr && base->size() == type.size
                    ? *base
                    : Bytes(type.size, 0);
  Encoder encoder(bytes.data(), context);
  BPFMAP_RETURN_IF_ERROR(encoder.Encode(type, literal, path, LeafPlace{}));
  return bytes;
}

Result<Bytes> ParseElementWords(const TypeNode* type,
                                const std::vector<std::string>& words,
                                uint32_t size, const std::string& what,
                                const Bytes* base,
                                const LeafContext* context) {
  if (type == nullptr || words.empty() || words[0] == "hex") {
    return ParseBytesOfSize(words, size, what);
  }
  if (words.size() == size) {
    Result<Bytes> bytes = ParseByteTokens(words, what);
    // As many words as bytes: byte tokens, and a bad one is named (a
    // one-byte type's single word may still be a typed scalar).
    if (bytes.ok() || size > 1) return bytes;
  }
  if (words.size() != 1) {
    return Error::BadInput(fmt::format(
        "{}: {} words given; a typed {} ({}) is one word, JSON or a scalar, "
        "or else {} byte tokens or hex BYTES",
        what, words.size(), what, type->name, size));
  }
  Result<Literal> literal = ParseLiteral(words[0]);
  if (!literal.ok()) return literal.error().WithContext(what);
  return EncodeLiteral(*type, *literal, what, base, context);
}

}  // namespace bpfmap
