#include "core/entries/entry_pipeline.h"

namespace bpfmap {

Result<PipelineResult> RunPipeline(EntrySource& source,
                                   const std::vector<EntryStage*>& stages,
                                   const EntryShape& shape, EntrySink& sink,
                                   bool* sink_began) {
  PipelineResult result;
  if (sink_began != nullptr) *sink_began = false;
  Result<uint32_t> got = source.Next();
  if (!got.ok()) return got.error();
  if (sink_began != nullptr) *sink_began = true;
  sink.BeginDump(shape);
  Status status;
  while (*got > 0 && sink.Writable()) {
    for (uint32_t i = 0; i < *got; ++i) {
      std::optional<EntryView> entry = source.entry(i);
      for (EntryStage* stage : stages) {
        entry = stage->Apply(*entry);
        if (!entry) break;
      }
      if (!entry) continue;
      sink.DumpEntry(*entry);
      ++result.written;
    }
    result.read += *got;
    if (!sink.Writable()) break;  // nothing more is read (or drained)
    bool done = false;
    for (const EntryStage* stage : stages) done = done || stage->Done();
    if (done) break;
    got = source.Next();
    if (!got.ok()) {
      status = got.error();
      break;
    }
  }
  sink.EndDump();
  for (const EntryStage* stage : stages) {
    if (std::string warning = stage->Warning(); !warning.empty()) {
      result.warnings.push_back(std::move(warning));
    }
  }
  if (!status.ok()) return status.error();
  return result;
}

}  // namespace bpfmap
