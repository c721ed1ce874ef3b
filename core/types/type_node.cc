#include "core/types/type_node.h"

namespace bpfmap {
namespace {

void AppendFieldNames(const TypeNode& type, std::string& out) {
  for (const Field& field : type.fields) {
    if (field.name.empty()) {
      AppendFieldNames(*field.type, out);
      continue;
    }
    if (!out.empty()) out += ", ";
    out += field.name;
  }
}

}  // namespace

bool IsCharArray(const TypeNode& type) {
  return type.kind == TypeKind::kArray &&
         type.element->kind == TypeKind::kChar &&
         type.element->format == LeafFormat::kNone;
}

bool IsScalar(const TypeNode& type) {
  return type.kind != TypeKind::kArray && type.kind != TypeKind::kStruct &&
         type.kind != TypeKind::kUnion;
}

bool IsBigEndianName(std::string_view name) {
  return name == "__be16" || name == "__be32" || name == "__be64";
}

std::string FieldNames(const TypeNode& type) {
  std::string names;
  AppendFieldNames(type, names);
  return names;
}

}  // namespace bpfmap
