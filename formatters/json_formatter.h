// bpfmap's JSON: typed keys and values where the map has types, else bytes
// as one hex string; one document per run, or one object per line.
#ifndef BPFMAP_FORMATTERS_JSON_FORMATTER_H_
#define BPFMAP_FORMATTERS_JSON_FORMATTER_H_

#include "formatters/formatter.h"
#include "formatters/json_writer.h"

namespace bpfmap {

// The shared shape of the JSON formats. As one document (`lines` false):
// a dump is an array, a mutation prints null, an error {"error": ...}, a
// "no" null. As lines (NDJSON): every entry and every listed map is an
// object on its own line, a mutation or a "no" prints nothing, an error is
// an {"error": ...} line. Subclasses say how entries and maps look.
class JsonFormatterBase : public Formatter {
 public:
  JsonFormatterBase(OutputSink& out, bool pretty, bool lines)
      : Formatter(out), json_(out, pretty), lines_(lines) {}

  void PrintEntry(const EntryView& entry, const EntryShape& shape) override;
  // {"key": KEY or null, "next_key": KEY}, as bpftool's getnext.
  void PrintNextKey(const uint8_t* key, const uint8_t* next, uint32_t size,
                    const TypeRef& type, const LeafContext& context) override;
  void BeginDump(const EntryShape& shape) override;
  void DumpEntry(const EntryView& entry) override;
  void EndDump() override;
  // {"key": KEY, "value": {"map_id": N, "entries": [...]}}.
  void BeginInnerDump(const EntryView& entry, uint32_t map_id) override;
  void EndInnerDump() override;
  // -j: one array, written out record by record; NDJSON: a line each.
  void BeginEvents(bool with_cpu, const LeafContext& context) override;
  void PrintEvent(const EventRecord& record, const TypeRef& type) override;
  void EndEvents() override;
  // -j: {"label": ..., "buckets": [{"low", "high", "count"}...]}, and for
  // per-key histograms an array of those, each with its "key"; NDJSON: one
  // such object per line.
  void PrintHistograms(const HistogramReport& report,
                       const EntryShape& shape) override;
  // -j: an array of difference objects; NDJSON: one per line.
  // {"change": "added"|"removed", "key": K, "value"|"values": V} and
  // {"change": "changed", "key": K, "old": V, "new": V, "delta": {PATH: N}}.
  void BeginDiff() override;
  void PrintDifference(const EntryDifference& difference) override;
  void EndDiff() override;
  // A line per row: {"t": TIME, "key": K, "value": V, "delta": {LEAF: N},
  // "rate": {LEAF: R}}; a leaf that went down has null for both and is
  // listed in "reset"; an entry seen first has neither.
  void PrintWatch(WatchSampler& read, const EntryShape& shape, double time,
                  size_t limit) override;
  void PrintMapInfo(const MapInfo& info) override;
  void PrintMapList(const std::vector<PinnedMap>& maps) override;
  void PrintNote(std::string_view) override {}
  void PrintCount(size_t count) override;
  void PrintDone() override;
  void PrintError(const Error& error) override;

 protected:
  // One entry as one JSON object.
  virtual void WriteEntry(const EntryView& entry, const EntryShape& shape) = 0;
  // Its key and value members alone, in an object begun by the caller
  // (bpfmap's JSON; the bpftool dialect has no watch).
  virtual void WriteEntryMembers(const EntryView&, const EntryShape&) {}
  virtual void WriteInfoFields(const MapInfo& info) = 0;
  virtual void WriteEvent(const EventRecord& record, const TypeRef& type) = 0;
  virtual void WriteListItem(const PinnedMap& map) = 0;
  // A key of `size` bytes, typed by `type` if the format types keys
  // (formatted leaves reading `context`).
  virtual void WriteKey(const TypeRef& type, const uint8_t* data, size_t size,
                        const LeafContext& context) = 0;
  // Whether pins that could not be opened are listed (with an "error").
  virtual bool ListsUnopenedPins() const { return true; }

  // "values": [{"cpu": N, "value": ...}, ...] for a per-CPU `value` buffer,
  // each value written by `write_value(data)`.
  template <typename WriteValue>
  void WritePerCpuValues(const ValueLayout& layout, const uint8_t* value,
                         WriteValue write_value) {
    json_.Key("values");
    json_.BeginArray();
    for (uint32_t cpu = 0; cpu < layout.cpus; ++cpu) {
      json_.BeginObject();
      json_.Key("cpu");
      json_.Uint(cpu);
      json_.Key("value");
      write_value(layout.value_of(value, cpu));
      json_.EndObject();
    }
    json_.EndArray();
  }

  JsonWriter json_;
  bool started_ = false;  // stdout has begun its document
  LeafContext events_context_;  // what records' leaves read

 private:
  bool lines_;
  EntryShape shape_;
  std::vector<EntryShape> outer_;  // the dumps around this one
};

class JsonFormatter : public JsonFormatterBase {
 public:
  using JsonFormatterBase::JsonFormatterBase;

 protected:
  void WriteEntry(const EntryView& entry, const EntryShape& shape) override;
  void WriteEntryMembers(const EntryView& entry,
                         const EntryShape& shape) override;
  void WriteInfoFields(const MapInfo& info) override;
  void WriteEvent(const EventRecord& record, const TypeRef& type) override;
  void WriteListItem(const PinnedMap& map) override;
  void WriteKey(const TypeRef& type, const uint8_t* data, size_t size,
                const LeafContext& context) override {
    WriteData(type, data, size, &context);
  }

 private:
  // A key or value: typed if `type` is known, else a hex string.
  void WriteData(const TypeRef& type, const uint8_t* data, size_t size,
                 const LeafContext* context = nullptr);
};

}  // namespace bpfmap

#endif  // BPFMAP_FORMATTERS_JSON_FORMATTER_H_
