// The plain format: one greppable line per entry or map, typed where the
// map's types are known ({ip=1 port=80 proto=6}), hex bytes otherwise.
#ifndef BPFMAP_FORMATTERS_PLAIN_FORMATTER_H_
#define BPFMAP_FORMATTERS_PLAIN_FORMATTER_H_

#include "formatters/formatter.h"

namespace bpfmap {

class PlainFormatter : public Formatter {
 public:
  PlainFormatter(OutputSink& out, OutputSink& err)
      : Formatter(out), out_(out), err_(err) {}

  void PrintEntry(const EntryView& entry, const EntryShape& shape) override;
  void PrintNextKey(const uint8_t* key, const uint8_t* next, uint32_t size,
                    const TypeRef& type, const LeafContext& context) override;
  void BeginDump(const EntryShape& shape) override { shape_ = shape; }
  void DumpEntry(const EntryView& entry) override { PrintEntry(entry, shape_); }
  void EndDump() override {}
  // The entry's line, then the inner map's entries indented under it.
  void BeginInnerDump(const EntryView& entry, uint32_t map_id) override;
  void EndInnerDump() override;
  void BeginEvents(bool, const LeafContext& context) override {
    events_context_ = context;
  }
  void PrintEvent(const EventRecord& record, const TypeRef& type) override;
  void EndEvents() override {}
  // bcc's star bars (formatters/histogram_text.h).
  void PrintHistograms(const HistogramReport& report,
                       const EntryShape& shape) override;
  // "+ key: K  value: V", "- ...", "~ key: K  value.n: 1 -> 3 (+2)".
  void BeginDiff() override {}
  void PrintDifference(const EntryDifference& difference) override;
  void EndDiff() override {}
  // A table per read, after a blank line.
  void PrintWatch(WatchSampler& read, const EntryShape& shape, double time,
                  size_t limit) override;
  void PrintMapInfo(const MapInfo& info) override;
  void PrintMapList(const std::vector<PinnedMap>& maps) override;
  void PrintNote(std::string_view line) override;
  void PrintCount(size_t count) override { sink_.Format("{}\n", count); }
  void PrintDone() override {}
  void PrintError(const Error&) override {}

 private:
  void AppendInfo(const MapInfo& info);

  OutputSink& out_;
  OutputSink& err_;
  EntryShape shape_;
  size_t indent_ = 0;               // spaces before each entry line
  std::vector<EntryShape> outer_;  // the shapes of the dumps around this one
  LeafContext events_context_;      // what records' leaves read
};

// Appends a key or value as the plain and table formats show it: typed
// text if `type` is known, else hex pairs separated by spaces. Formatted
// leaves read `context` (null: none: ages as stamps, symbols as
// addresses).
void AppendEntryData(const TypeRef& type, const uint8_t* data, size_t size,
                     bool bare_strings, fmt::memory_buffer& out,
                     const LeafContext* context = nullptr);

// Writes `line` to `err` after flushing `out`, so a note follows the data
// it speaks of.
// A stack trace's frames as text, "sym+0x1a; sym2; 0xffffffffc0001004" (an
// address where no symbol is known), innermost first.
void AppendStackText(const uint8_t* value, uint32_t size,
                     const KernelSymbols* symbols, fmt::memory_buffer& out);

// A value as the shape says: frames of a stack, typed text, or bytes.
void AppendValueText(const EntryShape& shape, const uint8_t* value,
                     bool bare_strings, fmt::memory_buffer& out);

// The id a member of a reference value holds (map_id, prog_id, ifindex).
uint64_t ReferenceId(const uint8_t* value, const Field& field);

// The table column that names what `member` refers to: "map", "prog",
// "dev".
std::string ReferenceColumnName(std::string_view member);

// A perf record's time (CLOCK_MONOTONIC ns) as seconds: "1234.567890123".
void AppendEventTime(uint64_t time_ns, fmt::memory_buffer& out);

void WriteNote(std::string_view line, OutputSink& out, OutputSink& err);

}  // namespace bpfmap

#endif  // BPFMAP_FORMATTERS_PLAIN_FORMATTER_H_
