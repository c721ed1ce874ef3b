// Which entries a command passes on, and how: --where, --sort, --asc,
// --limit and --count assembled into the stages and sink of a pipeline.
#ifndef BPFMAP_CORE_ENTRIES_ENTRY_SELECTION_H_
#define BPFMAP_CORE_ENTRIES_ENTRY_SELECTION_H_

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/base/error.h"
#include "core/entries/entry_order.h"
#include "core/entries/entry_pipeline.h"
#include "core/entries/map_typing.h"

namespace bpfmap {

struct SelectionOptions {
  std::string where;   // --where EXPR; empty: every entry
  std::string sort;    // --sort FIELD; empty: in the order read
  bool ascending = false;        // --asc
  std::optional<size_t> limit;   // --limit N
  bool count = false;  // --count: the number passed, not the entries

  bool any() const {
    return !where.empty() || !sort.empty() || limit.has_value() || count;
  }
};

// The shape --where and --sort name fields in: the map's entries as they
// leave its typing's stages, typed as input is typed (with --fmt and the
// defaults, whatever the output shows: --hex, -o bpftool).
EntryShape FieldsShape(const MapTyping& typing);

// One command's selection, bound to one map.
class EntrySelection {
 public:
  // kBadInput naming the option for a bad --where, a --sort field the map
  // does not have, or --asc without --sort.
  static Result<EntrySelection> For(const SelectionOptions& options,
                                    const MapTyping& typing);

  // Appends its stages (the filter; the limit when not sorting) to
  // `stages`, which hold the typing's already.
  void AddStages(std::vector<EntryStage*>& stages);
  // The sink entries go to: `out` itself, or a sink in front of it that
  // sorts or counts. Valid while this selection lives.
  EntrySink& SinkBefore(EntrySink& out);
  // With --count: how many entries reached the sink.
  size_t count() const { return counter_ ? counter_->count() : 0; }

 private:
  SelectionOptions options_;
  EntryShape fields_;
  std::optional<EntryOrder> order_;
  std::vector<std::unique_ptr<EntryStage>> stages_;
  std::unique_ptr<SortingSink> sorter_;
  std::unique_ptr<CountingSink> counter_;
};

}  // namespace bpfmap

#endif  // BPFMAP_CORE_ENTRIES_ENTRY_SELECTION_H_
