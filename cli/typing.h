// How keys and values are read and shown for one map: its BTF, or the types
// given with --key-type/--value-type, with --hex and --cpus applied.
#ifndef BPFMAP_CLI_TYPING_H_
#define BPFMAP_CLI_TYPING_H_

#include <string>

#include "core/base/error.h"
#include "core/model/cpu_fold.h"
#include "core/model/map_entry.h"
#include "core/model/map_info.h"
#include "core/types/type_node.h"

namespace bpfmap::cli {

// The global options that say how keys and values are typed.
struct TypingOptions {
  std::string key_type;    // --key-type: a C type, or empty
  std::string value_type;  // --value-type
  std::string btf_file;    // --btf: where named types come from
  bool hex = false;        // --hex: print raw bytes even for typed maps
  CpuFold fold = CpuFold::kEach;  // --cpus
};

// One map's typing, worked out once per command.
struct MapTyping {
  MapTypes input;       // for reading key and value words; null: bytes
  ValueLayout layout;   // the kernel's layout of value buffers
  EntryShape output;    // what the formatter is told
  CpuFold fold = CpuFold::kEach;  // applied to per-CPU maps only
};

// Works out `info`'s typing. The map's own BTF is used unless
// --key-type/--value-type say otherwise; BTF bpfmap cannot read (a kind it
// does not know) leaves the map untyped, with a note under --debug.
// kBadInput if a given type does not parse or its size differs from the
// map's, or if --cpus folds an untyped per-CPU value.
Result<MapTyping> ResolveTyping(const MapInfo& info,
                                const TypingOptions& options);

// Makes entries what the formatter is to see: per-CPU values folded when
// asked, into a buffer it reuses.
class EntryPreparer {
 public:
  explicit EntryPreparer(const MapTyping& typing) : typing_(typing) {
    if (typing.fold != CpuFold::kEach) folded_.resize(typing.layout.value_size);
  }
  // `entry` as the formatter is to see it; valid until the next call.
  EntryView Prepare(EntryView entry);
  // Whether a sum over CPUs did not fit its field and was clamped.
  bool clamped() const { return clamped_; }

 private:
  const MapTyping& typing_;
  Bytes folded_;
  bool clamped_ = false;
};

// The C type `text` (--key-type, create's key and value), with named types
// from `btf_file` if one is given. Errors name `what`.
Result<TypeRef> ParseTypeOption(const std::string& text,
                                const std::string& btf_file,
                                const std::string& what);

}  // namespace bpfmap::cli

#endif  // BPFMAP_CLI_TYPING_H_
