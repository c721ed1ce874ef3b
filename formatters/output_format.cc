#include "formatters/output_format.h"

namespace bpfmap {

const std::vector<std::string_view>& OutputFormatNames() {
  static const std::vector<std::string_view> kNames = {"plain", "json",
                                                       "bpftool"};
  return kNames;
}

std::optional<OutputFormat> ParseOutputFormat(std::string_view name) {
  if (name == "plain") return OutputFormat::kPlain;
  if (name == "json") return OutputFormat::kJson;
  if (name == "bpftool") return OutputFormat::kBpftool;
  return std::nullopt;
}

}  // namespace bpfmap
