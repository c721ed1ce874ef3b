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

 protected:
  void WriteBytes(const uint8_t* data, size_t size) override;
  void WriteInfoFields(const MapInfo& info) override;
  void WriteListItem(const PinnedMap& map) override;
  bool KeylessEntriesHaveKey() const override { return true; }
};

}  // namespace bpfmap

#endif  // BPFMAP_FORMATTERS_BPFTOOL_FORMATTER_H_
