#include "formatters/typed_json.h"

#include <fmt/format.h>

#include <optional>

#include "core/types/type_walk.h"
#include "formatters/typed_leaf.h"

namespace bpfmap {
namespace {

class TypedJsonWriter : public TypeVisitor {
 public:
  TypedJsonWriter(JsonWriter& json, const uint8_t* base, JsonDialect dialect,
                  const LeafContext& context)
      : json_(json), base_(base), dialect_(dialect), context_(context) {}

  bool EnterRecord(const TypeNode& type, LeafPlace place) {
    json_.BeginObject();
    if (type.is_section && dialect_ == JsonDialect::kBpftool) {
      // As bpftool's btf_dumper_datasec: {".bss": [{"var": ...}, ...]}.
      json_.Key(type.name);
      json_.BeginArray();
      for (const Field& var : type.fields) {
        json_.BeginObject();
        json_.Key(var.name);
        WalkType(*var.type,
                 LeafPlace{place.bit_offset + var.bit_offset, 0}, *this);
        json_.EndObject();
      }
      json_.EndArray();
      json_.EndObject();
      return false;
    }
    return true;
  }
  MemberWalk Member(const Field& field, LeafPlace) {
    // bpftool keys an anonymous member by "" and nests it; bpfmap reads
    // members as C does.
    MemberWalk walk = dialect_ == JsonDialect::kBpftool ? MemberWalk::kWalk
                                                       : CMemberWalk(field);
    if (walk == MemberWalk::kWalk) json_.Key(field.name);
    return walk;
  }
  void LeaveRecord(const TypeNode&) { json_.EndObject(); }

  bool EnterArray(const TypeNode& type, LeafPlace place) {
    if (IsCharArray(type)) {
      const uint8_t* data = base_ + place.bit_offset / 8;
      std::optional<std::string_view> text =
          dialect_ == JsonDialect::kBpftool ? BpftoolCharArrayText(type, data)
                                            : CharArrayText(type, data);
      if (text) {
        json_.String(*text);
        return false;
      }
    }
    json_.BeginArray();
    return true;
  }
  void LeaveArray(const TypeNode&) { json_.EndArray(); }

  void Leaf(const TypeNode& type, LeafPlace place) {
    if (dialect_ == JsonDialect::kBpftool && place.bit_size != 0) {
      WriteBpftoolBitfield(type, place);
      return;
    }
    if (dialect_ == JsonDialect::kBpfmap &&
        (type.format != LeafFormat::kNone ||
         (type.size == 16 && type.kind == TypeKind::kInt))) {
      WriteFormatted(type, place);
      return;
    }
    switch (type.kind) {
      case TypeKind::kBool:
        json_.Bool(ReadInteger(type, base_, place) != 0);
        return;
      case TypeKind::kEnum:
        WriteEnum(type, place);
        return;
      case TypeKind::kFloat:
        json_.Double(ReadFloat(type, base_, place));
        return;
      default:
        if (type.size == 16 && place.bit_size == 0) {
          // As bpftool's btf_int128_print: "0x" and the hex digits.
          json_.String(HexOf(ReadBits(type, base_, place)));
          return;
        }
        json_.Integer(ReadInteger(type, base_, place));
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

  void WriteFormatted(const TypeNode& type, LeafPlace place) {
    LeafText text = FormatLeaf(type, base_, place, context_, true);
    switch (text.json) {
      case LeafText::Json::kString:
        json_.String(text.text);
        return;
      case LeafText::Json::kBool:
        json_.Bool(text.text == "true");
        return;
      case LeafText::Json::kJson:
        json_.Raw(text.text);
        return;
      case LeafText::Json::kNumber:
        // A number only where a 64-bit reader takes it exactly: a 128-bit
        // value past 64 bits is a string of its digits.
        if (type.size == 16 && !FitsIn64Bits(text.text)) {
          json_.String(text.text);
        } else {
          json_.Raw(text.text);
        }
        return;
    }
  }

  static bool FitsIn64Bits(const std::string& digits) {
    bool negative = false;
    Uint128 magnitude = 0;
    if (!ParseWideInteger(digits, negative, magnitude)) return false;
    return negative ? magnitude <= (static_cast<Uint128>(1) << 63)
                    : magnitude <= UINT64_MAX;
  }

  void WriteBpftoolBitfield(const TypeNode& type, LeafPlace place) {
    TypeNode bits = type;
    bits.is_signed = false;  // bpftool shows a bitfield's bits unsigned
    Int128 value = ReadInteger(bits, base_, place);
    json_.String(fmt::format("{:#x}", static_cast<uint64_t>(value)));
  }

  JsonWriter& json_;
  const uint8_t* base_;
  JsonDialect dialect_;
  const LeafContext& context_;
};

}  // namespace

void WriteTypedJson(JsonWriter& json, const TypeNode& type,
                    const uint8_t* base, LeafPlace place,
                    JsonDialect dialect, const LeafContext* context) {
  static const LeafContext kNone;  // ages and symbols unknown: numbers
  TypedJsonWriter writer(json, base, dialect,
                         context != nullptr ? *context : kNone);
  WalkType(type, place, writer);
}

}  // namespace bpfmap
