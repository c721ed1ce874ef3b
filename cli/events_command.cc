#include "cli/events_command.h"

#include <fmt/format.h>
#include <linux/bpf.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <set>

#include "cli/interrupt.h"
#include "core/entries/entry_filter.h"
#include "cli/typing.h"
#include "cli/words.h"
#include "core/base/number.h"
#include "core/entries/map_typing.h"
#include "core/kernel/event_readers.h"
#include "core/kernel/map_handle.h"
#include "core/model/map_types.h"

namespace bpfmap::cli {
namespace {

// Pages per CPU for a taken perf event array, as bpftool's event_pipe.
constexpr size_t kPerfPages = 16;

// The longest wait before Ctrl-C and the deadline are looked at again.
constexpr int kMaxWaitMs = 200;

// A perf sample's raw data is padded so that it and its 4-byte size end on
// 8 bytes: a record of `size` bytes arrives as this many.
uint32_t PaddedPerfSize(uint32_t size) { return ((size + 4 + 7) & ~7u) - 4; }

Result<uint64_t> ParseCount(const std::string& text) {
  std::optional<Int128> n = ParseInteger(text);
  if (!n || *n <= 0 || *n > static_cast<Int128>(UINT64_MAX)) {
    return Error::BadInput(fmt::format(
        "events: --count '{}' is not a positive whole number", text));
  }
  return static_cast<uint64_t>(*n);
}

Result<double> ParseSeconds(const std::string& text) {
  char* end = nullptr;
  double seconds = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() ||
      !std::isfinite(seconds) || seconds < 0 || seconds > 31536000) {
    return Error::BadInput(fmt::format(
        "events: --timeout '{}' is not a number of seconds (0 to 31536000)",
        text));
  }
  return seconds;
}

// How records are shown: by the --value-type where a record has its size
// (perf records may carry padding), else as bytes with one warning per
// size.
class RecordTyping {
 public:
  RecordTyping(TypeRef type, bool perf, CommandEnv& env)
      : type_(std::move(type)), perf_(perf), env_(env) {}

  const TypeRef& For(const EventRecord& record) {
    static const TypeRef kBytes;
    if (!type_) return kBytes;
    uint32_t size = type_->size;
    if (record.size == size || (perf_ && record.size == PaddedPerfSize(size))) {
      return type_;
    }
    if (warned_sizes_.insert(record.size).second) {
      Warn(env_, fmt::format("a record of {} bytes is not a {} ({} bytes): "
                             "shown as bytes",
                             record.size, type_->name, size));
    }
    return kBytes;
  }

 private:
  TypeRef type_;
  bool perf_;
  CommandEnv& env_;
  std::set<uint32_t> warned_sizes_;
};

// Losses, gathered and said at most every few seconds (and at the end):
// a busy producer would otherwise fill stderr.
class LossReport {
 public:
  explicit LossReport(CommandEnv& env) : env_(env) {}

  void Add(EventReader& reader) {
    for (const LostRecords& lost : reader.TakeLost()) {
      if (lost.cpu >= 0) {
        perf_lost_ += lost.count;
      } else {
        overwritten_bytes_ += lost.bytes;
        ++overwrites_;
      }
    }
    if (Clock::now() - last_ >= kEvery) Say();
  }

  void Say() {
    last_ = Clock::now();
    if (perf_lost_ > 0) {
      Warn(env_, fmt::format("{} record{} lost (the perf buffers were full)",
                             perf_lost_, perf_lost_ == 1 ? "" : "s"));
    }
    if (overwrites_ > 0) {
      Warn(env_, fmt::format(
                     "the producer overwrote records before this read-only "
                     "view reached them ({} time{}, {} bytes passed over; "
                     "--consume keeps up with the producer)",
                     overwrites_, overwrites_ == 1 ? "" : "s",
                     overwritten_bytes_));
    }
    perf_lost_ = overwrites_ = overwritten_bytes_ = 0;
  }

 private:
  using Clock = std::chrono::steady_clock;
  static constexpr std::chrono::seconds kEvery{5};
  CommandEnv& env_;
  Clock::time_point last_ = Clock::now();
  uint64_t perf_lost_ = 0;
  uint64_t overwrites_ = 0;
  uint64_t overwritten_bytes_ = 0;
};

Status RunEvents(const EventsOptions& options, CommandEnv& env) {
  if (!env.typing.key_type.empty()) {
    return Error::BadInput("events: records have no key; --key-type does not "
                           "apply (--value-type types the records)");
  }
  RecordType record_type;
  if (!env.typing.hex) {
    BPFMAP_ASSIGN_OR_RETURN(record_type, RecordTypeFor(env));
  }
  const TypeRef& type = record_type.type;
  // --where: records are values (of --value-type, or bytes); parsed
  // before the map is touched (--take empties a perf event array).
  std::optional<EntryFilter> filter;
  if (!options.where.empty()) {
    EntryShape shape;
    shape.has_key = false;
    shape.types.value = record_type.type;
    shape.layout.value_size =
        record_type.type ? record_type.type->size : UINT16_MAX;
    shape.layout.stride = shape.layout.value_size;
    Result<EntryFilter> parsed =
        EntryFilter::Parse(options.where, shape, record_type.leaf_context);
    if (!parsed.ok()) return parsed.error().WithContext("events");
    filter = std::move(*parsed);
  }
  // Read-write even to read in place: the kernel maps no page of a map
  // whose fd is read-only (mmap drops VM_SHARED for it), and perf buffers
  // are installed by updates. Nothing but the positions --consume moves is
  // written.
  BPFMAP_ASSIGN_OR_RETURN(MapHandle map,
                          MapHandle::Open(options.map, OpenMode::kReadWrite));
  const MapInfo& info = map.info();
  std::unique_ptr<EventReader> reader;
  bool perf = false;
  switch (info.type) {
    case BPF_MAP_TYPE_RINGBUF: {
      if (options.take) {
        return Error::BadInput(fmt::format(
            "events: --take is for perf_event_array maps; {} is a ring "
            "buffer (read in place by default, or --consume)",
            info.Label()));
      }
      BPFMAP_ASSIGN_OR_RETURN(
          reader, OpenRingBuffer(map, options.consume ? RingBufferMode::kConsume
                                                      : RingBufferMode::kPeek));
      break;
    }
    case BPF_MAP_TYPE_PERF_EVENT_ARRAY: {
      if (options.consume) {
        return Error::BadInput(fmt::format(
            "events: --consume is for ring buffers; {} is a perf event array "
            "(--take)",
            info.Label()));
      }
      if (!options.take) {
        return Error::BadInput(fmt::format(
            "events: reading perf event array {} replaces its owner's readers "
            "while bpfmap runs; add --take to do that",
            info.Label()));
      }
      perf = true;
      Warn(env, fmt::format("{}: the owner's perf readers are replaced until "
                            "bpfmap exits, and the array is left empty",
                            info.Label()));
      BPFMAP_ASSIGN_OR_RETURN(reader, TakePerfEventArray(map, kPerfPages));
      break;
    }
    case BPF_MAP_TYPE_USER_RINGBUF:
      return Error::Unsupported(fmt::format(
          "events: {} is a user ring buffer: its records go from user space "
          "to the program, which alone reads them (write one with 'put MAP "
          "value V')",
          info.Label()));
    default:
      return Error::BadInput(fmt::format(
          "events: {} is a {} map; events reads ringbuf and perf_event_array "
          "maps (dump reads the others)",
          info.Label(), MapTypeName(info.type)));
  }

  RecordTyping typing(type, perf, env);
  InterruptGuard interrupt;
  using Clock = std::chrono::steady_clock;
  std::optional<Clock::time_point> deadline;
  if (options.timeout) {
    deadline = Clock::now() + std::chrono::microseconds(static_cast<int64_t>(
                                  *options.timeout * 1e6));
  }
  uint64_t printed = 0;
  env.out.BeginEvents(perf, record_type.leaf_context);
  EventReader::OnRecord on_record = [&](const EventRecord& record) {
    if (filter && (record.size < filter->value_bytes() ||
                   !filter->Matches(nullptr, record.data))) {
      return true;  // not one to print; go on
    }
    env.out.PrintEvent(record, typing.For(record));
    ++printed;
    return env.out.Writable() &&
           !(options.count && printed >= *options.count);
  };
  Status status;
  LossReport losses(env);
  while (!interrupt.Interrupted() && env.out.Writable() &&
         !(options.count && printed >= *options.count)) {
    // Waits are short, so that a signal that lands between the check above
    // and a wait is seen within kMaxWaitMs.
    int wait_ms = kMaxWaitMs;
    if (deadline) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          *deadline - Clock::now());
      wait_ms = static_cast<int>(
          std::clamp<int64_t>(left.count(), 0, kMaxWaitMs));
    }
    Result<size_t> read = reader->Read(wait_ms, on_record);
    losses.Add(*reader);
    if (!read.ok()) {
      status = read.error();
      break;
    }
    // The time is up: one pass for --timeout 0, and none after the
    // deadline however busy the producer.
    if (deadline && Clock::now() >= *deadline) break;
  }
  env.out.EndEvents();
  losses.Say();
  if (!status.ok()) return status;
  env.out.PrintNote(fmt::format("Read {} record{}", printed,
                                printed == 1 ? "" : "s"));
  return OkStatus();
}

}  // namespace

Result<EventsOptions> ParseEventsInput(const CommandInput& input) {
  EventsOptions options;
  BPFMAP_ASSIGN_OR_RETURN(options.map, ParseSoleMapRef(input.words));
  options.consume = input.consume;
  options.take = input.take;
  options.where = input.where;
  if (options.consume && options.take) {
    return Error::BadInput("events: --consume and --take do not go together");
  }
  if (!input.count.empty()) {
    BPFMAP_ASSIGN_OR_RETURN(options.count, ParseCount(input.count));
  }
  if (!input.timeout.empty()) {
    BPFMAP_ASSIGN_OR_RETURN(options.timeout, ParseSeconds(input.timeout));
  }
  return options;
}

const CommandSpec kEventsCommand = {
    "events",
    {},
    "print the records of a ring buffer or perf event array as they arrive",
    "events MAP [--count N] [--timeout SECONDS] [--where EXPR]\n"
    "                         a ring buffer, read in place: the records\n"
    "                         between the consumer and producer positions,\n"
    "                         then new ones, moving neither position, so the\n"
    "                         program's own reader loses nothing. A producer\n"
    "                         may overwrite a record while it is read once\n"
    "                         that reader has consumed it: such records are\n"
    "                         skipped and counted on stderr\n"
    "events MAP --consume     a ring buffer, read as its reader: each record\n"
    "                         printed is taken from the buffer (a ring buffer\n"
    "                         has one consumer: with the owner's reader\n"
    "                         running, each gets some of the records)\n"
    "events MAP --take        a perf event array: installs bpfmap's own perf\n"
    "                         events, which REPLACES the owner's readers\n"
    "                         while bpfmap runs and leaves the array empty\n"
    "                         after; records carry their CPU and time\n"
    "                         (CLOCK_MONOTONIC)\n"
    "                         Records print as bytes, or typed by\n"
    "                         --value-type (a record of another size as\n"
    "                         bytes, with a warning). Stops after --count\n"
    "                         records, after --timeout seconds (0: what is\n"
    "                         there now), or on Ctrl-C; lost records are\n"
    "                         counted on stderr. --where EXPR: only the\n"
    "                         records it holds for (fields of --value-type,\n"
    "                         or value[A:B]), as dump takes it; --count\n"
    "                         counts those",
    "bpfmap events /sys/fs/bpf/events --timeout 0\n"
    "bpfmap events name rb --value-type 'struct event { u32 pid; char "
    "comm[16]; }' --where 'comm ~ \"^curl\"'\n"
    "bpfmap -o ndjson events name rb --value-type 'struct event { u32 pid; "
    "char comm[16]; }'\n"
    "bpfmap events /sys/fs/bpf/rb --consume --count 10\n"
    "bpfmap -j events /sys/fs/bpf/perf_events --take --timeout 5",
    [](const CommandInput& input, CommandEnv& env) -> Status {
      BPFMAP_ASSIGN_OR_RETURN(EventsOptions options, ParseEventsInput(input));
      return RunEvents(options, env);
    },
    CompleteMapOnly,
    {CommandOption::kConsume, CommandOption::kTake, CommandOption::kCount,
     CommandOption::kTimeout, CommandOption::kWhere},
};

}  // namespace bpfmap::cli
