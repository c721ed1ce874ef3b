// The one way entries flow: a source, stages, a sink. A command assembles a
// pipeline; none writes its own loop. Sources: a kernel read a batch at a
// time today (core/kernel); an inner map, a ring buffer or a periodic sample
// tomorrow. Stages: per-CPU folding today; filters, sorting, limits and
// deltas tomorrow. The sink is the run's formatter.
#ifndef BPFMAP_CORE_ENTRIES_ENTRY_PIPELINE_H_
#define BPFMAP_CORE_ENTRIES_ENTRY_PIPELINE_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/base/error.h"
#include "core/model/map_entry.h"

namespace bpfmap {

// The most entries a map's source hands on at once (what one batch call
// reads): the stages and sinks after it hold no more.
inline constexpr uint32_t kSourceBatchEntries = 4096;

// Entries, a batch at a time.
class EntrySource {
 public:
  virtual ~EntrySource() = default;
  // Reads the next batch: how many entries it holds, 0 after the last.
  virtual Result<uint32_t> Next() = 0;
  // The i-th entry of the batch just read; valid until the next Next().
  virtual EntryView entry(uint32_t i) const = 0;
  // True if the source knows the batch just read was the last (the next
  // Next() gives 0); false if more may follow.
  virtual bool Exhausted() const { return false; }
};

// One step between source and sink.
class EntryStage {
 public:
  virtual ~EntryStage() = default;
  // The entry to pass on (it may point into the stage's own buffer, valid
  // until the next call), or nullopt to drop it.
  virtual std::optional<EntryView> Apply(const EntryView& entry) = 0;
  // True once the stage will pass nothing more (a --limit reached): the
  // pipeline stops reading then.
  virtual bool Done() const { return false; }
  // A warning for the user once the source is done ("" if none).
  virtual std::string Warning() const { return ""; }
};

// Where entries end: a dump in some format.
class EntrySink {
 public:
  virtual ~EntrySink() = default;
  // A dump: BeginDump, one DumpEntry per entry, EndDump.
  virtual void BeginDump(const EntryShape& shape) = 0;
  virtual void DumpEntry(const EntryView& entry) = 0;
  virtual void EndDump() = 0;
  // In place of DumpEntry, an entry whose value is a map (a map of maps
  // dumped recursively): BeginInnerDump(entry), that map's own dump
  // (BeginDump, DumpEntry..., EndDump, with its own shape), EndInnerDump.
  // `map_id` is the inner map's id.
  virtual void BeginInnerDump(const EntryView& entry, uint32_t map_id) = 0;
  virtual void EndInnerDump() = 0;
  // Writes out everything held so far, now: a stream prints as records
  // arrive, a screen is redrawn each tick.
  virtual void FlushDump() = 0;
  // False once output can no longer be written (a full disk, a closed
  // pipe): the pipeline stops reading then.
  virtual bool Writable() const = 0;
};

// What a pipeline run did.
struct PipelineResult {
  size_t read = 0;      // entries the source gave
  size_t written = 0;   // entries the sink took
  std::vector<std::string> warnings;  // from the stages
};

// Reads `source` to its end through `stages` (in order) into `sink`, which
// is told the entries have `shape` (as they leave the stages). The first
// batch is read before the sink begins, so a source that fails at once
// (entries user space cannot read) leaves the sink untouched and returns
// its error; a later failure ends the sink's dump cleanly and returns the
// error. `*sink_began`, if given, says which. Reading stops once the sink
// cannot be written, or a stage is done (nothing more is read, or
// drained).
Result<PipelineResult> RunPipeline(EntrySource& source,
                                   const std::vector<EntryStage*>& stages,
                                   const EntryShape& shape, EntrySink& sink,
                                   bool* sink_began = nullptr);

}  // namespace bpfmap

#endif  // BPFMAP_CORE_ENTRIES_ENTRY_PIPELINE_H_
