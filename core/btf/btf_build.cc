#include "core/btf/btf_build.h"

#include <bpf/btf.h>
#include <fmt/format.h>

#include <map>
#include <string>

namespace bpfmap {
namespace {

// "struct stats" -> "stats"; "struct" -> "".
std::string BtfName(const TypeNode& type, std::string_view keyword) {
  std::string_view name = type.name;
  if (name.substr(0, keyword.size()) == keyword) {
    name.remove_prefix(keyword.size());
    while (!name.empty() && name[0] == ' ') name.remove_prefix(1);
  }
  return std::string(name);
}

class BtfBuilder {
 public:
  explicit BtfBuilder(struct btf* btf) : btf_(btf) {}

  Result<uint32_t> Add(const TypeNode& type) {
    auto known = ids_.find(&type);
    if (known != ids_.end()) return known->second;
    BPFMAP_ASSIGN_OR_RETURN(uint32_t id, AddNew(type));
    ids_[&type] = id;
    return id;
  }

 private:
  Result<uint32_t> AddNew(const TypeNode& type) {
    switch (type.kind) {
      case TypeKind::kInt:
        return BtfTypeIdOf(
            btf__add_int(btf_, type.name.c_str(), type.size,
                         type.is_signed ? BTF_INT_SIGNED : 0),
            "int");
      case TypeKind::kChar:
        // As clang emits char: a signed one-byte int named "char".
        return BtfTypeIdOf(btf__add_int(btf_, "char", 1,
                                                BTF_INT_SIGNED),
                                   "char");
      case TypeKind::kBool:
        return BtfTypeIdOf(btf__add_int(btf_, "_Bool", 1,
                                                BTF_INT_BOOL),
                                   "bool");
      case TypeKind::kFloat:
        return BtfTypeIdOf(
            btf__add_float(btf_, type.name.c_str(), type.size), "float");
      case TypeKind::kPointer:
        return BtfTypeIdOf(btf__add_ptr(btf_, 0), "pointer");
      case TypeKind::kEnum:
        return AddEnum(type);
      case TypeKind::kArray: {
        BPFMAP_ASSIGN_OR_RETURN(uint32_t element, Add(*type.element));
        BPFMAP_ASSIGN_OR_RETURN(uint32_t index, IndexType());
        return BtfTypeIdOf(
            btf__add_array(btf_, index, element, type.count), "array");
      }
      case TypeKind::kStruct:
      case TypeKind::kUnion:
        return AddRecord(type);
    }
    return Error::BadInput("unsupported type");
  }

  Result<uint32_t> IndexType() {
    if (index_type_ == 0) {
      BPFMAP_ASSIGN_OR_RETURN(
          index_type_,
          BtfTypeIdOf(
              btf__add_int(btf_, "__ARRAY_SIZE_TYPE__", 4, 0), "int"));
    }
    return index_type_;
  }

  Result<uint32_t> AddEnum(const TypeNode& type) {
    std::string name = BtfName(type, "enum");
    if (type.size == 8) {
      BPFMAP_ASSIGN_OR_RETURN(
          uint32_t id,
          BtfTypeIdOf(
              btf__add_enum64(btf_, name.c_str(), 8, type.is_signed), "enum"));
      for (const Enumerator& e : type.enumerators) {
        BPFMAP_RETURN_IF_ERROR(BtfTypeIdOf(
            btf__add_enum64_value(btf_, e.name.c_str(),
                                  static_cast<uint64_t>(e.value)),
            "enumerator"));
      }
      return id;
    }
    BPFMAP_ASSIGN_OR_RETURN(
        uint32_t id,
        BtfTypeIdOf(btf__add_enum(btf_, name.c_str(), type.size),
                            "enum"));
    for (const Enumerator& e : type.enumerators) {
      BPFMAP_RETURN_IF_ERROR(BtfTypeIdOf(
          btf__add_enum_value(btf_, e.name.c_str(), e.value), "enumerator"));
    }
    return id;
  }

  Result<uint32_t> AddRecord(const TypeNode& type) {
    bool is_struct = type.kind == TypeKind::kStruct;
    // Members' types first: a struct's fields must follow it directly.
    std::vector<uint32_t> member_ids;
    for (const Field& field : type.fields) {
      BPFMAP_ASSIGN_OR_RETURN(uint32_t id, Add(*field.type));
      member_ids.push_back(id);
    }
    std::string name = BtfName(type, is_struct ? "struct" : "union");
    BPFMAP_ASSIGN_OR_RETURN(
        uint32_t id,
        BtfTypeIdOf(
            is_struct ? btf__add_struct(btf_, name.c_str(), type.size)
                      : btf__add_union(btf_, name.c_str(), type.size),
            is_struct ? "struct" : "union"));
    for (size_t i = 0; i < type.fields.size(); ++i) {
      const Field& field = type.fields[i];
      BPFMAP_RETURN_IF_ERROR(BtfTypeIdOf(
          btf__add_field(btf_, field.name.c_str(), member_ids[i],
                         field.bit_offset, field.bit_size),
          "member"));
    }
    return id;
  }

  struct btf* btf_;
  std::map<const TypeNode*, uint32_t> ids_;
  uint32_t index_type_ = 0;
};

}  // namespace

Result<BuiltBtf> BuildBtf(const TypeNode* key, const TypeNode* value) {
  BuiltBtf built;
  BPFMAP_ASSIGN_OR_RETURN(built.btf, NewBtf());
  BtfBuilder builder(built.btf.get());
  if (key != nullptr) {
    BPFMAP_ASSIGN_OR_RETURN(built.key_type_id, builder.Add(*key));
  }
  if (value != nullptr) {
    BPFMAP_ASSIGN_OR_RETURN(built.value_type_id, builder.Add(*value));
  }
  return built;
}

}  // namespace bpfmap
