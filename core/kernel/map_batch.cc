#include "core/kernel/map_batch.h"

#include <fmt/format.h>
#include <linux/bpf.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "core/base/debug_log.h"
#include "core/kernel/bpf_adapter.h"
#include "core/kernel/map_error.h"
#include "core/kernel/map_refs.h"
#include "core/model/map_types.h"

namespace bpfmap {
namespace {

constexpr uint32_t kWriteChunk = 4096;

std::string_view PathName(bool batched) {
  return batched ? "batch calls" : "one key at a time";
}

}  // namespace

EntryBatches::EntryBatches(const MapHandle& map, Mode mode, ValueLayout layout,
                           uint32_t batch_entries, bool try_batch)
    : map_(&map),
      mode_(mode),
      layout_(layout),
      key_size_(map.info().key_size),
      batched_(try_batch) {
  Resize(std::max<uint32_t>(1, batch_entries));
  // Batch positions: a bucket index for hash maps, a key for arrays.
  size_t token = std::max<size_t>(key_size_, 8);
  in_token_.assign(token, 0);
  out_token_.assign(token, 0);
}

void EntryBatches::Resize(uint32_t entries) {
  capacity_ = entries;
  keys_.resize(static_cast<size_t>(key_size_) * entries);
  values_.resize(layout_.buffer_size() * entries);
}

Result<EntryBatches> EntryBatches::Start(const MapHandle& map, Mode mode,
                                         BatchPath path,
                                         uint32_t batch_entries) {
  const MapInfo& info = map.info();
  std::string_view operation = mode == Mode::kDrain ? "drain" : "dump";
  BPFMAP_RETURN_IF_ERROR(RequireAccess(info, MapAccess::kKeyed, operation));
  if (mode == Mode::kDrain) {
    BPFMAP_RETURN_IF_ERROR(RequireDeletable(info, operation));
  }
  BPFMAP_ASSIGN_OR_RETURN(ValueLayout layout, LayoutFor(info));
  return EntryBatches(map, mode, layout, batch_entries,
                      path == BatchPath::kAuto);
}

Result<uint32_t> EntryBatches::Next() {
  if (done_) return 0u;
  if (batched_) {
    Result<uint32_t> got = NextBatched();
    if (got.ok() || started_) return got;
    if (!LacksCall(got.error())) {
      return MapOpError(got.error(), mode_ == Mode::kDrain ? "drain" : "dump",
                   map_->info());
    }
    LogDebug(fmt::format("{}: no batch calls for {} maps ({}); going one key "
                         "at a time",
                         map_->info().Label(), MapTypeName(map_->info().type),
                         got.error().Describe()));
    batched_ = false;
  }
  if (!started_) {
    LogDebug(fmt::format("{}: {} with {}", map_->info().Label(),
                         mode_ == Mode::kDrain ? "draining" : "reading",
                         PathName(batched_)));
  }
  return NextOneByOne();
}

Result<uint32_t> EntryBatches::NextBatched() {
  const MapInfo& info = map_->info();
  bool drain = mode_ == Mode::kDrain;
  while (true) {
    uint32_t count = capacity_;
    Status status = kernel::LookupBatch(
        map_->fd(), started_ ? in_token_.data() : nullptr, out_token_.data(),
        keys_.data(), values_.data(), count, drain,
        lock_ ? BPF_F_LOCK : 0);
    if (!status.ok() && status.error().errno_value() == ENOSPC &&
        count == 0 && capacity_ < (1u << 24)) {
      // A hash bucket holds more entries than the batch: make room.
      Resize(capacity_ * 2);
      continue;
    }
    if (!status.ok() && status.error().errno_value() != ENOENT) {
      if (!started_) return status.error();  // Next() decides on a fallback
      return MapOpError(status.error(), drain ? "drain" : "dump", info);
    }
    if (!started_) {
      LogDebug(fmt::format("{}: {} with {} of up to {} entries", info.Label(),
                           drain ? "draining" : "reading", PathName(true),
                           capacity_));
    }
    started_ = true;
    if (!status.ok()) done_ = true;  // ENOENT: this was the last batch
    std::swap(in_token_, out_token_);
    if (count == 0 && !done_) continue;
    return count;
  }
}

Result<uint32_t> EntryBatches::NextOneByOne() {
  const MapInfo& info = map_->info();
  bool drain = mode_ == Mode::kDrain;
  std::string_view operation = drain ? "drain" : "dump";
  uint32_t count = 0;
  while (count < capacity_) {
    uint8_t* key = keys_.data() + static_cast<size_t>(key_size_) * count;
    uint8_t* value = values_.data() + layout_.buffer_size() * count;
    // Draining goes on from the key just taken: for a hash map the kernel
    // restarts from the first key when that key is gone; for array-like
    // types (prog_array, devmap, ...) it goes on to the next index, where
    // restarting would find slot 0 empty forever.
    bool from_start = !started_;
    Status next = kernel::GetNextKey(
        map_->fd(), from_start ? nullptr : last_key_.data(), key);
    if (!next.ok()) {
      if (next.error().errno_value() == ENOENT) {
        done_ = true;
        break;
      }
      return MapOpError(next.error(), operation, info);
    }
    started_ = true;
    last_key_.assign(key, key + key_size_);
    if (drain && atomic_drain_) {
      // One call reads and deletes, so no update lands between the two.
      Status taken = kernel::LookupAndDeleteElem(map_->fd(), key, value);
      if (taken.ok()) {
        ++count;
        continue;
      }
      if (taken.error().errno_value() == ENOENT) continue;
      if (!LacksCall(taken.error())) {
        return MapOpError(taken.error(), operation, info);
      }
      LogDebug(fmt::format(
          "{}: the kernel has no lookup-and-delete for {} maps ({}); reading "
          "then deleting each key, so an update between the two is lost",
          info.Label(), MapTypeName(info.type), taken.error().Describe()));
      atomic_drain_ = false;
    }
    Status lookup =
        lock_ ? kernel::LookupElemFlags(map_->fd(), key, value, BPF_F_LOCK)
              : kernel::LookupElem(map_->fd(), key, value);
    if (!lookup.ok()) {
      // Deleted between get_next_key and lookup: skip it.
      if (lookup.error().errno_value() == ENOENT) continue;
      return MapOpError(lookup.error(), operation, info);
    }
    if (drain) {
      Status deleted = kernel::DeleteElem(map_->fd(), key);
      if (!deleted.ok() && deleted.error().errno_value() != ENOENT) {
        return MapOpError(deleted.error(), operation, info);
      }
    }
    ++count;
  }
  return count;
}

Result<std::vector<Bytes>> ListKeys(const MapHandle& map, size_t limit) {
  const MapInfo& info = map.info();
  std::vector<Bytes> keys;
  Bytes key(info.key_size);
  while (keys.size() < limit) {
    Status next = kernel::GetNextKey(
        map.fd(), keys.empty() ? nullptr : keys.back().data(), key.data());
    if (!next.ok()) {
      if (next.error().errno_value() == ENOENT) break;
      return MapOpError(next.error(), "list keys", info);
    }
    keys.push_back(key);
  }
  return keys;
}

namespace {

// One entry written as the map's type takes it: keyless types by value, a
// bloom filter with no mode.
Status WriteOne(const MapHandle& map, MapAccess access, const uint8_t* key,
                const uint8_t* value, uint64_t flags) {
  switch (access) {
    case MapAccess::kQueue:
      return kernel::UpdateElem(map.fd(), nullptr, value, flags);
    case MapAccess::kBloomFilter:
      return kernel::UpdateElem(map.fd(), nullptr, value, BPF_ANY);
    default:
      return kernel::UpdateElem(map.fd(), key, value, flags);
  }
}

// A write refused with EEXIST (noexist) or ENOENT (exist) is an answer of
// "no", not a failure.
Error AsAnswer(const Error& error) {
  int err = error.errno_value();
  return err == EEXIST || err == ENOENT ? Error::No(error.Describe()) : error;
}

}  // namespace

Result<EntryWriter> EntryWriter::Start(const MapHandle& map, UpdateMode mode,
                                       BatchPath path) {
  const MapInfo& info = map.info();
  BPFMAP_RETURN_IF_ERROR(CheckUpdateMode(info, mode));
  EntryWriter writer;
  writer.map_ = &map;
  writer.access_ = AccessOf(info.type);
  writer.flags_ = UpdateFlags(mode);
  // Values that refer to maps or programs are written one at a time, each
  // with the fd its id opens.
  writer.references_ = WritesReferences(info);
  // The kernel's update batch takes no exist/noexist flag: those go one key
  // at a time.
  writer.batched_ = path == BatchPath::kAuto &&
                    writer.access_ == MapAccess::kKeyed &&
                    mode == UpdateMode::kAny && !writer.references_;
  if (!writer.batched_ && path == BatchPath::kAuto &&
      writer.access_ == MapAccess::kKeyed) {
    LogDebug(fmt::format("{}: writing one key at a time ({})", info.Label(),
                         writer.references_
                             ? "each value's id is opened as an fd"
                             : "update batches take no exist/noexist"));
  }
  return writer;
}

Status EntryWriter::Check(const PackedEntries& run) {
  if (!references_) return OkStatus();
  // Every id is opened once before the first write, so that one that names
  // nothing leaves the map as it was (the write opens them again).
  const MapInfo& info = map_->info();
  for (size_t i = 0; i < run.count; ++i) {
    kernel_value_.assign(run.ValueAt(i), run.ValueAt(i) + info.value_size);
    std::vector<OwnedFd> held;
    Status opened = IdsToFds(info, kernel_value_.data(), held);
    if (!opened.ok()) {
      return opened.error().WithContext(
          fmt::format("put: the entry at {} into {}: nothing was written",
                      run.OriginOf(i), info.Label()));
    }
  }
  return OkStatus();
}

Status EntryWriter::Write(const PackedEntries& run) {
  const MapInfo& info = map_->info();
  auto failed = [&](const Error& error, size_t index) -> Error {
    return ExplainMapError(error, "put", info)
        .WithContext(
            fmt::format("put: the entry at {} into {}: {} of {} entries were "
                        "written before "
                        "it",
                        run.OriginOf(index), info.Label(), result_.done,
                        std::max(total_, result_.done + run.count - index)));
  };
  size_t i = 0;
  while (i < run.count) {
    const uint8_t* key = run.KeyAt(i);
    const uint8_t* value = run.ValueAt(i);
    if (batched_) {
      uint32_t count =
          static_cast<uint32_t>(std::min<size_t>(kWriteChunk, run.count - i));
      uint32_t asked = count;
      Status status =
          kernel::UpdateBatch(map_->fd(), key, value, count, flags_);
      // A call refused before it began leaves `count` as it was.
      if (!status.ok() && count == asked) count = 0;
      if (!status.ok() && result_.done == 0 && count == 0 &&
          LacksCall(status.error())) {
        LogDebug(fmt::format("{}: no update batch for {} maps; writing one "
                             "key at a time",
                             info.Label(), MapTypeName(info.type)));
        batched_ = false;
        continue;
      }
      if (result_.done == 0 && i == 0) {
        LogDebug(fmt::format("{}: writing with update batches of up to {}",
                             info.Label(), kWriteChunk));
      }
      result_.done += count;
      i += count;
      if (!status.ok()) return failed(AsAnswer(status.error()), i);
      if (count != asked) return failed(Error::System(EIO, "short batch"), i);
      continue;
    }
    std::vector<OwnedFd> held;
    if (references_) {
      kernel_value_.assign(value, value + info.value_size);
      Status opened = IdsToFds(info, kernel_value_.data(), held);
      if (!opened.ok()) return failed(opened.error(), i);
      value = kernel_value_.data();
    }
    Status status = WriteOne(*map_, access_, key, value, flags_);
    if (!status.ok()) return failed(AsAnswer(status.error()), i);
    ++result_.done;
    ++i;
  }
  return OkStatus();
}

Result<BulkResult> WriteEntries(const MapHandle& map,
                                const PackedEntries& entries, UpdateMode mode,
                                BatchPath path) {
  BPFMAP_ASSIGN_OR_RETURN(EntryWriter writer,
                          EntryWriter::Start(map, mode, path));
  BPFMAP_RETURN_IF_ERROR(writer.Check(entries));
  writer.set_total(entries.count);
  BPFMAP_RETURN_IF_ERROR(writer.Write(entries));
  return writer.result();
}

Status DeleteEntries(const MapHandle& map, const PackedEntries& entries,
                     BulkResult& result, BatchPath& path) {
  const MapInfo& info = map.info();
  BPFMAP_RETURN_IF_ERROR(RequireAccess(info, MapAccess::kKeyed, "del"));
  BPFMAP_RETURN_IF_ERROR(RequireDeletable(info, "del"));
  size_t i = 0;
  while (i < entries.count) {
    const uint8_t* key = entries.keys.data() + entries.key_size * i;
    if (path == BatchPath::kAuto) {
      bool first = result.done == 0 && result.missing == 0;
      uint32_t count = static_cast<uint32_t>(
          std::min<size_t>(kWriteChunk, entries.count - i));
      uint32_t asked = count;
      Status status = kernel::DeleteBatch(map.fd(), key, count);
      if (!status.ok() && count == asked) count = 0;
      result.done += count;
      i += count;
      if (status.ok()) continue;
      if (status.error().errno_value() == ENOENT) {
        ++result.missing;  // the key at i is not there: skip it
        ++i;
        continue;
      }
      if (first && count == 0 && LacksCall(status.error())) {
        LogDebug(fmt::format("{}: no delete batch for {} maps; deleting one "
                             "key at a time",
                             info.Label(), MapTypeName(info.type)));
        path = BatchPath::kOneByOne;
        continue;
      }
      return MapOpError(status.error(), "del", info);
    }
    Status status = kernel::DeleteElem(map.fd(), key);
    if (status.ok()) {
      ++result.done;
    } else if (status.error().errno_value() == ENOENT) {
      ++result.missing;
    } else {
      return MapOpError(status.error(), "del", info);
    }
    ++i;
  }
  return OkStatus();
}

Result<BulkResult> DeleteAllEntries(const MapHandle& map, BatchPath path) {
  const MapInfo& info = map.info();
  BulkResult result;
  if (AccessOf(info.type) == MapAccess::kQueue) {
    Bytes value(info.value_size);
    while (true) {
      Status popped =
          kernel::LookupAndDeleteElem(map.fd(), nullptr, value.data());
      if (popped.ok()) {
        ++result.done;
        continue;
      }
      if (popped.error().errno_value() == ENOENT) return result;
      return MapOpError(popped.error(), "del --all", info);
    }
  }
  // Refused here so the message says what the user ran.
  BPFMAP_RETURN_IF_ERROR(RequireAccess(info, MapAccess::kKeyed, "del --all"));
  BPFMAP_RETURN_IF_ERROR(RequireDeletable(info, "del --all"));
  BPFMAP_ASSIGN_OR_RETURN(
      EntryBatches batches,
      EntryBatches::Start(map, EntryBatches::Mode::kDrain, path));
  while (true) {
    BPFMAP_ASSIGN_OR_RETURN(uint32_t count, batches.Next());
    if (count == 0) return result;
    result.done += count;
  }
}

}  // namespace bpfmap
