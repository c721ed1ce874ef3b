// The nodes of a map's key and value that a person names by path: key,
// key.saddr, value.stats.bytes (members of anonymous members are their
// record's own; array elements have no path of their own).
#ifndef BPFMAP_CORE_TYPES_TYPE_PATHS_H_
#define BPFMAP_CORE_TYPES_TYPE_PATHS_H_

#include <string>
#include <string_view>
#include <vector>

#include "core/base/error.h"
#include "core/types/type_node.h"
#include "core/types/typed_scalar.h"

namespace bpfmap {

struct NamedNode {
  std::string path;      // "key.saddr"
  const TypeNode* type;  // in the tree it was found in
  LeafPlace place;       // from the start of the key or value
};

// Every named node of `types`, key first, in memory order.
std::vector<NamedNode> NamedNodes(const MapTypes& types);

// The node `field` names: a whole path, the end of one ("stats.bytes"), or
// a name no other node has. kBadInput, starting with `what` ("--fmt"), if
// none or several match.
Result<NamedNode> FindNamedNode(const std::vector<NamedNode>& nodes,
                                std::string_view field, std::string_view what);

}  // namespace bpfmap

#endif  // BPFMAP_CORE_TYPES_TYPE_PATHS_H_
