#include "formatters/formatter.h"

#include "formatters/bpftool_formatter.h"
#include "formatters/json_formatter.h"
#include "formatters/plain_formatter.h"

namespace bpfmap {

std::unique_ptr<Formatter> MakeFormatter(OutputFormat format, bool pretty,
                                         OutputSink& out, OutputSink& err) {
  switch (format) {
    case OutputFormat::kPlain:
      return std::make_unique<PlainFormatter>(out, err);
    case OutputFormat::kJson:
      return std::make_unique<JsonFormatter>(out, pretty);
    case OutputFormat::kBpftool:
      return std::make_unique<BpftoolFormatter>(out, pretty);
  }
  return nullptr;
}

}  // namespace bpfmap
