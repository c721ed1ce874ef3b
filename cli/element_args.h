// The words after MAP in get, put and del: [key KEY] [value VALUE | values
// VALUE...] [any|exist|noexist], where KEY and VALUE are BYTES or a typed
// literal.
#ifndef BPFMAP_CLI_ELEMENT_ARGS_H_
#define BPFMAP_CLI_ELEMENT_ARGS_H_

#include <optional>
#include <string>
#include <vector>

#include "core/base/error.h"
#include "core/kernel/map_ops.h"
#include "core/model/map_info.h"
#include "core/model/map_ref.h"

namespace bpfmap::cli {

struct ElementArgs {
  // The raw tokens after `key` and `value`; read into bytes once the map's
  // sizes are known.
  std::optional<std::vector<std::string>> key;
  std::optional<std::vector<std::string>> value;
  // `values V0 V1 ...`: one value per possible CPU (put, per-CPU maps).
  std::optional<std::vector<std::string>> values;
  std::optional<UpdateMode> mode;
};

// MAP followed by element arguments: what get, put and del take.
struct MapElementWords {
  MapRef map;
  ElementArgs args;
};

// Reads MAP, then ParseElementArgs.
Result<MapElementWords> ParseMapElementWords(
    const std::vector<std::string>& words, bool allow_mode);

// Reads words[pos...]. `allow_mode` accepts any|exist|noexist and `values`
// (what put takes). Each keyword may appear once; an unknown word is
// kBadInput naming it.
Result<ElementArgs> ParseElementArgs(const std::vector<std::string>& words,
                                     size_t pos, bool allow_mode);

enum class ArgNeed { kRequired, kForbidden };

// kBadInput unless `key` and `value` were given (or left out) as `key_need`
// and `value_need` say for this map; the message names the map and its type.
// `values` counts as `value`.
Status CheckElementArgs(const ElementArgs& args, const MapInfo& info,
                        ArgNeed key_need, ArgNeed value_need);

}  // namespace bpfmap::cli

#endif  // BPFMAP_CLI_ELEMENT_ARGS_H_
