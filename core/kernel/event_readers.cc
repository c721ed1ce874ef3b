#include "core/kernel/event_readers.h"

#include <fmt/format.h>
#include <linux/bpf.h>
#include <linux/perf_event.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <atomic>
#include <chrono>
#include <cstring>

#include "core/base/debug_log.h"
#include "core/kernel/bpf_adapter.h"
#include "core/kernel/owned_fd.h"
#include "core/model/map_types.h"

namespace bpfmap {
namespace {

using Clock = std::chrono::steady_clock;

// How often a read-only view looks for new records: the kernel wakes only
// readers that consume.
constexpr int kPeekIntervalMs = 20;

template <typename T>
T LoadAcquire(const void* at) {
  return __atomic_load_n(static_cast<const T*>(at), __ATOMIC_ACQUIRE);
}

// Milliseconds left until `deadline`, or -1 without one.
int RemainingMs(const std::optional<Clock::time_point>& deadline) {
  if (!deadline) return -1;
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      *deadline - Clock::now());
  return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

std::optional<Clock::time_point> DeadlineAfter(int timeout_ms) {
  if (timeout_ms < 0) return std::nullopt;
  return Clock::now() + std::chrono::milliseconds(timeout_ms);
}

// The kernel's ring buffer, mapped into this process: the consumer position
// page, the producer position page, and the data pages mapped twice in a
// row so that a record that wraps reads as one piece.
class RingBufferReader : public EventReader {
 public:
  static Result<std::unique_ptr<RingBufferReader>> Open(const MapHandle& map,
                                                        RingBufferMode mode) {
    std::unique_ptr<RingBufferReader> reader(new RingBufferReader());
    reader->mode_ = mode;
    reader->size_ = map.info().max_entries;
    reader->page_size_ = static_cast<size_t>(sysconf(_SC_PAGESIZE));
    std::string what = map.info().Label();
    int prot = mode == RingBufferMode::kConsume ? PROT_READ | PROT_WRITE
                                                : PROT_READ;
    void* consumer =
        mmap(nullptr, reader->page_size_, prot, MAP_SHARED, map.fd(), 0);
    if (consumer == MAP_FAILED) {
      return Error::System(errno, what + ": map the consumer position");
    }
    reader->consumer_ = consumer;
    reader->area_size_ = reader->page_size_ + 2 * static_cast<size_t>(
                                                      reader->size_);
    void* area = mmap(nullptr, reader->area_size_, PROT_READ, MAP_SHARED,
                      map.fd(), static_cast<off_t>(reader->page_size_));
    if (area == MAP_FAILED) {
      return Error::System(errno, what + ": map the records");
    }
    reader->producer_ = area;
    reader->data_ = static_cast<const uint8_t*>(area) + reader->page_size_;
    if (mode == RingBufferMode::kConsume) {
      reader->epoll_ = OwnedFd(epoll_create1(EPOLL_CLOEXEC));
      if (reader->epoll_.get() < 0) {
        return Error::System(errno, what + ": wait for records");
      }
      struct epoll_event event = {};
      event.events = EPOLLIN;
      if (epoll_ctl(reader->epoll_.get(), EPOLL_CTL_ADD, map.fd(), &event) !=
          0) {
        return Error::System(errno, what + ": wait for records");
      }
    }
    return reader;
  }

  ~RingBufferReader() override {
    if (consumer_ != nullptr) munmap(consumer_, page_size_);
    if (producer_ != nullptr) munmap(const_cast<void*>(producer_), area_size_);
  }

  Result<size_t> Read(int timeout_ms, const OnRecord& on_record) override {
    std::optional<Clock::time_point> deadline = DeadlineAfter(timeout_ms);
    while (true) {
      bool go_on = true;
      bool pending = false;  // the next record is reserved, not committed
      size_t handed = mode_ == RingBufferMode::kPeek
                          ? PeekRecords(on_record, go_on)
                          : ConsumeRecords(on_record, go_on, pending);
      if (handed > 0 || !go_on) return handed;
      int wait_ms = RemainingMs(deadline);
      if (wait_ms == 0) return 0;
      // Epoll stays ready while a reserved record waits to be committed:
      // poll for it as a read-only view does.
      if (mode_ == RingBufferMode::kPeek || pending) {
        int interval = pending ? 1 : kPeekIntervalMs;
        if (wait_ms < 0 || wait_ms > interval) wait_ms = interval;
        if (poll(nullptr, 0, wait_ms) < 0) return 0;  // a signal
        continue;
      }
      struct epoll_event event;
      int n = epoll_wait(epoll_.get(), &event, 1, wait_ms);
      if (n < 0) {
        if (errno == EINTR) return 0;
        return Error::System(errno, "wait for ring buffer records");
      }
    }
  }

  std::vector<LostRecords> TakeLost() override {
    std::vector<LostRecords> lost;
    if (resyncs_ > 0) {
      lost.push_back({-1, resyncs_, skipped_bytes_});
      skipped_bytes_ = 0;
      resyncs_ = 0;
    }
    return lost;
  }

 private:
  RingBufferReader() = default;

  uint64_t ConsumerPos() const { return LoadAcquire<uint64_t>(consumer_); }
  uint64_t ProducerPos() const { return LoadAcquire<uint64_t>(producer_); }
  const uint8_t* At(uint64_t pos) const { return data_ + (pos & (size_ - 1)); }

  // Where this view stood was overwritten by the producer (the owner's
  // reader consumed it and the producer wrapped): go on from the oldest
  // record the owner has not consumed, counting what was passed over.
  void Resync() {
    uint64_t consumer = ConsumerPos();
    if (consumer > position_) skipped_bytes_ += consumer - position_;
    ++resyncs_;
    position_ = consumer;
  }

  // Whether the record at `position` spanning `span` bytes is still
  // intact: the producer has not wrapped onto it, and it lies before the
  // producer position (so a header read from overwritten space, whose
  // length could be anything, is never followed).
  bool Intact(uint64_t position, uint64_t span) const {
    std::atomic_thread_fence(std::memory_order_acquire);
    uint64_t producer = ProducerPos();
    return producer >= position && producer - position <= size_ &&
           span <= size_ && span <= producer - position;
  }

  // The records from where this view stands to the producer, copied out
  // before they are shown: a producer may reuse the space once the real
  // reader has consumed it, so each header is checked before it is
  // followed and each copy after it is made. (The check is sound where
  // stores are not reordered, as on x86; elsewhere a record the producer
  // is rewriting may show torn, never out of bounds.)
  size_t PeekRecords(const OnRecord& on_record, bool& go_on) {
    if (!started_) {
      position_ = ConsumerPos();
      started_ = true;
    }
    size_t handed = 0;
    while (true) {
      uint64_t producer = ProducerPos();
      if (producer < position_ || producer - position_ > size_) {
        Resync();
        continue;
      }
      if (position_ == producer) return handed;
      uint32_t header = LoadAcquire<uint32_t>(At(position_));
      if (header & BPF_RINGBUF_BUSY_BIT) return handed;  // not committed yet
      uint32_t length =
          header & ~(BPF_RINGBUF_BUSY_BIT | BPF_RINGBUF_DISCARD_BIT);
      uint64_t span = RecordSpan(length);
      if (!Intact(position_, span)) {
        Resync();
        continue;
      }
      if (header & BPF_RINGBUF_DISCARD_BIT) {
        position_ += span;
        continue;
      }
      copy_.assign(At(position_) + BPF_RINGBUF_HDR_SZ,
                   At(position_) + BPF_RINGBUF_HDR_SZ + length);
      if (!Intact(position_, span)) {
        Resync();
        continue;
      }
      position_ += span;
      ++handed;
      EventRecord record;
      record.data = copy_.data();
      record.size = length;
      if (!on_record(record)) {
        go_on = false;
        return handed;
      }
    }
  }

  // The records up to the producer, each consumed once it was shown. A
  // ring buffer has one consumer: the position moves by compare-and-swap,
  // so one moved meanwhile by another reader is never moved back (bpfmap
  // goes on from there).
  size_t ConsumeRecords(const OnRecord& on_record, bool& go_on,
                        bool& pending) {
    uint64_t consumer = ConsumerPos();
    size_t handed = 0;
    while (true) {
      uint64_t producer = ProducerPos();
      if (consumer >= producer) return handed;
      uint32_t header = LoadAcquire<uint32_t>(At(consumer));
      if (header & BPF_RINGBUF_BUSY_BIT) {
        pending = true;
        return handed;
      }
      uint32_t length =
          header & ~(BPF_RINGBUF_BUSY_BIT | BPF_RINGBUF_DISCARD_BIT);
      uint64_t span = RecordSpan(length);
      if (span > size_ || span > producer - consumer) {
        consumer = ConsumerPos();  // another reader moved it
        continue;
      }
      bool keep = true;
      if (!(header & BPF_RINGBUF_DISCARD_BIT)) {
        EventRecord record;
        record.data = At(consumer) + BPF_RINGBUF_HDR_SZ;
        record.size = length;
        ++handed;
        keep = on_record(record);
      }
      uint64_t expected = consumer;
      if (!__atomic_compare_exchange_n(static_cast<uint64_t*>(consumer_),
                                       &expected, consumer + span,
                                       /*weak=*/false, __ATOMIC_RELEASE,
                                       __ATOMIC_ACQUIRE)) {
        consumer = expected;  // another reader moved it: go on from there
      } else {
        consumer += span;
      }
      if (!keep) {
        go_on = false;
        return handed;
      }
    }
  }

  static uint64_t RecordSpan(uint32_t length) {
    return (static_cast<uint64_t>(length) + BPF_RINGBUF_HDR_SZ + 7) & ~7ULL;
  }

  RingBufferMode mode_ = RingBufferMode::kPeek;
  uint64_t size_ = 0;  // bytes of data, a power of 2
  size_t page_size_ = 0;
  void* consumer_ = nullptr;
  const void* producer_ = nullptr;
  size_t area_size_ = 0;
  const uint8_t* data_ = nullptr;
  OwnedFd epoll_;
  bool started_ = false;
  uint64_t position_ = 0;  // the view's own position (kPeek)
  Bytes copy_;
  uint64_t skipped_bytes_ = 0;
  uint64_t resyncs_ = 0;  // times the view was overwritten and moved on
};

// The layouts of the perf records asked for (PERF_SAMPLE_TIME |
// PERF_SAMPLE_RAW) and of the kernel's count of lost records.
struct SampleRecord {
  struct perf_event_header header;
  uint64_t time;
  uint32_t size;
  uint8_t data[];
};
struct LostRecord {
  struct perf_event_header header;
  uint64_t id;
  uint64_t lost;
};

class PerfEventReader : public EventReader {
 public:
  static Result<std::unique_ptr<PerfEventReader>> Take(const MapHandle& map,
                                                       size_t pages) {
    std::unique_ptr<PerfEventReader> reader(new PerfEventReader());
    PerfEventReader* self = reader.get();
    Result<std::unique_ptr<kernel::PerfBuffer>> buffer =
        kernel::PerfBuffer::Open(map.fd(), pages,
                                 [self](int cpu, const void* header) {
                                   self->HandleRecord(cpu, header);
                                 });
    if (!buffer.ok()) {
      return buffer.error().WithContext(
          fmt::format("map {}", map.info().Label()));
    }
    reader->buffer_ = std::move(*buffer);
    return reader;
  }

  Result<size_t> Read(int timeout_ms, const OnRecord& on_record) override {
    on_record_ = &on_record;
    handed_ = 0;
    stopped_ = false;
    Status polled = buffer_->Poll(timeout_ms);
    on_record_ = nullptr;
    if (!polled.ok()) return polled.error();
    return handed_;
  }

  std::vector<LostRecords> TakeLost() override {
    std::vector<LostRecords> lost;
    lost.swap(lost_);
    return lost;
  }

 private:
  PerfEventReader() = default;

  void HandleRecord(int cpu, const void* raw) {
    const auto* header = static_cast<const struct perf_event_header*>(raw);
    if (header->type == PERF_RECORD_LOST) {
      const auto* lost = static_cast<const LostRecord*>(raw);
      lost_.push_back({cpu, lost->lost, 0});
      return;
    }
    if (header->type != PERF_RECORD_SAMPLE || stopped_ ||
        on_record_ == nullptr) {
      return;
    }
    const auto* sample = static_cast<const SampleRecord*>(raw);
    EventRecord record;
    record.data = sample->data;
    record.size = sample->size;
    record.cpu = cpu;
    record.time_ns = sample->time;
    ++handed_;
    // libbpf goes on through what the buffer holds; once told to stop,
    // the rest is dropped (the reader is closing).
    if (!(*on_record_)(record)) stopped_ = true;
  }

  std::unique_ptr<kernel::PerfBuffer> buffer_;
  const OnRecord* on_record_ = nullptr;
  size_t handed_ = 0;
  bool stopped_ = false;
  std::vector<LostRecords> lost_;
};

Status RequireType(const MapHandle& map, uint32_t type, const char* what) {
  if (map.info().type == type) return OkStatus();
  return Error::BadInput(fmt::format("map {} is a {} map; {} needs a {} map",
                                     map.info().Label(),
                                     MapTypeName(map.info().type), what,
                                     MapTypeName(type)));
}

}  // namespace

Result<std::unique_ptr<EventReader>> OpenRingBuffer(const MapHandle& map,
                                                    RingBufferMode mode) {
  BPFMAP_RETURN_IF_ERROR(
      RequireType(map, BPF_MAP_TYPE_RINGBUF, "reading a ring buffer"));
  BPFMAP_ASSIGN_OR_RETURN(std::unique_ptr<RingBufferReader> reader,
                          RingBufferReader::Open(map, mode));
  return std::unique_ptr<EventReader>(std::move(reader));
}

Result<std::unique_ptr<EventReader>> TakePerfEventArray(const MapHandle& map,
                                                        size_t pages) {
  BPFMAP_RETURN_IF_ERROR(
      RequireType(map, BPF_MAP_TYPE_PERF_EVENT_ARRAY, "--take"));
  LogDebug(fmt::format("events: installing perf events of {} pages per CPU "
                       "into {}",
                       pages, map.info().Label()));
  BPFMAP_ASSIGN_OR_RETURN(std::unique_ptr<PerfEventReader> reader,
                          PerfEventReader::Take(map, pages));
  return std::unique_ptr<EventReader>(std::move(reader));
}

Status SubmitUserRingBufferRecord(const MapHandle& map, const Bytes& record) {
  BPFMAP_RETURN_IF_ERROR(RequireType(map, BPF_MAP_TYPE_USER_RINGBUF,
                                     "submitting a record"));
  std::string what = fmt::format("submit to {}", map.info().Label());
  // A record and its 8-byte header must fit in the buffer.
  if (record.size() + BPF_RINGBUF_HDR_SZ > map.info().max_entries) {
    return Error::BadInput(fmt::format(
        "{}: a record of {} bytes cannot fit in a {}-byte ring buffer", what,
        record.size(), map.info().max_entries));
  }
  Status submitted =
      kernel::SubmitUserRecord(map.fd(), record.data(), record.size());
  if (!submitted.ok()) {
    Error error = submitted.error().WithContext(what);
    if (error.errno_value() == ENOSPC) {
      return error.WithHint(
          "the ring buffer is full until the program drains it");
    }
    return error;
  }
  return OkStatus();
}

}  // namespace bpfmap
