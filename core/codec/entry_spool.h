// Checked entries kept out of memory: put --file (and del --file) reads
// and checks a whole file before it writes (deletes) the first entry, and
// parks the runs it has checked in an unlinked temporary file meanwhile,
// so that its memory is a run's or two whatever the file's size (and stdin
// is read once, as any file is).
#ifndef BPFMAP_CORE_CODEC_ENTRY_SPOOL_H_
#define BPFMAP_CORE_CODEC_ENTRY_SPOOL_H_

#include <string>

#include "core/base/error.h"
#include "core/model/map_entry.h"

namespace bpfmap {

class EntrySpool {
 public:
  // An unlinked file in $TMPDIR (or /tmp): nothing is left behind, however
  // bpfmap ends.
  static Result<EntrySpool> Create();

  EntrySpool(EntrySpool&& other) noexcept;
  EntrySpool& operator=(EntrySpool&& other) noexcept;
  EntrySpool(const EntrySpool&) = delete;
  EntrySpool& operator=(const EntrySpool&) = delete;
  ~EntrySpool();

  // Adds a run at the end: its entries, and their lines and place in the
  // file for messages.
  Status Append(const PackedEntries& run);

  // Back to the first run, for reading.
  Status Rewind();

  // Reads the next run into `run` (its buffers reused; key_size,
  // value_stride and source are left as they are: the caller's). False
  // after the last.
  Result<bool> Next(PackedEntries& run);

 private:
  EntrySpool(int fd, std::string directory)
      : fd_(fd), directory_(std::move(directory)) {}

  int fd_ = -1;
  std::string directory_;
};

}  // namespace bpfmap

#endif  // BPFMAP_CORE_CODEC_ENTRY_SPOOL_H_
