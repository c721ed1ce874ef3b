// What `bpftool -j` prints, so scripts written against bpftool keep working.
#ifndef BPFMAP_FORMATTERS_BPFTOOL_FORMATTER_H_
#define BPFMAP_FORMATTERS_BPFTOOL_FORMATTER_H_

#include "formatters/json_formatter.h"

namespace bpfmap {

// Bytes as arrays of "0x.." strings; show as `bpftool -j map show`; list as
// `bpftool -j -f map show` does for each pinned map.
class BpftoolFormatter : public JsonFormatterBase {
 public:
  using JsonFormatterBase::JsonFormatterBase;

  // As bpftool's dump_map_elem(): each key, and as its value an object
  // with the lookup's strerror() text.
  bool PrintUnreadableEntries(const std::vector<Bytes>& keys,
                              const Error& error) override;

 protected:
  void WriteEntry(const EntryView& entry, const EntryShape& shape) override;
  void WriteInfoFields(const MapInfo& info) override;
  // As bpftool's `map event_pipe -j`: type 9 (a sample), cpu, index (the
  // array slot, which is the CPU), timestamp and the bytes as "data".
  void WriteEvent(const EventRecord& record, const TypeRef& type) override;
  void WriteListItem(const PinnedMap& map) override;
  void WriteKey(const TypeRef&, const uint8_t* data, size_t size,
                const LeafContext&) override {
    WriteBytes(data, size);
  }
  // bpftool lists only the maps it could open.
  bool ListsUnopenedPins() const override { return false; }

 private:
  // Bytes as bpftool writes them: ["0x01", "0x00", ...].
  void WriteBytes(const uint8_t* data, size_t size);
  // bpftool's "formatted" member: the entry again, typed.
  void WriteFormatted(const EntryView& entry, const EntryShape& shape);
};

}  // namespace bpfmap

#endif  // BPFMAP_FORMATTERS_BPFTOOL_FORMATTER_H_
