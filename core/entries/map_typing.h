// How keys and values are read and shown for one map: its BTF, or the types
// given with --key-type/--value-type, with --hex and --cpus applied.
#ifndef BPFMAP_CORE_ENTRIES_MAP_TYPING_H_
#define BPFMAP_CORE_ENTRIES_MAP_TYPING_H_

#include <memory>
#include <string>
#include <vector>

#include "core/base/error.h"
#include "core/entries/cpu_fold.h"
#include "core/entries/entry_pipeline.h"
#include "core/model/map_entry.h"
#include "core/model/map_info.h"
#include "core/types/leaf_formats.h"
#include "core/types/type_node.h"

namespace bpfmap {

// What the user asked for about types: the global options.
struct TypingOptions {
  std::string key_type;    // --key-type: a C type, or empty
  std::string value_type;  // --value-type
  std::string btf_file;    // --btf: where named types come from
  bool hex = false;        // --hex: print raw bytes even for typed maps
  CpuFold fold = CpuFold::kEach;  // --cpus
  // Whether --cpus was given: a fold a command chose itself (watch and
  // OpenMetrics sum) is dropped for values it cannot fold (untyped).
  bool fold_given = false;
  FormatSpec formats;      // --fmt: how leaves are read and shown
  // Output in bpftool's raw view (-o bpftool): no formats, and network
  // byte order leaves shown as their bytes read in host order.
  bool raw_view = false;
};

// One map's typing, worked out once per command.
struct MapTyping {
  MapTypes input;       // for reading key and value words; null: bytes
  ValueLayout layout;   // the kernel's layout of value buffers
  EntryShape output;    // what the formatter is told
  CpuFold fold = CpuFold::kEach;  // applied to per-CPU maps only
  // Whether the map's own value type (whatever --value-type says) holds
  // fields only the kernel may read (HoldsKernelFields), or may: its BTF
  // could not be read. Such maps are read through lookups, which zero them.
  bool kernel_fields = false;
  // Said to the user when the map's own types could not be used (its BTF
  // exists but cannot be read), so hex output is never a silent switch.
  std::string warning;
  // Which leaves got a format or network byte order, and why (--debug).
  std::vector<std::string> formats_explained;
};

// Works out `info`'s typing from its value `layout` and `own` types (from
// its BTF: null types if it has none, an error if they could not be read).
// --key-type/--value-type replace the map's own types. kBadInput if a given
// type does not parse or its size differs from the map's, or if --cpus
// folds an untyped per-CPU value, or if --fmt names no field or one that
// does not fit its format.
Result<MapTyping> ResolveTyping(const MapInfo& info, const ValueLayout& layout,
                                const Result<MapTypes>& own,
                                const TypingOptions& options);

// The stages `typing` asks for, in order: per-CPU folding for --cpus
// sum|min|max.
std::vector<std::unique_ptr<EntryStage>> StagesFor(const MapTyping& typing);

// The C type `text` (--key-type, create's key and value), with named types
// from `btf_file` if one is given. Errors name `what`.
Result<TypeRef> ParseTypeOption(const std::string& text,
                                const std::string& btf_file,
                                const std::string& what);

}  // namespace bpfmap

#endif  // BPFMAP_CORE_ENTRIES_MAP_TYPING_H_
