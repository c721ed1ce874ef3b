#include "formatters/output_format.h"

namespace bpfmap {

const std::vector<std::string_view>& OutputFormatNames() {
  static const std::vector<std::string_view> kNames = {
      "plain", "table", "json", "ndjson", "bpftool", "openmetrics"};
  return kNames;
}

std::optional<OutputFormat> ParseOutputFormat(std::string_view name) {
  if (name == "plain") return OutputFormat::kPlain;
  if (name == "table") return OutputFormat::kTable;
  if (name == "json") return OutputFormat::kJson;
  if (name == "ndjson") return OutputFormat::kNdjson;
  if (name == "bpftool") return OutputFormat::kBpftool;
  if (name == "openmetrics") return OutputFormat::kOpenMetrics;
  return std::nullopt;
}

bool IsJsonFormat(OutputFormat format) {
  return format == OutputFormat::kJson || format == OutputFormat::kNdjson ||
         format == OutputFormat::kBpftool;
}

}  // namespace bpfmap
