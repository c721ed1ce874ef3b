#include "core/btf/btf_type.h"

#include <bpf/btf.h>
#include <fmt/format.h>

namespace bpfmap {
namespace {

// Deeper than any real map type; stops a malformed BTF from recursing away.
constexpr int kMaxDepth = 64;

std::string NameOf(const struct btf* btf, const btf_type* t) {
  const char* name = btf__name_by_offset(btf, t->name_off);
  return name != nullptr ? name : "";
}

Result<TypeRef> Build(const struct btf* btf, uint32_t id, int depth,
                      std::string display_name, bool network_order = false);

Result<std::vector<Field>> Members(const struct btf* btf, const btf_type* t,
                                   int depth) {
  std::vector<Field> fields;
  const struct btf_member* members = btf_members(t);
  for (uint16_t i = 0; i < btf_vlen(t); ++i) {
    Field field;
    field.name = btf__name_by_offset(btf, members[i].name_off);
    field.bit_offset = btf_member_bit_offset(t, i);
    field.bit_size = btf_member_bitfield_size(t, i);
    BPFMAP_ASSIGN_OR_RETURN(field.type,
                            Build(btf, members[i].type, depth + 1, ""));
    fields.push_back(std::move(field));
  }
  return fields;
}

// `network_order`: a typedef on the way here was __be16, __be32 or __be64.
Result<TypeRef> Build(const struct btf* btf, uint32_t id, int depth,
                      std::string display_name, bool network_order) {
  if (depth > kMaxDepth) {
    return Error::BadInput(
        fmt::format("BTF type {} nests more than {} levels deep", id,
                    kMaxDepth));
  }
  const btf_type* t = btf__type_by_id(btf, id);
  if (t == nullptr || id == 0) {
    return Error::BadInput(fmt::format("BTF type {} is void or missing", id));
  }
  if (btf_is_mod(t) || btf_is_typedef(t) || btf_is_type_tag(t)) {
    // Keep the outermost typedef's name for display; resolve the rest.
    if (btf_is_typedef(t)) {
      std::string name = NameOf(btf, t);
      network_order = network_order || IsBigEndianName(name);
      if (display_name.empty()) display_name = std::move(name);
    }
    return Build(btf, t->type, depth + 1, std::move(display_name),
                 network_order);
  }
  auto node = std::make_shared<TypeNode>();
  node->size = t->size;
  std::string own_name = NameOf(btf, t);
  switch (btf_kind(t)) {
    case BTF_KIND_INT: {
      uint8_t encoding = btf_int_encoding(t);
      node->is_signed = (encoding & BTF_INT_SIGNED) != 0;
      if (encoding & BTF_INT_BOOL) {
        node->kind = TypeKind::kBool;
      } else if ((encoding & BTF_INT_CHAR) || own_name == "char") {
        node->kind = TypeKind::kChar;
      } else {
        node->kind = TypeKind::kInt;
      }
      if (t->size > 16) {
        return Error::BadInput(fmt::format(
            "BTF int {} of {} bytes is not supported (at most 16)", own_name,
            t->size));
      }
      if (btf_int_offset(t) != 0 || btf_int_bits(t) != t->size * 8) {
        return Error::BadInput(fmt::format(
            "BTF int {} with {} bits at offset {} is not supported", own_name,
            btf_int_bits(t), btf_int_offset(t)));
      }
      node->name = own_name;
      // An int named __be32 (as bpfmap's own BTF may say), or reached
      // through such a typedef.
      node->big_endian = node->kind == TypeKind::kInt && t->size >= 2 &&
                         (network_order || IsBigEndianName(own_name));
      break;
    }
    case BTF_KIND_FLOAT:
      if (t->size != 4 && t->size != 8) {
        return Error::BadInput(fmt::format(
            "BTF float {} of {} bytes is not supported (4 or 8)", own_name,
            t->size));
      }
      node->kind = TypeKind::kFloat;
      node->name = own_name;
      break;
    case BTF_KIND_PTR:
      node->kind = TypeKind::kPointer;
      node->size = sizeof(void*);
      node->name = "pointer";
      break;
    case BTF_KIND_ENUM:
    case BTF_KIND_ENUM64: {
      node->kind = TypeKind::kEnum;
      node->is_signed = btf_kflag(t);
      node->name = own_name.empty() ? "enum" : "enum " + own_name;
      for (uint16_t i = 0; i < btf_vlen(t); ++i) {
        Enumerator e;
        if (btf_is_enum(t)) {
          const struct btf_enum* v = btf_enum(t) + i;
          e.name = btf__name_by_offset(btf, v->name_off);
          e.value = node->is_signed ? static_cast<int64_t>(v->val)
                                    : static_cast<int64_t>(
                                          static_cast<uint32_t>(v->val));
        } else {
          const struct btf_enum64* v = btf_enum64(t) + i;
          e.name = btf__name_by_offset(btf, v->name_off);
          e.value = static_cast<int64_t>(btf_enum64_value(v));
        }
        node->enumerators.push_back(std::move(e));
      }
      break;
    }
    case BTF_KIND_ARRAY: {
      const struct btf_array* array = btf_array(t);
      node->kind = TypeKind::kArray;
      node->count = array->nelems;
      BPFMAP_ASSIGN_OR_RETURN(node->element,
                              Build(btf, array->type, depth + 1, ""));
      node->size = node->element->size * array->nelems;
      node->name = fmt::format("{}[{}]", node->element->name, array->nelems);
      break;
    }
    case BTF_KIND_STRUCT:
    case BTF_KIND_UNION: {
      bool is_struct = btf_is_struct(t);
      node->kind = is_struct ? TypeKind::kStruct : TypeKind::kUnion;
      node->name = std::string(is_struct ? "struct" : "union") +
                   (own_name.empty() ? "" : " " + own_name);
      BPFMAP_ASSIGN_OR_RETURN(node->fields, Members(btf, t, depth));
      break;
    }
    case BTF_KIND_DATASEC: {
      // Global variables: a struct of them, each at its offset.
      node->kind = TypeKind::kStruct;
      node->is_section = true;
      node->name = own_name;
      const struct btf_var_secinfo* vars = btf_var_secinfos(t);
      for (uint16_t i = 0; i < btf_vlen(t); ++i) {
        const btf_type* var = btf__type_by_id(btf, vars[i].type);
        if (var == nullptr || !btf_is_var(var)) continue;
        Field field;
        field.name = NameOf(btf, var);
        field.bit_offset = vars[i].offset * 8;
        BPFMAP_ASSIGN_OR_RETURN(field.type,
                                Build(btf, var->type, depth + 1, ""));
        node->fields.push_back(std::move(field));
      }
      break;
    }
    default:
      return Error::BadInput(fmt::format(
          "BTF type {} ({}) cannot describe map data", id,
          own_name.empty() ? "unnamed" : own_name));
  }
  if (!display_name.empty()) node->name = std::move(display_name);
  return TypeRef(std::move(node));
}

}  // namespace

Result<TypeRef> TypeFromBtf(const struct btf* btf, uint32_t type_id) {
  return Build(btf, type_id, 0, "");
}

}  // namespace bpfmap
