// The table format: a header row and aligned columns, one column per scalar
// leaf of the key and value (dotted names such as range.lo), per-CPU maps
// one set of value columns per CPU. The default on a terminal.
#ifndef BPFMAP_FORMATTERS_TABLE_FORMATTER_H_
#define BPFMAP_FORMATTERS_TABLE_FORMATTER_H_

#include <fmt/format.h>

#include <string>
#include <vector>

#include "core/types/typed_scalar.h"
#include "formatters/formatter.h"

namespace bpfmap {

class TableFormatter : public Formatter {
 public:
  // On a `terminal`, cells wider than `width` are cut with an ellipsis;
  // elsewhere nothing is cut.
  TableFormatter(OutputSink& out, OutputSink& err, bool terminal,
                 size_t width)
      : Formatter(out),
        out_(out),
        err_(err),
        terminal_(terminal),
        width_(width) {}

  void PrintEntry(const EntryView& entry, const EntryShape& shape) override;
  void PrintNextKey(const uint8_t* key, const uint8_t* next, uint32_t size,
                    const TypeRef& type, const LeafContext& context) override;
  void BeginDump(const EntryShape& shape) override;
  void DumpEntry(const EntryView& entry) override;
  void EndDump() override;
  // The entry's row (the rows so far printed), then the inner map's table
  // indented under it; the outer table goes on with the same widths.
  void BeginInnerDump(const EntryView& entry, uint32_t map_id) override;
  void EndInnerDump() override;
  // Fixes the column widths now and prints the rows held back.
  void FlushDump() override;
  // Records stream: one header, then a row per record as it comes, in
  // columns of fixed width (cpu, time) before the record.
  void BeginEvents(bool with_cpu, const LeafContext& context) override;
  void PrintEvent(const EventRecord& record, const TypeRef& type) override;
  void EndEvents() override {}
  // bcc's star bars (formatters/histogram_text.h).
  void PrintHistograms(const HistogramReport& report,
                       const EntryShape& shape) override;
  // One row per changed leaf, and per added or removed entry: change, key,
  // field, old, new, delta.
  void BeginDiff() override;
  void PrintDifference(const EntryDifference& difference) override;
  // Nothing at all when nothing differs.
  void EndDiff() override;
  // A table per read, after a blank line.
  void PrintWatch(WatchSampler& read, const EntryShape& shape, double time,
                  size_t limit) override;
  void PrintMapInfo(const MapInfo& info) override;
  void PrintMapList(const std::vector<PinnedMap>& maps) override;
  void PrintNote(std::string_view line) override;
  void PrintCount(size_t count) override { sink_.Format("{}\n", count); }
  void PrintDone() override {}
  void PrintError(const Error&) override {}

  // Rows held back to size the columns; later rows reuse those widths.
  static constexpr size_t kRowsToMeasure = 1024;

 private:
  struct Column {
    std::string name;
    bool from_key = false;
    uint32_t cpu = 0;
    const TypeNode* type = nullptr;  // null: the whole key or value as hex
    LeafPlace place;
    bool right_aligned = false;
    // A column naming what a reference member refers to ("map" after
    // "map_id"): the member, read at `place`.
    const Field* names_of = nullptr;
  };

  void AddColumns(const TypeRef& type, std::string prefix, bool from_key,
                  uint32_t cpu);
  // Holds a row back while widths are measured, else prints it.
  void AddRow(const std::vector<std::string>& cells);
  void PrintRow(const std::vector<std::string>& cells);
  void Finish();
  void Cut(std::string& cell) const;

  OutputSink& out_;
  OutputSink& err_;
  bool terminal_;
  size_t width_;

  EntryShape shape_;
  LeafContext events_context_;  // what records' leaves read
  std::vector<Column> columns_;
  std::vector<std::vector<std::string>> rows_;  // the header first
  std::vector<size_t> widths_;
  bool widths_fixed_ = false;
  // The tables around the one being printed (recursive dumps).
  struct Outer {
    EntryShape shape;
    std::vector<Column> columns;
    std::vector<size_t> widths;
  };
  std::vector<Outer> outer_;
  size_t indent_ = 0;
  // Reused for every entry, so streaming rows allocates nothing.
  std::vector<std::string> cells_;
  fmt::memory_buffer cell_;
};

}  // namespace bpfmap

#endif  // BPFMAP_FORMATTERS_TABLE_FORMATTER_H_
