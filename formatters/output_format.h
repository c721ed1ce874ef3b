// The output formats, chosen once per run.
#ifndef BPFMAP_FORMATTERS_OUTPUT_FORMAT_H_
#define BPFMAP_FORMATTERS_OUTPUT_FORMAT_H_

#include <optional>
#include <string_view>
#include <vector>

namespace bpfmap {

enum class OutputFormat {
  kPlain,    // one line per entry, typed where the map has types
  kTable,    // a header row and aligned columns: the default on a terminal
  kJson,     // bpfmap's JSON: one document
  kNdjson,   // bpfmap's JSON objects, one per line
  kBpftool,  // exactly what `bpftool -j` prints
  // Prometheus' text exposition (and OpenMetrics'): numeric value leaves
  // as gauges labelled by the key's leaves.
  kOpenMetrics,
};

// Whether `format` prints JSON (so stdout must stay valid JSON).
bool IsJsonFormat(OutputFormat format);

// Every format's name, in the order help lists them.
const std::vector<std::string_view>& OutputFormatNames();

// The format called `name`, if any.
std::optional<OutputFormat> ParseOutputFormat(std::string_view name);

}  // namespace bpfmap

#endif  // BPFMAP_FORMATTERS_OUTPUT_FORMAT_H_
