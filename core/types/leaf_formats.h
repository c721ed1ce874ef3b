// Which leaves of a map's key and value get a LeafFormat: the --fmt
// option's requests (FIELD=KIND,...) and the defaults that fit real maps
// (addresses named saddr, struct in6_addr, MACs named h_source...).
#ifndef BPFMAP_CORE_TYPES_LEAF_FORMATS_H_
#define BPFMAP_CORE_TYPES_LEAF_FORMATS_H_

#include <string>
#include <string_view>
#include <vector>

#include "core/base/error.h"
#include "core/types/type_node.h"
#include "core/types/type_paths.h"

namespace bpfmap {

// The names --fmt takes, in the order help lists them: ipv4 ipv6 ip mac
// port hex dec char str bool ns us ms ktime ktime_boot ksym errno raw.
const std::vector<std::string_view>& LeafFormatNames();

// The names of the formats that fit `node` (ipv4 only for 4 bytes, ...),
// in LeafFormatNames() order.
std::vector<std::string_view> FormatNamesFitting(const NamedNode& node);

// The name of a format (kIpv4 -> "ipv4"); "none" for kNone.
std::string_view LeafFormatName(LeafFormat format);

// One FIELD=KIND of --fmt. `ip` becomes ipv4 or ipv6 by the field's size.
struct FormatRequest {
  std::string field;  // key.saddr, value.stats.bytes, or a bare name
  std::string kind;   // as given: ipv4, ip, port, ...
};

// What --fmt asked for.
struct FormatSpec {
  std::vector<FormatRequest> requests;
  bool defaults = true;  // false with --fmt none
  // Every network-byte-order leaf read raw (bpftool's view).
  bool raw_byte_order = false;
};

// Reads "FIELD=KIND[,FIELD=KIND...]" or "none" (several --fmt options are
// joined with commas). kBadInput names the part that is wrong and the
// kinds there are.
Result<FormatSpec> ParseFormatSpec(std::string_view text);

// `types` with the formats of `spec` set: explicit requests first, then,
// unless spec.defaults is false, the default rules on the leaves left.
// A FIELD names a node by its path ("key.saddr", "value.stats.bytes"), by
// the end of one ("stats.bytes") or by its name alone if no other node has
// it. kBadInput if a FIELD names nothing or more than one node, or if its
// KIND does not fit the node's size or kind ("key.sport: ipv4 takes 4
// bytes; __be16 is 2"). `explained` (if given) receives one line per
// formatted or network-byte-order leaf saying why, for --debug.
Result<MapTypes> ApplyFormats(const MapTypes& types, const FormatSpec& spec,
                              std::vector<std::string>* explained = nullptr);

}  // namespace bpfmap

#endif  // BPFMAP_CORE_TYPES_LEAF_FORMATS_H_
