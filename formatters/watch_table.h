// watch's table: one row per entry of a read, the key's and value's cells
// as the table format shows them, then for each numeric leaf of the value
// its change since the read before (Δ) and its rate per second.
#ifndef BPFMAP_FORMATTERS_WATCH_TABLE_H_
#define BPFMAP_FORMATTERS_WATCH_TABLE_H_

#include <cstddef>
#include <string>
#include <vector>

#include "core/entries/watch_sample.h"
#include "core/model/map_entry.h"

namespace bpfmap {

// The header line, then a line per row of `read` (at most `rows` of them),
// columns aligned; each line cut to `width` columns if `width` is not 0.
std::vector<std::string> WatchTableLines(WatchSampler& read,
                                         const EntryShape& shape, size_t rows,
                                         size_t width);

// The column names watch can sort by, in order: each key and value cell's
// path, then rate(LEAF) for each numeric leaf.
std::vector<std::string> WatchSortColumns(const WatchSampler& read,
                                          const EntryShape& shape);

// "12.5", "3.40k", "1.23M", "-7.00G": a rate as the table shows it.
std::string HumanNumber(double value);

}  // namespace bpfmap

#endif  // BPFMAP_FORMATTERS_WATCH_TABLE_H_
