// Readers of the maps that stream records rather than hold entries: ring
// buffers (read in place, or consumed) and perf event arrays (taken over).
#ifndef BPFMAP_CORE_KERNEL_EVENT_READERS_H_
#define BPFMAP_CORE_KERNEL_EVENT_READERS_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>

#include "core/base/error.h"
#include "core/kernel/map_handle.h"
#include "core/model/map_entry.h"

namespace bpfmap {

// Records the reader knows were lost: the kernel's count for a perf event
// array's CPU, or records a busy producer overwrote before a read-only
// ring buffer view reached them (cpu -1).
struct LostRecords {
  int cpu = -1;
  // Perf event arrays: records the kernel dropped. Ring buffers: times the
  // view was overwritten and went on from the owner's position.
  uint64_t count = 0;
  uint64_t bytes = 0;  // ring buffers: bytes of records passed over
};

// Records as they arrive, from any of the readers below.
class EventReader {
 public:
  virtual ~EventReader() = default;
  // Hands the records that are there to `on_record` (until it returns
  // false); if there are none, waits up to `timeout_ms` (-1: no limit, 0:
  // not at all) for some. A signal ends the wait early without an error.
  // Returns how many records were handed over.
  using OnRecord = std::function<bool(const EventRecord& record)>;
  virtual Result<size_t> Read(int timeout_ms, const OnRecord& on_record) = 0;
  // Losses seen since the last call.
  virtual std::vector<LostRecords> TakeLost() = 0;
};

// How a ring buffer is read.
enum class RingBufferMode {
  // Read-only: walk the records between the consumer and producer
  // positions without moving either, so the program's own reader loses
  // nothing. New records are noticed by polling every few milliseconds.
  kPeek,
  // As a reader: each record read is consumed (the consumer position
  // moves past it); waits in epoll for new ones. A ring buffer has one
  // consumer: with another reader running, each gets some records.
  kConsume,
};

// A reader of the ring buffer `map` (type ringbuf), which must stay open
// while the reader lives. kBadInput for any other type.
Result<std::unique_ptr<EventReader>> OpenRingBuffer(const MapHandle& map,
                                                    RingBufferMode mode);

// A reader of the perf event array `map` that installs its own perf event
// for every CPU, `pages` pages each (a power of 2), replacing the owner's
// readers until it is destroyed. Records carry their CPU and time.
Result<std::unique_ptr<EventReader>> TakePerfEventArray(const MapHandle& map,
                                                        size_t pages);

// Submits `record` to the user ring buffer `map` (type user_ringbuf), as one
// record the program drains. kBadInput if it cannot fit at all.
Status SubmitUserRingBufferRecord(const MapHandle& map, const Bytes& record);

}  // namespace bpfmap

#endif  // BPFMAP_CORE_KERNEL_EVENT_READERS_H_
