// bpfmap's JSON: bytes as one hex string, one document per run.
#ifndef BPFMAP_FORMATTERS_JSON_FORMATTER_H_
#define BPFMAP_FORMATTERS_JSON_FORMATTER_H_

#include "formatters/formatter.h"
#include "formatters/json_writer.h"

namespace bpfmap {

// The shared shape of both JSON formats: one document on stdout, errors as
// {"error": ...}, a "no" as null. Subclasses say how bytes and maps look.
class JsonFormatterBase : public Formatter {
 public:
  JsonFormatterBase(OutputSink& out, bool pretty) : json_(out, pretty) {}

  void PrintEntry(const MapEntry& entry, const ValueLayout& layout) override;
  void BeginDump(const ValueLayout& layout) override;
  void DumpEntry(const MapEntry& entry) override;
  void EndDump() override;
  void PrintMapInfo(const MapInfo& info) override;
  void PrintMapList(const std::vector<PinnedMap>& maps) override;
  void PrintNote(std::string_view) override {}
  void PrintDone() override;
  void PrintError(const Error& error) override;

 protected:
  virtual void WriteBytes(const uint8_t* data, size_t size) = 0;
  virtual void WriteInfoFields(const MapInfo& info) = 0;
  virtual void WriteListItem(const PinnedMap& map) = 0;
  // Keyless entries: whether to write "key": [] anyway.
  virtual bool KeylessEntriesHaveKey() const = 0;

  JsonWriter json_;

 private:
  void WriteEntry(const MapEntry& entry, const ValueLayout& layout);
  bool started_ = false;
  ValueLayout layout_;
};

class JsonFormatter : public JsonFormatterBase {
 public:
  using JsonFormatterBase::JsonFormatterBase;

 protected:
  void WriteBytes(const uint8_t* data, size_t size) override;
  void WriteInfoFields(const MapInfo& info) override;
  void WriteListItem(const PinnedMap& map) override;
  bool KeylessEntriesHaveKey() const override { return false; }
};

}  // namespace bpfmap

#endif  // BPFMAP_FORMATTERS_JSON_FORMATTER_H_
