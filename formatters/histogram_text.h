// Histograms as bcc's libbpf-tools print them (print_log2_hist,
// print_linear_hist): a header, one row per slot, a 40-column star bar.
#ifndef BPFMAP_FORMATTERS_HISTOGRAM_TEXT_H_
#define BPFMAP_FORMATTERS_HISTOGRAM_TEXT_H_

#include <fmt/format.h>

#include "core/entries/histogram.h"
#include "core/model/map_entry.h"

namespace bpfmap {

// Appends one histogram's rows under its header; nothing if every count
// is zero (as bcc).
void AppendHistogramText(const Histogram& histogram, HistogramScale scale,
                         uint64_t step, std::string_view label,
                         fmt::memory_buffer& out);

// Appends every histogram of `report`; per-key ones each after a
// "key = KEY" line (keys rendered by `shape.types.key`), a blank line
// between them.
void AppendHistogramsText(const HistogramReport& report,
                          const EntryShape& shape, fmt::memory_buffer& out);

}  // namespace bpfmap

#endif  // BPFMAP_FORMATTERS_HISTOGRAM_TEXT_H_
