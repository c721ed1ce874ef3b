#include "core/types/type_paths.h"

#include <fmt/format.h>

#include "core/types/type_walk.h"

namespace bpfmap {
namespace {

void Collect(const TypeNode& type, const std::string& path, LeafPlace place,
             std::vector<NamedNode>& out, bool record_itself) {
  if (record_itself) out.push_back({path, &type, place});
  if (type.kind != TypeKind::kStruct && type.kind != TypeKind::kUnion) return;
  for (const Field& field : type.fields) {
    LeafPlace member{place.bit_offset + field.bit_offset, field.bit_size};
    if (field.name.empty()) {
      // Members of an anonymous member are the record's own.
      if (!IsScalar(*field.type)) Collect(*field.type, path, member, out, false);
      continue;
    }
    Collect(*field.type, path + "." + field.name, member, out, true);
  }
}

bool EndsWithMember(std::string_view path, std::string_view field) {
  return path.size() > field.size() &&
         path.substr(path.size() - field.size()) == field &&
         path[path.size() - field.size() - 1] == '.';
}

}  // namespace

std::vector<NamedNode> NamedNodes(const MapTypes& types) {
  std::vector<NamedNode> nodes;
  if (types.key) Collect(*types.key, "key", LeafPlace{}, nodes, true);
  if (types.value) Collect(*types.value, "value", LeafPlace{}, nodes, true);
  return nodes;
}

Result<NamedNode> FindNamedNode(const std::vector<NamedNode>& nodes,
                                std::string_view field,
                                std::string_view what) {
  std::vector<const NamedNode*> found;
  for (const NamedNode& node : nodes) {
    if (node.path == field) return node;
    if (EndsWithMember(node.path, field)) found.push_back(&node);
  }
  if (found.size() == 1) return *found[0];
  std::vector<std::string_view> paths;
  if (found.empty()) {
    for (const NamedNode& node : nodes) paths.push_back(node.path);
    return Error::BadInput(fmt::format(
        "{}: no field {} (fields: {})", what, field,
        paths.empty() ? "none: the map has no types"
                      : fmt::format("{}", fmt::join(paths, ", "))));
  }
  for (const NamedNode* node : found) paths.push_back(node->path);
  return Error::BadInput(fmt::format("{}: {} names {}; give one of them",
                                     what, field, fmt::join(paths, " and ")));
}

std::vector<DisplayLeaf> DisplayLeaves(const TypeNode& type) {
  struct Collector : TypeVisitor {
    std::vector<DisplayLeaf> out;
    std::vector<std::string> names;
    bool EnterRecord(const TypeNode&, LeafPlace) {
      names.emplace_back();
      return true;
    }
    MemberWalk Member(const Field& field, LeafPlace) {
      MemberWalk walk = CMemberWalk(field);
      if (walk == MemberWalk::kWalk) names.back() = field.name;
      return walk;
    }
    void LeaveRecord(const TypeNode&) { names.pop_back(); }
    bool EnterArray(const TypeNode& array, LeafPlace place) {
      Leaf(array, place);
      return false;
    }
    void Leaf(const TypeNode& leaf, LeafPlace place) {
      std::string path;
      for (const std::string& name : names) {
        if (name.empty()) continue;
        if (!path.empty()) path += '.';
        path += name;
      }
      out.push_back({std::move(path), &leaf, place});
    }
  } collector;
  WalkType(type, LeafPlace{}, collector);
  return std::move(collector.out);
}

bool IsNumericLeaf(const TypeNode& type) {
  switch (type.format) {
    case LeafFormat::kIpv4:
    case LeafFormat::kIpv6:
    case LeafFormat::kMac:
    case LeafFormat::kStr:
    case LeafFormat::kKsym:
      return false;
    default:
      break;
  }
  return IsScalar(type) && type.kind != TypeKind::kPointer &&
         type.kind != TypeKind::kChar;
}

std::vector<NumericLeaf> NumericLeaves(const TypeNode& value) {
  struct Collector : TypeVisitor {
    std::vector<NumericLeaf> out;
    // The names and indexes on the way: a member name, or an element's
    // index (-1 while none).
    std::vector<std::string> names;
    std::vector<int64_t> indexes;
    std::string Path(bool with_indexes) const {
      std::string path;
      size_t next_index = 0;
      for (const std::string& name : names) {
        if (name == "[]") {
          if (with_indexes) path += fmt::format("[{}]", indexes[next_index]);
          ++next_index;
          continue;
        }
        if (name.empty()) continue;
        if (!path.empty()) path += '.';
        path += name;
      }
      return path;
    }
    bool EnterRecord(const TypeNode&, LeafPlace) {
      names.emplace_back();
      return true;
    }
    MemberWalk Member(const Field& field, LeafPlace) {
      MemberWalk walk = CMemberWalk(field);
      if (walk == MemberWalk::kWalk) names.back() = field.name;
      return walk;
    }
    void LeaveRecord(const TypeNode&) { names.pop_back(); }
    bool EnterArray(const TypeNode& type, LeafPlace) {
      if (IsCharArray(type)) return false;
      names.push_back("[]");
      indexes.push_back(-1);
      return true;
    }
    void Element(uint32_t i) { indexes.back() = i; }
    void LeaveArray(const TypeNode&) {
      names.pop_back();
      indexes.pop_back();
    }
    void Leaf(const TypeNode& type, LeafPlace place) {
      if (!IsNumericLeaf(type)) return;
      NumericLeaf leaf{Path(true), Path(false), {}, &type, place};
      for (int64_t index : indexes) {
        leaf.indexes.push_back(static_cast<uint32_t>(index));
      }
      out.push_back(std::move(leaf));
    }
  } collector;
  WalkType(value, LeafPlace{}, collector);
  return std::move(collector.out);
}

}  // namespace bpfmap
