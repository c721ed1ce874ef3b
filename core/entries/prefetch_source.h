// Reading and printing at once: a source whose batches a second thread
// reads ahead, into a small ring of buffers, while the pipeline's thread
// filters and formats the batch before. Output is identical to reading on
// one thread; memory is the ring (three batches) besides the inner
// source's own.
#ifndef BPFMAP_CORE_ENTRIES_PREFETCH_SOURCE_H_
#define BPFMAP_CORE_ENTRIES_PREFETCH_SOURCE_H_

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "core/base/bytes.h"
#include "core/base/error.h"
#include "core/entries/entry_pipeline.h"

namespace bpfmap {

class PrefetchSource : public EntrySource {
 public:
  // Reads `inner`, whose entries have `key_size`-byte keys and
  // `value_bytes`-byte value buffers. The first batch is read on the
  // calling thread; only if `inner` may have more does the reading thread
  // start: a map of one batch costs no thread.
  PrefetchSource(std::unique_ptr<EntrySource> inner, uint32_t key_size,
                 size_t value_bytes);
  // Stops the reading thread (after the call it may be in) and joins it:
  // a pipeline that stops early (a --limit, a closed pipe) ends here.
  ~PrefetchSource() override;
  PrefetchSource(const PrefetchSource&) = delete;
  PrefetchSource& operator=(const PrefetchSource&) = delete;

  Result<uint32_t> Next() override;
  EntryView entry(uint32_t i) const override;
  bool Exhausted() const override {
    if (direct_) return inner_->Exhausted();
    return current_ != nullptr && current_->count == 0;
  }

  // Whether a second thread is reading.
  bool threaded() const { return thread_.joinable(); }

 private:
  struct Slot {
    Bytes records;  // key, value buffer; key, value buffer; ...
    uint32_t count = 0;
    Status status;  // an error ends the read
    bool filled = false;
  };
  // Copies the inner source's current batch of `count` into `slot`.
  void Fill(Slot& slot, uint32_t count);
  void ReadAhead();

  std::unique_ptr<EntrySource> inner_;
  uint32_t key_size_;
  size_t record_size_;
  bool started_ = false;
  bool direct_ = false;      // one thread: entries come from inner_
  Slot* current_ = nullptr;  // the slot handed out, threaded
  size_t next_slot_ = 0;     // the slot the consumer takes next

  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Slot> slots_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace bpfmap

#endif  // BPFMAP_CORE_ENTRIES_PREFETCH_SOURCE_H_
