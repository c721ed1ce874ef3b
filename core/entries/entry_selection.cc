#include "core/entries/entry_selection.h"

#include "core/entries/entry_filter.h"

namespace bpfmap {

EntryShape FieldsShape(const MapTyping& typing) {
  EntryShape shape = typing.output;
  shape.types = typing.input;
  return shape;
}

Result<EntrySelection> EntrySelection::For(const SelectionOptions& options,
                                           const MapTyping& typing) {
  EntrySelection selection;
  selection.options_ = options;
  selection.fields_ = FieldsShape(typing);
  if (!options.where.empty()) {
    BPFMAP_ASSIGN_OR_RETURN(
        EntryFilter filter,
        EntryFilter::Parse(options.where, selection.fields_,
                           typing.output.leaf_context));
    selection.stages_.push_back(
        std::make_unique<FilterStage>(std::move(filter), selection.fields_));
  }
  if (!options.sort.empty()) {
    BPFMAP_ASSIGN_OR_RETURN(
        EntryField field,
        ResolveEntryField(selection.fields_, options.sort, "--sort"));
    selection.order_ = EntryOrder{std::move(field), options.ascending};
  } else if (options.ascending) {
    return Error::BadInput("--asc orders what --sort FIELD sorts; give "
                           "--sort");
  }
  if (options.limit && !selection.order_) {
    selection.stages_.push_back(std::make_unique<LimitStage>(*options.limit));
  }
  return selection;
}

void EntrySelection::AddStages(std::vector<EntryStage*>& stages) {
  for (auto& stage : stages_) stages.push_back(stage.get());
}

EntrySink& EntrySelection::SinkBefore(EntrySink& out) {
  if (options_.count) {
    counter_ = std::make_unique<CountingSink>();
    return *counter_;
  }
  if (order_) {
    sorter_ = std::make_unique<SortingSink>(out, *order_, options_.limit,
                                            fields_);
    return *sorter_;
  }
  return out;
}

}  // namespace bpfmap
