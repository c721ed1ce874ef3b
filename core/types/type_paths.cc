#include "core/types/type_paths.h"

#include <fmt/format.h>

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

}  // namespace bpfmap
