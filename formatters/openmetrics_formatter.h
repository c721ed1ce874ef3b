// -o openmetrics: a map as Prometheus reads it. Each numeric leaf of the
// value is a gauge family named after the map and the leaf
// (bpfmap_flows_packets), each entry a sample labelled by the key's leaves
// as plain text shows them (saddr="10.0.0.1",dport="443"); per-CPU values
// carry a cpu label unless folded; arrays of counters an index label. The
// text is Prometheus' exposition format 0.0.4 ending in "# EOF", so the
// node exporter's textfile collector and OpenMetrics parsers both read it.
// Maps themselves (show, list) are gauges of their size and fill.
#ifndef BPFMAP_FORMATTERS_OPENMETRICS_FORMATTER_H_
#define BPFMAP_FORMATTERS_OPENMETRICS_FORMATTER_H_

#include <string>
#include <vector>

#include "formatters/formatter.h"

namespace bpfmap {

class OpenMetricsFormatter : public Formatter {
 public:
  OpenMetricsFormatter(OutputSink& out, OutputSink& err)
      : Formatter(out), err_(err) {}

  // get: the entry's samples, as one exposition.
  void PrintEntry(const EntryView& entry, const EntryShape& shape) override;
  // A dump is held (samples grouped by family, as the format requires)
  // and written when it ends, as one exposition.
  void BeginDump(const EntryShape& shape) override;
  void DumpEntry(const EntryView& entry) override;
  void EndDump() override;
  void BeginInnerDump(const EntryView&, uint32_t) override {}
  void EndInnerDump() override {}
  void FlushDump() override {}
  // An exposition per read (gauges of the values; no rates: Prometheus
  // works those out).
  void PrintWatch(WatchSampler& read, const EntryShape& shape, double time,
                  size_t limit) override;
  // bpfmap_map_max_entries, bpfmap_map_entries and bpfmap_map_fill_ratio
  // (with --count), bpfmap_map_memlock_bytes, labelled id, name, type (and
  // path for list).
  void PrintMapInfo(const MapInfo& info) override;
  void PrintMapList(const std::vector<PinnedMap>& maps) override;
  // bpfmap_matching_entries.
  void PrintCount(size_t count) override;
  // Commands without metrics refuse the format before printing (cli/).
  void PrintNextKey(const uint8_t*, const uint8_t*, uint32_t, const TypeRef&,
                    const LeafContext&) override {}
  void BeginEvents(bool, const LeafContext&) override {}
  void PrintEvent(const EventRecord&, const TypeRef&) override {}
  void EndEvents() override {}
  void PrintHistograms(const HistogramReport&, const EntryShape&) override {}
  void BeginDiff() override {}
  void PrintDifference(const EntryDifference&) override {}
  void EndDiff() override {}
  void PrintNote(std::string_view) override {}
  void PrintDone() override {}
  void PrintError(const Error&) override {}

  // A leaf that is a label (of the key) or a sample (of the value).
  struct Leaf {
    std::string name;  // label name, or the family's name
    std::string path;  // "value.stats.bytes", for HELP
    const TypeNode* type = nullptr;  // null: the whole untyped key or value
    LeafPlace place;
    std::vector<std::pair<std::string, std::string>> labels;  // index="3"
    size_t family = 0;     // values: the family its samples go to
    bool padding = false;  // labels: shown only when not all zero
  };

 private:
  struct Family {
    std::string name;
    std::string help;
    fmt::memory_buffer samples;
  };
  void AddSamples(const EntryView& entry);
  void WriteFamilies();

  OutputSink& err_;
  EntryShape shape_;
  std::vector<Leaf> labels_;
  std::vector<Leaf> values_;
  std::vector<Family> families_;
};

// A Prometheus metric or label name made of `text`: every character but
// [a-zA-Z0-9_] becomes '_', and a leading digit gets a '_' before it.
std::string MetricName(std::string_view text);

}  // namespace bpfmap

#endif  // BPFMAP_FORMATTERS_OPENMETRICS_FORMATTER_H_
