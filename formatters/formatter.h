// Turns core's results into text. One implementation per output format;
// commands call this interface and never look at the format themselves.
#ifndef BPFMAP_FORMATTERS_FORMATTER_H_
#define BPFMAP_FORMATTERS_FORMATTER_H_

#include <cstddef>
#include <memory>
#include <vector>

#include "core/base/bytes.h"
#include "core/base/error.h"
#include "core/entries/entry_diff.h"
#include "core/entries/entry_pipeline.h"
#include "core/entries/histogram.h"
#include "core/entries/watch_sample.h"
#include "core/model/map_entry.h"
#include "core/model/map_info.h"
#include "formatters/output_format.h"
#include "formatters/output_sink.h"

namespace bpfmap {

// A formatter is the sink of the run's entry pipeline (EntrySink: BeginDump,
// DumpEntry, EndDump, FlushDump), and prints everything else a command
// shows.
class Formatter : public EntrySink {
 public:
  explicit Formatter(OutputSink& out) : sink_(out) {}

  // One entry: what get, peek and pop print. Keyless entries have no key.
  // Keys and values are rendered by `shape.types` where those are known.
  virtual void PrintEntry(const EntryView& entry, const EntryShape& shape) = 0;

  // Writes out what is held, now; a format that holds rows back (the
  // table) prints them first.
  void FlushDump() override { sink_.Flush(); }

  // False once a write to stdout failed.
  bool Writable() const override { return sink_.error() == 0; }

  // A dump of a map whose entries user space cannot read (the kernel
  // refused the first lookup with `error`): its `keys`, for formats that
  // show them (bpftool prints each key with the error as its value).
  // Returns whether anything was printed; the default prints nothing.
  virtual bool PrintUnreadableEntries(const std::vector<Bytes>& keys,
                                      const Error& error) {
    (void)keys;
    (void)error;
    return false;
  }

  // What getnext prints: the key after `key` (null: the first key), both
  // `size` bytes, rendered by `type` where it is known (formatted leaves
  // reading `context`).
  virtual void PrintNextKey(const uint8_t* key, const uint8_t* next,
                            uint32_t size, const TypeRef& type,
                            const LeafContext& context) = 0;

  // Records of a ring buffer or perf event array, printed as they arrive
  // (each written out at once): BeginEvents, PrintEvent per record,
  // EndEvents. `with_cpu` when records carry their CPU and time; `type`
  // renders a record (null: its bytes), formatted leaves reading `context`.
  virtual void BeginEvents(bool with_cpu, const LeafContext& context) = 0;
  virtual void PrintEvent(const EventRecord& record, const TypeRef& type) = 0;
  virtual void EndEvents() = 0;
  // What dump --hist prints: bcc's star bars, or buckets in JSON. Keys of
  // per-key histograms are rendered by `shape.types.key`.
  virtual void PrintHistograms(const HistogramReport& report,
                               const EntryShape& shape) = 0;

  // What diff prints: BeginDiff, PrintDifference per difference (added and
  // changed entries as the new side is read, then removed ones), EndDiff.
  // Keys and values are JSON text, as both sides were compared.
  virtual void BeginDiff() = 0;
  virtual void PrintDifference(const EntryDifference& difference) = 0;
  virtual void EndDiff() = 0;

  // What watch prints for one read when stdout is no terminal, at most
  // `limit` rows in the order `read` holds them: JSON, an object per row on
  // a line of its own ({"t", "key", "value", "delta", "rate"}); plain and
  // table, a table; OpenMetrics, an exposition. `time` is when the read
  // ended, in seconds since the epoch. Written out at once.
  virtual void PrintWatch(WatchSampler& read, const EntryShape& shape,
                          double time, size_t limit) = 0;

  // What show prints about one map.
  virtual void PrintMapInfo(const MapInfo& info) = 0;

  // What list prints.
  virtual void PrintMapList(const std::vector<PinnedMap>& maps) = 0;

  // A note for a person (a count, say): on stderr after the data so far in
  // the plain format; silenced in the JSON formats, as bpftool does.
  virtual void PrintNote(std::string_view line) = 0;

  // What --count prints: how many entries there are (that match). Plain
  // and table: the number; JSON: {"count": N}.
  virtual void PrintCount(size_t count) = 0;

  // A command that succeeded with nothing to show (put, del, create).
  virtual void PrintDone() = 0;

  // A failed command. Formats whose stdout must stay one valid document
  // print the error there (JSON: `null` for a "no", else {"error": ...})
  // unless output was already begun; the plain format prints nothing, since
  // the caller reports errors on stderr.
  virtual void PrintError(const Error& error) = 0;

 protected:
  OutputSink& sink_;  // stdout
};

// How a run wants its output.
struct FormatterOptions {
  OutputFormat format = OutputFormat::kPlain;
  bool pretty = false;    // indent JSON
  bool terminal = false;  // stdout is a terminal: the table cuts wide cells
  size_t width = 80;      // the terminal's width in columns
};

// The formatter `options` ask for, writing data to `out` and notes to `err`.
std::unique_ptr<Formatter> MakeFormatter(const FormatterOptions& options,
                                         OutputSink& out, OutputSink& err);

}  // namespace bpfmap

#endif  // BPFMAP_FORMATTERS_FORMATTER_H_
