// The C type expressions of --key-type and create: what parses has a sane
// layout, and survives a trip through BTF (built in memory with libbpf,
// read back) unchanged.
#include <bpf/btf.h>

#include <cstdint>
#include <string>

#include "core/btf/btf_build.h"
#include "core/btf/btf_type.h"
#include "core/types/c_type.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using namespace bpfmap;

void CheckLayout(const TypeNode& type, int depth) {
  FUZZ_CHECK(depth < 100, "too deep");
  switch (type.kind) {
    case TypeKind::kArray:
      FUZZ_CHECK(type.size == type.count * type.element->size, "array size");
      CheckLayout(*type.element, depth + 1);
      return;
    case TypeKind::kStruct:
    case TypeKind::kUnion:
      for (const Field& field : type.fields) {
        uint64_t width =
            field.bit_size ? field.bit_size : uint64_t{field.type->size} * 8;
        FUZZ_CHECK(field.bit_offset + width <= uint64_t{type.size} * 8,
                   "field %s outside %s", field.name.c_str(),
                   type.name.c_str());
        CheckLayout(*field.type, depth + 1);
      }
      return;
    default:
      return;
  }
}

// The same layout: sizes, offsets, widths, kinds (names may differ: BTF
// keeps typedef names only).
bool SameLayout(const TypeNode& a, const TypeNode& b) {
  if (a.size != b.size || a.kind != b.kind) return false;
  if (a.kind == TypeKind::kArray) {
    return a.count == b.count && SameLayout(*a.element, *b.element);
  }
  if (a.fields.size() != b.fields.size()) return false;
  for (size_t i = 0; i < a.fields.size(); ++i) {
    const Field& x = a.fields[i];
    const Field& y = b.fields[i];
    if (x.name != y.name || x.bit_offset != y.bit_offset ||
        x.bit_size != y.bit_size || !SameLayout(*x.type, *y.type)) {
      return false;
    }
  }
  return a.enumerators.size() == b.enumerators.size();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  NamedTypeLookup lookup = [](std::string_view keyword,
                              std::string_view name) -> Result<TypeRef> {
    if (keyword == "struct" && name == "known") {
      return ParseCType("struct known { u32 a; u16 b; }", nullptr);
    }
    return Error::BadInput("not found");
  };
  Result<TypeRef> type = ParseCType(text, lookup);
  if (!type.ok()) {
    FUZZ_CHECK(type.error().message().find('\n') == std::string::npos,
               "message on several lines");
    return 0;
  }
  FUZZ_CHECK((*type)->size > 0, "a type without size");
  CheckLayout(**type, 0);
  Result<BuiltBtf> built = BuildBtf(nullptr, type->get());
  if (!built.ok()) return 0;  // e.g. a name BTF cannot hold
  Result<TypeRef> back = TypeFromBtf(built->btf.get(), built->value_type_id);
  FUZZ_CHECK(back.ok(), "BTF we built does not read back: %s",
             back.error().message().c_str());
  FUZZ_CHECK(SameLayout(**type, **back), "layout changed through BTF: %s",
             text.c_str());
  return 0;
}
