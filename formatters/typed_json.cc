#include "formatters/typed_json.h"

#include <fmt/format.h>

#include <optional>

#include "formatters/typed_leaf.h"

namespace bpfmap {
namespace {

class TypedJsonWriter {
 public:
  TypedJsonWriter(JsonWriter& json, const uint8_t* base, JsonDialect dialect)
      : json_(json), base_(base), dialect_(dialect) {}

  void Write(const TypeNode& type, LeafPlace place) {
    if (dialect_ == JsonDialect::kBpftool && place.bit_size != 0) {
      WriteBpftoolBitfield(type, place);
      return;
    }
    switch (type.kind) {
      case TypeKind::kInt:
      case TypeKind::kChar:
      case TypeKind::kPointer:
        json_.Integer(ReadInteger(type, base_, place));
        return;
      case TypeKind::kBool:
        json_.Bool(ReadInteger(type, base_, place) != 0);
        return;
      case TypeKind::kEnum:
        WriteEnum(type, place);
        return;
      case TypeKind::kFloat:
        json_.Double(ReadFloat(type, base_, place));
        return;
      case TypeKind::kArray:
        WriteArray(type, place);
        return;
      case TypeKind::kStruct:
      case TypeKind::kUnion:
        json_.BeginObject();
        WriteMembers(type, place);
        json_.EndObject();
        return;
    }
  }

 private:
  void WriteEnum(const TypeNode& type, LeafPlace place) {
    Int128 value = ReadInteger(type, base_, place);
    if (const Enumerator* e = FindEnumerator(type, value)) {
      json_.String(e->name);
      return;
    }
    if (dialect_ == JsonDialect::kBpftool && !type.is_signed &&
        type.size < 8 && value >= (Int128{1} << (type.size * 8 - 1))) {
      value -= Int128{1} << (type.size * 8);  // bpftool reads enums signed
    }
    json_.Integer(value);
  }

  void WriteBpftoolBitfield(const TypeNode& type, LeafPlace place) {
    TypeNode bits = type;
    bits.is_signed = false;  // bpftool shows a bitfield's bits unsigned
    Int128 value = ReadInteger(bits, base_, place);
    json_.String(fmt::format("{:#x}", static_cast<uint64_t>(value)));
  }

  void WriteArray(const TypeNode& type, LeafPlace place) {
    const uint8_t* data = base_ + place.bit_offset / 8;
    if (IsCharArray(type)) {
      std::optional<std::string_view> text =
          dialect_ == JsonDialect::kBpftool ? BpftoolCharArrayText(type, data)
                                            : CharArrayText(type, data);
      if (text) {
        json_.String(*text);
        return;
      }
    }
    json_.BeginArray();
    for (uint32_t i = 0; i < type.count; ++i) {
      Write(*type.element, {place.bit_offset + i * type.element->size * 8, 0});
    }
    json_.EndArray();
  }

  void WriteMembers(const TypeNode& type, LeafPlace place) {
    for (const Field& field : type.fields) {
      LeafPlace member{place.bit_offset + field.bit_offset, field.bit_size};
      if (field.name.empty() && dialect_ == JsonDialect::kBpfmap) {
        // As C reads it: an anonymous struct's fields belong to the parent;
        // an unnamed scalar is a padding bitfield.
        if (field.type->kind == TypeKind::kStruct ||
            field.type->kind == TypeKind::kUnion) {
          WriteMembers(*field.type, member);
        }
        continue;
      }
      json_.Key(field.name);
      Write(*field.type, member);
    }
  }

  JsonWriter& json_;
  const uint8_t* base_;
  JsonDialect dialect_;
};

}  // namespace

void WriteTypedJson(JsonWriter& json, const TypeNode& type,
                    const uint8_t* base, LeafPlace place,
                    JsonDialect dialect) {
  TypedJsonWriter(json, base, dialect).Write(type, place);
}

}  // namespace bpfmap
