#include "formatters/formatter.h"

#include "formatters/bpftool_formatter.h"
#include "formatters/json_formatter.h"
#include "formatters/openmetrics_formatter.h"
#include "formatters/plain_formatter.h"
#include "formatters/table_formatter.h"

namespace bpfmap {

std::unique_ptr<Formatter> MakeFormatter(const FormatterOptions& options,
                                         OutputSink& out, OutputSink& err) {
  switch (options.format) {
    case OutputFormat::kPlain:
      return std::make_unique<PlainFormatter>(out, err);
    case OutputFormat::kTable:
      return std::make_unique<TableFormatter>(out, err, options.terminal,
                                              options.width);
    case OutputFormat::kJson:
      return std::make_unique<JsonFormatter>(out, options.pretty,
                                             /*lines=*/false);
    case OutputFormat::kNdjson:
      return std::make_unique<JsonFormatter>(out, /*pretty=*/false,
                                             /*lines=*/true);
    case OutputFormat::kBpftool:
      return std::make_unique<BpftoolFormatter>(out, options.pretty,
                                                /*lines=*/false);
    case OutputFormat::kOpenMetrics:
      return std::make_unique<OpenMetricsFormatter>(out, err);
  }
  return nullptr;
}

}  // namespace bpfmap
