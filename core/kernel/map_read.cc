#include "core/kernel/map_read.h"

#include <fmt/format.h>

#include "core/base/debug_log.h"
#include "core/kernel/map_ops.h"

namespace bpfmap {

namespace {

// An array of no more than a batch is read by one call, quicker than an
// iterator is set up (~3 ms).
constexpr uint32_t kBatchEntries = kSourceBatchEntries;

Result<std::unique_ptr<EntryIterator>> TryIterator(
    const MapHandle& map, const ReadOptions& options) {
  std::string unfit =
      IteratorUnfitReason(map.info(), options.lock, options.kernel_fields);
  if (!unfit.empty()) return Error::Unsupported(unfit);
  return EntryIterator::Start(map);
}

// Why the batch calls read `info` when the iterator is not forced, or ""
// to try the iterator.
std::string BatchReason(const MapInfo& info) {
  if (info.type != BPF_MAP_TYPE_ARRAY &&
      info.type != BPF_MAP_TYPE_PERCPU_ARRAY) {
    if (IteratorUnfitReason(info, false, false).empty()) {
      // The kernel's hash iterator walks a bucket under RCU alone and
      // resumes it by position: entries updated meanwhile can be missed or
      // repeated, where a batch call reads each bucket under its lock.
      return "its iterator may miss or repeat entries updated during the "
             "walk, which batch calls never do (BPFMAP_READ=iterator "
             "takes it anyway)";
    }
    return IteratorUnfitReason(info, false, false);
  }
  if (info.max_entries <= kBatchEntries) {
    return "one batch call reads it whole";
  }
  return "";
}

}  // namespace

Result<MapReader> MapReader::Start(const MapHandle& map,
                                   const ReadOptions& options) {
  const MapInfo& info = map.info();
  BPFMAP_RETURN_IF_ERROR(RequireAccess(info, MapAccess::kKeyed, "dump"));
  MapReader reader;
  // (The kernel maps no array whose values hold fields only it may read.)
  if (options.path == ReadPath::kAuto && info.type == BPF_MAP_TYPE_ARRAY &&
      (info.flags & BPF_F_MMAPABLE) && !options.kernel_fields) {
    Result<std::unique_ptr<MappedArray>> mapped =
        MappedArray::Start(map, options.lock);
    if (mapped.ok()) {
      LogDebug(
          fmt::format("{}: reading the mmapable array in place", info.Label()));
      reader.layout_ = (*mapped)->layout();
      reader.source_ = std::move(*mapped);
      reader.way_ = Way::kMapped;
      return reader;
    }
    LogDebug(fmt::format("{}: not reading the array in place: {}", info.Label(),
                         mapped.error().Describe()));
  }
  if (options.path == ReadPath::kIterator ||
      (options.path == ReadPath::kAuto && BatchReason(info).empty())) {
    Result<std::unique_ptr<EntryIterator>> iterator =
        TryIterator(map, options);
    if (iterator.ok()) {
      LogDebug(
          fmt::format("{}: reading through a BPF iterator (bpf_iter "
                      "over map elements)",
                      info.Label()));
      reader.layout_ = (*iterator)->layout();
      reader.source_ = std::move(*iterator);
      reader.way_ = Way::kIterator;
      return reader;
    }
    if (options.path == ReadPath::kIterator) {
      return iterator.error().WithContext(
          fmt::format("{}: BPFMAP_READ=iterator", info.Label()));
    }
    LogDebug(fmt::format("{}: not reading through a BPF iterator: {}",
                         info.Label(), iterator.error().Describe()));
  } else if (options.path == ReadPath::kAuto) {
    LogDebug(fmt::format("{}: not reading through a BPF iterator: {}",
                         info.Label(), BatchReason(info)));
  }
  BPFMAP_ASSIGN_OR_RETURN(
      EntryBatches batches,
      EntryBatches::Start(map, EntryBatches::Mode::kRead,
                          options.path == ReadPath::kOneByOne
                              ? BatchPath::kOneByOne
                              : BatchPath::kAuto,
                          kSourceBatchEntries));
  batches.set_lock(options.lock);
  reader.layout_ = batches.layout();
  reader.source_ = std::make_unique<EntryBatches>(std::move(batches));
  reader.way_ = Way::kBatches;
  return reader;
}

Result<uint64_t> CountEntries(const MapHandle& map,
                              const ReadOptions& options) {
  const MapInfo& info = map.info();
  if (info.type == BPF_MAP_TYPE_ARRAY ||
      info.type == BPF_MAP_TYPE_PERCPU_ARRAY) {
    return uint64_t{info.max_entries};
  }
  BPFMAP_ASSIGN_OR_RETURN(MapReader batches, MapReader::Start(map, options));
  uint64_t count = 0;
  while (true) {
    Result<uint32_t> got = batches.Next();
    if (!got.ok()) {
      const Error& error = got.error();
      if (count == 0 && error.kind() == ErrorKind::kUnsupported &&
          error.errno_value() != 0) {
        // Values user space cannot read (a perf event array): its keys.
        BPFMAP_ASSIGN_OR_RETURN(std::vector<Bytes> keys,
                                ListKeys(map, size_t{info.max_entries} + 1));
        return uint64_t{keys.size()};
      }
      return error.WithContext("count");
    }
    if (*got == 0) return count;
    count += *got;
  }
}

void CountEntriesOf(const std::vector<MapInfo*>& maps,
                    const ReadOptions& options) {
  for (MapInfo* info : maps) {
    Result<MapHandle> map = MapHandle::Open(
        MapRef{MapRef::Kind::kId, "", info->id, ""}, OpenMode::kReadOnly);
    if (!map.ok()) continue;  // gone since it was listed
    Result<uint64_t> entries = CountEntries(*map, options);
    if (entries.ok()) info->entries = *entries;
  }
}

}  // namespace bpfmap
