#include "formatters/typed_text.h"

#include <algorithm>
#include <optional>

#include "core/types/type_walk.h"
#include "formatters/json_writer.h"
#include "formatters/typed_leaf.h"

namespace bpfmap {
namespace {

// Text as the plain format prints it: {ip=1 port=80}, [1 2 3], "tag".
class TypedTextWriter : public TypeVisitor {
 public:
  TypedTextWriter(const uint8_t* base, bool bare_strings,
                  fmt::memory_buffer& out, const LeafContext& context)
      : base_(base), bare_strings_(bare_strings), out_(out),
        context_(context) {}

  bool EnterRecord(const TypeNode&, LeafPlace) {
    Open('{');
    return true;
  }
  MemberWalk Member(const Field& field, LeafPlace) {
    MemberWalk walk = CMemberWalk(field);
    if (walk == MemberWalk::kWalk) {
      Separate();
      out_.append(field.name);
      out_.push_back('=');
      separate_ = false;
    }
    return walk;
  }
  void LeaveRecord(const TypeNode&) { Close('}'); }

  bool EnterArray(const TypeNode& type, LeafPlace place) {
    if (IsCharArray(type)) {
      std::optional<std::string_view> text =
          CharArrayText(type, base_ + place.bit_offset / 8);
      if (text) {
        AppendString(*text);
        separate_ = true;
        return false;
      }
    }
    Open('[');
    return true;
  }
  void Element(uint32_t) { Separate(); }
  void LeaveArray(const TypeNode&) { Close(']'); }

  void Leaf(const TypeNode& type, LeafPlace place) {
    if (type.format != LeafFormat::kNone ||
        (type.size == 16 && type.kind == TypeKind::kInt)) {
      LeafText text = FormatLeaf(type, base_, place, context_, false);
      if (text.json == LeafText::Json::kString &&
          type.format == LeafFormat::kStr) {
        AppendString(text.text);  // text: quoted, as char arrays are
      } else if (text.json == LeafText::Json::kJson) {
        std::replace(text.text.begin(), text.text.end(), ',', ' ');
        out_.append(text.text);
      } else {
        out_.append(text.text);
      }
      separate_ = true;
      return;
    }
    switch (type.kind) {
      case TypeKind::kBool:
        out_.append(std::string_view(
            ReadInteger(type, base_, place) != 0 ? "true" : "false"));
        break;
      case TypeKind::kEnum: {
        Int128 value = ReadInteger(type, base_, place);
        if (const Enumerator* e = FindEnumerator(type, value)) {
          out_.append(e->name);
        } else {
          AppendInteger(value, out_);
        }
        break;
      }
      case TypeKind::kFloat:
        AppendDouble(ReadFloat(type, base_, place), out_);
        break;
      default:
        AppendInteger(ReadInteger(type, base_, place), out_);
        break;
    }
    separate_ = true;
  }

 private:
  // Bare in table cells where that reads back the same; quoted else.
  void AppendString(std::string_view text) {
    bool plain = bare_strings_ && !text.empty() && text.front() != ' ' &&
                 text.back() != ' ' && text.front() != '"' &&
                 std::none_of(text.begin(), text.end(), [](char c) {
                   return static_cast<unsigned char>(c) < 0x20;
                 });
    if (plain) {
      out_.append(text);
    } else {
      AppendJsonString(text, out_);
    }
  }

  void Open(char c) {
    out_.push_back(c);
    separate_ = false;
  }
  void Close(char c) {
    out_.push_back(c);
    separate_ = true;
  }
  // A space between members or elements.
  void Separate() {
    if (separate_) out_.push_back(' ');
    separate_ = false;
  }

  const uint8_t* base_;
  bool bare_strings_;
  fmt::memory_buffer& out_;
  const LeafContext& context_;
  bool separate_ = false;
};

}  // namespace

void AppendTypedText(const TypeNode& type, const uint8_t* base,
                     LeafPlace place, bool bare_strings,
                     fmt::memory_buffer& out, const LeafContext* context) {
  static const LeafContext kNone;  // ages and symbols unknown: numbers
  TypedTextWriter writer(base, bare_strings, out,
                         context != nullptr ? *context : kNone);
  WalkType(type, place, writer);
}

}  // namespace bpfmap
