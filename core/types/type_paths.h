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

// A leaf of a value whose contents are a number to count (an integer,
// enum, bool or float; not an address, MAC, text, pointer or symbol, which
// only look like numbers): what watch gives changes and rates, and
// OpenMetrics gauges.
struct NumericLeaf {
  std::string path;  // from the value: "packets", "stats.bytes", "slots[3]";
                     // "" for a value that is one number
  std::string name;  // the path without element indexes: "slots"
  std::vector<uint32_t> indexes;  // the element indexes on the way, in order
  const TypeNode* type;
  LeafPlace place;
};

// A leaf as a table shows it, one cell: a scalar, a formatted leaf, or a
// whole array; named by its path from the key or value ("" for a key or
// value that is itself such a leaf).
struct DisplayLeaf {
  std::string path;  // "saddr", "stats.bytes", "pad"
  const TypeNode* type;
  LeafPlace place;
};

// The cells of `type`, in memory order.
std::vector<DisplayLeaf> DisplayLeaves(const TypeNode& type);

// Every numeric leaf of `value`, in memory order. Char arrays are text.
std::vector<NumericLeaf> NumericLeaves(const TypeNode& value);

// Whether a leaf is such a number.
bool IsNumericLeaf(const TypeNode& type);

}  // namespace bpfmap

#endif  // BPFMAP_CORE_TYPES_TYPE_PATHS_H_
