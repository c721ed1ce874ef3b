#include "cli/entry_input.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string_view>

#include "core/base/debug_log.h"
#include "core/codec/entry_file.h"
#include "core/model/map_types.h"

namespace bpfmap::cli {

namespace {

EntryFileSpec SpecFor(const MapInfo& info, const MapTyping& typing,
                      bool raw_hex, bool need_value) {
  EntryFileSpec spec;
  if (!raw_hex) {
    spec.key_type = typing.input.key.get();
    spec.value_type = typing.input.value.get();
  }
  spec.key_size = info.key_size;
  spec.layout = typing.layout;
  spec.has_key = AccessOf(info.type) == MapAccess::kKeyed;
  spec.need_value = need_value;
  spec.leaf_context = &typing.output.leaf_context;
  return spec;
}

// Runs `read` over `file` opened ("-": stdin).
template <typename ReadFn>
auto WithFile(const std::string& file, ReadFn read)
    -> decltype(read(stdin, "")) {
  if (file == "-") return read(stdin, "<stdin>");
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> in(
      std::fopen(file.c_str(), "re"), &std::fclose);
  if (!in) {
    // A file that is not there is the caller's mistake, like a bad word.
    int error = errno;
    if (error == ENOENT) {
      return Error::BadInput(fmt::format("--file {}: no such file", file));
    }
    return Error::System(error, fmt::format("--file {}", file));
  }
  return read(in.get(), file);
}

}  // namespace

size_t RunEntries(size_t entry_bytes) {
  constexpr size_t kRunBytes = size_t{1} << 20;
  return std::max<size_t>(1, kRunBytes / std::max<size_t>(1, entry_bytes));
}

Status CheckedRuns::Add(const PackedEntries& run) {
  total_ += run.count;
  if (kept_.empty()) {
    kept_.push_back(run);
    return OkStatus();
  }
  if (!spool_ && kept_.size() == 1) {
    Result<EntrySpool> created = EntrySpool::Create();
    if (created.ok()) {
      spool_ = std::move(*created);
      BPFMAP_RETURN_IF_ERROR(spool_->Append(kept_[0]));
    } else {
      LogDebug(fmt::format("{}: {}; checked entries stay in memory", command_,
                           created.error().Describe()));
    }
  }
  if (spool_) return spool_->Append(run);
  kept_.push_back(run);
  return OkStatus();
}

Status CheckedRuns::ForEach(const EntryRunFn& fn) {
  if (!spool_) {
    for (const PackedEntries& run : kept_) BPFMAP_RETURN_IF_ERROR(fn(run));
    return OkStatus();
  }
  BPFMAP_RETURN_IF_ERROR(spool_->Rewind());
  while (true) {
    BPFMAP_ASSIGN_OR_RETURN(bool more, spool_->Next(kept_[0]));
    if (!more) return OkStatus();
    BPFMAP_RETURN_IF_ERROR(fn(kept_[0]));
  }
}

Status ReadEntriesInRuns(const std::string& file, const MapInfo& info,
                         const MapTyping& typing, bool raw_hex, bool need_value,
                         size_t run_entries, const EntryRunFn& on_run) {
  EntryFileSpec spec = SpecFor(info, typing, raw_hex, need_value);
  return WithFile(file, [&](std::FILE* in, const std::string& name) {
    return ReadEntryRuns(in, name, spec, run_entries, on_run);
  });
}

std::optional<FileHalves> SplitInHalves(const std::string& file,
                                        uint64_t min_bytes) {
  if (file == "-") return std::nullopt;
  int fd = open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::optional<FileHalves> halves;
  struct stat st;
  char block[4096];
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
      static_cast<uint64_t>(st.st_size) >= min_bytes) {
    // Lines of objects: the first thing after any white space is '{'.
    ssize_t got = pread(fd, block, sizeof(block), 0);
    std::string_view start(block, got > 0 ? static_cast<size_t>(got) : 0);
    size_t first = start.find_first_not_of(" \t\r\n");
    bool lines = first != std::string_view::npos && start[first] == '{';
    // The split: just after the first newline from the middle on.
    uint64_t size = static_cast<uint64_t>(st.st_size);
    for (uint64_t at = size / 2; lines && at < size;) {
      got = pread(fd, block, sizeof(block), static_cast<off_t>(at));
      if (got <= 0) break;
      const void* newline = std::memchr(block, '\n', static_cast<size_t>(got));
      if (newline != nullptr) {
        uint64_t split =
            at +
            static_cast<uint64_t>(static_cast<const char*>(newline) - block) +
            1;
        if (split < size) halves = FileHalves{split, size};
        break;
      }
      at += static_cast<uint64_t>(got);
    }
  }
  close(fd);
  return halves;
}

Status ReadHalfInRuns(const std::string& file, const FileHalves& halves,
                      Half half, const MapInfo& info, const MapTyping& typing,
                      bool raw_hex, size_t run_entries,
                      const EntryRunFn& on_run, const std::atomic<bool>& stop) {
  EntryFileSpec spec = SpecFor(info, typing, raw_hex, /*need_value=*/true);
  auto stopped = [&] { return stop.load(std::memory_order_relaxed); };
  return WithFile(file, [&](std::FILE* in, const std::string& name) -> Status {
    LineRange range;
    range.lines_only = true;
    if (half == Half::kFirst) {
      range.bytes = halves.split;
    } else {
      // The lines before the second half, for its lines' numbers.
      char block[1 << 16];
      for (uint64_t left = halves.split; left > 0 && !stopped();) {
        size_t got =
            std::fread(block, 1, std::min<uint64_t>(left, sizeof(block)), in);
        if (got == 0) return Error::System(EIO, fmt::format("read {}", name));
        range.lines_before +=
            static_cast<uint32_t>(std::count(block, block + got, '\n'));
        left -= got;
      }
    }
    return ReadEntryRuns(
        in, name, spec, run_entries,
        [&](const PackedEntries& run) -> Status {
          if (stopped()) return Error::BadInput("stopped");
          return on_run(run);
        },
        range);
  });
}

}  // namespace bpfmap::cli
