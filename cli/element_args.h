// The words after MAP in get, put and del: [key KEY] [value VALUE | values
// VALUE...] [any|exist|noexist], where KEY and VALUE are BYTES or a typed
// literal.
#ifndef BPFMAP_CLI_ELEMENT_ARGS_H_
#define BPFMAP_CLI_ELEMENT_ARGS_H_

#include <optional>
#include <string>
#include <vector>

#include "core/base/error.h"
#include "core/entries/map_typing.h"
#include "core/kernel/map_ops.h"
#include "core/kernel/storage_keys.h"
#include "core/types/type_node.h"
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
  // put: BPF_F_LOCK, the value's bpf_spin_lock held while it is written.
  bool lock = false;
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

// The key `args` give for `info`: bytes (typed by `typing`'s key type
// where known, formatted leaves read with its leaf context), or for a
// local storage map the object the words name, opened into `*storage`
// (which must stay open while the key is used). Errors name "key".
Result<Bytes> ReadKeyWords(const std::vector<std::string>& words,
                           const MapInfo& info, const MapTyping& typing,
                           std::optional<StorageKey>* storage);

// kBadInput if `lock` was asked for a map whose value type (known from its
// BTF) holds no bpf_spin_lock; `what` is "--lock" or "lock".
Status CheckLockable(bool lock, const MapInfo& info, const TypeNode* value,
                     std::string_view what);

// A lookup, delete or exist/noexist update that found its answer to be no,
// said in the user's words: the object of a storage map ("no value for
// pid 12 in map 7 (tasks)"; with `mode` noexist, "pid 12 already has a
// value in ..."), or a typed key as typed ("key {\"ip\": \"10.0.0.1\"} not
// found in ..."), not as the bytes it became. Other errors as they are.
Error ExplainMiss(const Error& error, std::string_view operation,
                         const std::vector<std::string>& words,
                         const MapInfo& info,
                         UpdateMode mode = UpdateMode::kAny);

// kBadInput unless `key` and `value` were given (or left out) as `key_need`
// and `value_need` say for this map; the message names the map and its type.
// `values` counts as `value`.
Status CheckElementArgs(const ElementArgs& args, const MapInfo& info,
                        ArgNeed key_need, ArgNeed value_need);

}  // namespace bpfmap::cli

#endif  // BPFMAP_CLI_ELEMENT_ARGS_H_
