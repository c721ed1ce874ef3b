#include "core/btf/btf_build.h"

#include <bpf/btf.h>
#include <fmt/format.h>

#include <map>
#include <string>
#include <vector>

#include "core/types/type_walk.h"

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

// Adds a type tree's BTF, bottom-up: a node's BTF type is added as the walk
// leaves it, after its members' and element's (a struct's members must
// follow it directly), and each node once.
class BtfBuilder : public TypeVisitor {
 public:
  explicit BtfBuilder(struct btf* btf) : btf_(btf) {}

  Result<uint32_t> Add(const TypeNode& type) {
    frames_.push_back({});
    WalkType(type, LeafPlace{}, *this);
    uint32_t id = frames_.back().empty() ? 0 : frames_.back()[0];
    frames_.pop_back();
    if (!status_.ok()) return status_.error();
    return id;
  }

  // The walk's side. BTF has every member, padding bitfields and
  // anonymous records as they are, and an array's element type once.
  bool EnterRecord(const TypeNode& type, LeafPlace) { return Enter(type); }
  MemberWalk Member(const Field&, LeafPlace) { return MemberWalk::kWalk; }
  void LeaveRecord(const TypeNode& type) {
    if (status_.ok()) {
      Leave(type, AddRecord(type, frames_.back()));
    } else {
      frames_.pop_back();
    }
  }
  bool EnterArray(const TypeNode& type, LeafPlace place) {
    if (!Enter(type)) return false;
    WalkType(*type.element, place, *this);
    if (status_.ok()) {
      Leave(type, AddArray(type, frames_.back()[0]));
    } else {
      frames_.pop_back();
    }
    return false;
  }
  void Leaf(const TypeNode& type, LeafPlace) {
    if (Enter(type)) Leave(type, AddScalar(type));
  }

 private:
  // Whether `type` is to be added: not after an error, nor if it was
  // added before (its id goes to the record or array around it then).
  bool Enter(const TypeNode& type) {
    if (!status_.ok()) return false;
    auto known = ids_.find(&type);
    if (known != ids_.end()) {
      frames_.back().push_back(known->second);
      return false;
    }
    frames_.push_back({});  // the ids of its members or element
    return true;
  }
  void Leave(const TypeNode& type, Result<uint32_t> id) {
    frames_.pop_back();
    if (!id.ok()) {
      status_ = id.error();
      return;
    }
    ids_[&type] = *id;
    frames_.back().push_back(*id);
  }

  Result<uint32_t> AddScalar(const TypeNode& type) {
    switch (type.kind) {
      case TypeKind::kInt:
        if (type.big_endian) {
          // As the kernel's headers declare it: typedef __u16 __be16.
          BPFMAP_ASSIGN_OR_RETURN(
              uint32_t bits,
              BtfTypeIdOf(btf__add_int(btf_,
                                       fmt::format("__u{}", type.size * 8)
                                           .c_str(),
                                       type.size, 0),
                          "int"));
          return BtfTypeIdOf(
              btf__add_typedef(btf_, type.name.c_str(), bits), "typedef");
        }
        return BtfTypeIdOf(
            btf__add_int(btf_, type.name.c_str(), type.size,
                         type.is_signed ? BTF_INT_SIGNED : 0),
            "int");
      case TypeKind::kChar:
        // As clang emits char: a signed one-byte int named "char".
        return BtfTypeIdOf(btf__add_int(btf_, "char", 1, BTF_INT_SIGNED),
                           "char");
      case TypeKind::kBool:
        return BtfTypeIdOf(btf__add_int(btf_, "_Bool", 1, BTF_INT_BOOL),
                           "bool");
      case TypeKind::kFloat:
        return BtfTypeIdOf(
            btf__add_float(btf_, type.name.c_str(), type.size), "float");
      case TypeKind::kPointer:
        return BtfTypeIdOf(btf__add_ptr(btf_, 0), "pointer");
      case TypeKind::kEnum:
        return AddEnum(type);
      default:
        return Error::BadInput("unsupported type");
    }
  }

  Result<uint32_t> AddArray(const TypeNode& type, uint32_t element) {
    BPFMAP_ASSIGN_OR_RETURN(uint32_t index, IndexType());
    return BtfTypeIdOf(btf__add_array(btf_, index, element, type.count),
                       "array");
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

  Result<uint32_t> AddRecord(const TypeNode& type,
                             const std::vector<uint32_t>& member_ids) {
    bool is_struct = type.kind == TypeKind::kStruct;
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
  // One per node being added: the ids of its members (or its element) so
  // far; the bottom one takes the id Add returns.
  std::vector<std::vector<uint32_t>> frames_;
  Status status_;
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
