// Plain text: one line per entry or map, bytes as spaced hex pairs.
#ifndef BPFMAP_FORMATTERS_PLAIN_FORMATTER_H_
#define BPFMAP_FORMATTERS_PLAIN_FORMATTER_H_

#include "formatters/formatter.h"

namespace bpfmap {

class PlainFormatter : public Formatter {
 public:
  PlainFormatter(OutputSink& out, OutputSink& err) : out_(out), err_(err) {}

  void PrintEntry(const MapEntry& entry, const ValueLayout& layout) override;
  void BeginDump(const ValueLayout& layout) override { layout_ = layout; }
  void DumpEntry(const MapEntry& entry) override { PrintEntry(entry, layout_); }
  void EndDump() override {}
  void PrintMapInfo(const MapInfo& info) override;
  void PrintMapList(const std::vector<PinnedMap>& maps) override;
  void PrintNote(std::string_view line) override;
  void PrintDone() override {}
  void PrintError(const Error&) override {}

 private:
  void AppendInfo(const MapInfo& info);

  OutputSink& out_;
  OutputSink& err_;
  ValueLayout layout_;
};

}  // namespace bpfmap

#endif  // BPFMAP_FORMATTERS_PLAIN_FORMATTER_H_
