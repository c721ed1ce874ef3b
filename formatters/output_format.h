// The output formats, chosen once per run.
#ifndef BPFMAP_FORMATTERS_OUTPUT_FORMAT_H_
#define BPFMAP_FORMATTERS_OUTPUT_FORMAT_H_

#include <optional>
#include <string_view>
#include <vector>

namespace bpfmap {

enum class OutputFormat {
  kPlain,    // one line per entry, hex bytes
  kJson,     // bpfmap's JSON
  kBpftool,  // exactly what `bpftool -j` prints
};

// Every format's name, in the order help lists them.
const std::vector<std::string_view>& OutputFormatNames();

// The format called `name`, if any.
std::optional<OutputFormat> ParseOutputFormat(std::string_view name);

}  // namespace bpfmap

#endif  // BPFMAP_FORMATTERS_OUTPUT_FORMAT_H_
