#include "formatters/typed_text.h"

#include <optional>

#include "formatters/json_writer.h"
#include "formatters/typed_leaf.h"

namespace bpfmap {
namespace {

class TypedTextWriter {
 public:
  TypedTextWriter(const uint8_t* base, bool bare_strings,
                  fmt::memory_buffer& out)
      : base_(base), bare_strings_(bare_strings), out_(out) {}

  void Write(const TypeNode& type, LeafPlace place) {
    switch (type.kind) {
      case TypeKind::kInt:
      case TypeKind::kChar:
      case TypeKind::kPointer:
        AppendInteger(ReadInteger(type, base_, place), out_);
        return;
      case TypeKind::kBool:
        out_.append(std::string_view(
            ReadInteger(type, base_, place) != 0 ? "true" : "false"));
        return;
      case TypeKind::kEnum: {
        Int128 value = ReadInteger(type, base_, place);
        if (const Enumerator* e = FindEnumerator(type, value)) {
          out_.append(e->name);
        } else {
          AppendInteger(value, out_);
        }
        return;
      }
      case TypeKind::kFloat:
        AppendDouble(ReadFloat(type, base_, place), out_);
        return;
      case TypeKind::kArray:
        WriteArray(type, place);
        return;
      case TypeKind::kStruct:
      case TypeKind::kUnion: {
        out_.push_back('{');
        bool first = true;
        WriteMembers(type, place, first);
        out_.push_back('}');
        return;
      }
    }
  }

 private:
  void WriteArray(const TypeNode& type, LeafPlace place) {
    if (IsCharArray(type)) {
      std::optional<std::string_view> text =
          CharArrayText(type, base_ + place.bit_offset / 8);
      if (text) {
        if (bare_strings_) {
          out_.append(*text);
        } else {
          AppendJsonString(*text, out_);
        }
        return;
      }
    }
    out_.push_back('[');
    for (uint32_t i = 0; i < type.count; ++i) {
      if (i > 0) out_.push_back(' ');
      Write(*type.element, {place.bit_offset + i * type.element->size * 8, 0});
    }
    out_.push_back(']');
  }

  void WriteMembers(const TypeNode& type, LeafPlace place, bool& first) {
    for (const Field& field : type.fields) {
      LeafPlace member{place.bit_offset + field.bit_offset, field.bit_size};
      if (field.name.empty()) {
        if (field.type->kind == TypeKind::kStruct ||
            field.type->kind == TypeKind::kUnion) {
          WriteMembers(*field.type, member, first);
        }
        continue;  // an unnamed scalar is a padding bitfield
      }
      if (!first) out_.push_back(' ');
      first = false;
      out_.append(field.name);
      out_.push_back('=');
      Write(*field.type, member);
    }
  }

  const uint8_t* base_;
  bool bare_strings_;
  fmt::memory_buffer& out_;
};

}  // namespace

void AppendTypedText(const TypeNode& type, const uint8_t* base,
                     LeafPlace place, bool bare_strings,
                     fmt::memory_buffer& out) {
  TypedTextWriter(base, bare_strings, out).Write(type, place);
}

}  // namespace bpfmap
