#include "cli/put_command.h"

#include <fmt/format.h>
#include <linux/bpf.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <optional>
#include <thread>
#include <vector>

#include "cli/entry_input.h"
#include "cli/typing.h"
#include "core/base/debug_log.h"
#include "core/codec/byte_codec.h"
#include "core/codec/typed_input.h"
#include "core/kernel/event_readers.h"
#include "core/kernel/map_batch.h"
#include "core/kernel/map_holders.h"
#include "core/kernel/map_ops.h"
#include "core/kernel/map_refs.h"
#include "core/model/map_ref.h"
#include "core/model/map_types.h"
#include "core/model/reference_values.h"

namespace bpfmap::cli {

namespace {

// put --file splits files of this size or more in two halves.
constexpr uint64_t kPutSplitBytes = uint64_t{4} << 20;

// `value id N | pinned PATH | name NAME | PATH` for a map of maps or a
// program array: the id of the map or program named, as the value bpfmap
// shows (put turns it into the fd the kernel takes). Nullopt for other
// words or maps.
// The words after `value` that name an object rather than spell a value:
// `dev IFNAME [prog PROG]` for a devmap; `id N | pinned PATH | name NAME |
// PATH` for a map of maps or a program array. Nullopt for other words.
Result<std::optional<Bytes>> ReferenceWords(
    const std::vector<std::string>& words, const MapInfo& info) {
  const ReferenceValue* ref = ReferenceValueOf(info.type, info.value_size);
  if (ref == nullptr || words.empty()) return std::optional<Bytes>();
  bool devmap = info.type == BPF_MAP_TYPE_DEVMAP ||
                info.type == BPF_MAP_TYPE_DEVMAP_HASH;
  if (devmap && words[0] == "dev") {
    if (words.size() < 2) {
      return Error::BadInput("value: dev takes an interface name (dev eth0)");
    }
    std::optional<MapRef> prog;
    if (words.size() > 2) {
      size_t pos = 3;
      Result<MapRef> parsed = words[2] == "prog" ? ParseMapRef(words, pos)
                                                 : Error::BadInput("");
      if (!parsed.ok() || pos != words.size()) {
        return Error::BadInput(
            "value: dev IFNAME takes prog id ID|pinned PATH|name NAME after "
            "it, or nothing");
      }
      prog = *parsed;
    }
    Result<Bytes> value = DeviceValue(info, words[1], prog);
    if (!value.ok()) return value.error().WithContext("value");
    return std::optional<Bytes>(std::move(*value));
  }
  const std::string& first = words[0];
  bool named = first == "id" || first == "pinned" || first == "name" ||
               first.find('/') != std::string::npos;
  if (devmap || !named) return std::optional<Bytes>();
  size_t pos = 0;
  Result<MapRef> parsed = ParseMapRef(words, pos);
  if (!parsed.ok() || pos != words.size()) {
    return Error::BadInput(fmt::format(
        "value: {} takes a {}: id ID, pinned PATH or name NAME",
        info.Label(), ReferenceKindName(ref->kind)));
  }
  Result<Bytes> value = ValueNaming(info, *parsed);
  if (!value.ok()) return value.error().WithContext("value");
  return std::optional<Bytes>(std::move(*value));
}

// The kernel empties a program array when its last user reference (a pin
// or a descriptor) goes: what was just written into one that nothing pins
// or holds is gone when bpfmap exits. Said, as bpftool says it.
void WarnIfCleared(const MapInfo& info, CommandEnv& env) {
  if (info.type != BPF_MAP_TYPE_PROG_ARRAY) return;
  MapInfo holders = info;
  if (!FindHolders({&holders}).ok() || !holders.holders) return;
  if (holders.holders->pins.empty() && holders.holders->processes.empty()) {
    Warn(env, fmt::format(
                  "{} is not pinned and no process holds it: the kernel "
                  "empties a program array when its last user reference "
                  "goes, so this entry is gone when bpfmap exits; pin the "
                  "array (bpfmap pin) to keep it",
                  info.Label()));
  }
}

// The value buffer to write: `value V` (to every CPU of a per-CPU map) or
// `values V0 V1 ...` (one per possible CPU).
Result<Bytes> ValueBuffer(const ElementArgs& args, const MapInfo& info,
                          const MapTyping& typing,
                          const Bytes* base = nullptr) {
  const ValueLayout& layout = typing.layout;
  const TypeNode* type = typing.input.value.get();
  if (args.value) {
    BPFMAP_ASSIGN_OR_RETURN(std::optional<Bytes> reference,
                            ReferenceWords(*args.value, info));
    if (reference) return *reference;
    BPFMAP_ASSIGN_OR_RETURN(
        Bytes value,
        ParseElementWords(type, *args.value, info.value_size, "value", base,
                          &typing.output.leaf_context));
    return ReplicateValue(value, layout);
  }
  const std::vector<std::string>& words = *args.values;
  if (!layout.per_cpu) {
    return Error::BadInput(fmt::format(
        "'values' is for per-CPU maps; {} is a {} map: use 'value'",
        info.Label(), MapTypeName(info.type)));
  }
  if (words.size() != layout.cpus) {
    return Error::BadInput(fmt::format(
        "values: {} given, but this machine has {} possible CPUs (one value "
        "each)",
        words.size(), layout.cpus));
  }
  Bytes buffer(layout.buffer_size(), 0);
  for (uint32_t cpu = 0; cpu < layout.cpus; ++cpu) {
    std::string what = fmt::format("values[{}]", cpu);
    // An untyped value is one word of hex digits per CPU.
    std::vector<std::string> value_words =
        type != nullptr ? std::vector<std::string>{words[cpu]}
                        : std::vector<std::string>{"hex", words[cpu]};
    BPFMAP_ASSIGN_OR_RETURN(
        Bytes value,
        ParseElementWords(type, value_words, info.value_size, what, nullptr,
                          &typing.output.leaf_context));
    std::copy(value.begin(), value.end(),
              buffer.begin() + static_cast<size_t>(layout.stride) * cpu);
  }
  return buffer;
}

}  // namespace

// put MAP --file FILE [any|exist|noexist]
Status RunPutFile(const MapElementWords& options, const std::string& file,
                  CommandEnv& env) {
  if (options.args.key || options.args.value || options.args.values) {
    return Error::BadInput(
        "put --file takes its keys and values from the file, not the "
        "command line");
  }
  if (options.args.lock) {
    return Error::BadInput("put --file writes in batches, which take no lock");
  }
  BPFMAP_ASSIGN_OR_RETURN(MapHandle map,
                          MapHandle::Open(options.map, OpenMode::kReadWrite));
  const MapInfo& info = map.info();
  if (AccessOf(info.type) == MapAccess::kNone) {
    return RequireAccess(info, MapAccess::kKeyed, "put");
  }
  BPFMAP_ASSIGN_OR_RETURN(MapTyping typing, TypingFor(map, env));
  BPFMAP_ASSIGN_OR_RETURN(
      EntryWriter writer,
      EntryWriter::Start(map, options.args.mode.value_or(UpdateMode::kAny)));
  // Every entry is read and checked before the first is written.
  size_t entry_bytes = info.key_size + typing.layout.buffer_size() + 4;
  size_t run_entries = RunEntries(entry_bytes);
  // A large file of lines is checked as two halves at once where two CPUs
  // may run bpfmap (the second half's runs are written after the first's).
  // Not where Check opens what values name: that stays on this thread.
  std::optional<FileHalves> halves;
  if (env.read_ahead && !writer.opens_references()) {
    halves = SplitInHalves(file, kPutSplitBytes);
  }
  CheckedRuns first("put --file"), second("put --file");
  if (halves) {
    LogDebug(
        fmt::format("put --file: checking {} as two halves at once "
                    "(the second from byte {})",
                    file, halves->split));
    std::atomic<bool> stop{false};
    const std::atomic<bool> never{false};
    Status second_read = OkStatus();
    std::thread reader([&] {
      second_read = ReadHalfInRuns(
          file, *halves, Half::kSecond, info, typing, env.typing.hex,
          run_entries,
          [&](const PackedEntries& run) { return second.Add(run); }, stop);
    });
    Status first_read = ReadHalfInRuns(
        file, *halves, Half::kFirst, info, typing, env.typing.hex, run_entries,
        [&](const PackedEntries& run) { return first.Add(run); }, never);
    // The first half's error is the first in the file: the second half's
    // reader stops, and what it says is not said.
    if (!first_read.ok()) stop.store(true, std::memory_order_relaxed);
    reader.join();
    BPFMAP_RETURN_IF_ERROR(first_read);
    BPFMAP_RETURN_IF_ERROR(second_read);
  } else {
    BPFMAP_RETURN_IF_ERROR(ReadEntriesInRuns(
        file, info, typing, env.typing.hex, /*need_value=*/true, run_entries,
        [&](const PackedEntries& run) -> Status {
          BPFMAP_RETURN_IF_ERROR(writer.Check(run));
          return first.Add(run);
        }));
  }
  writer.set_total(first.total() + second.total());
  BPFMAP_RETURN_IF_ERROR(first.ForEach(
      [&](const PackedEntries& run) { return writer.Write(run); }));
  BPFMAP_RETURN_IF_ERROR(second.ForEach(
      [&](const PackedEntries& run) { return writer.Write(run); }));
  size_t written = writer.result().done;
  Inform(env, fmt::format("wrote {} entr{} to {}", written,
                          written == 1 ? "y" : "ies", info.Label()));
  env.out.PrintDone();
  return OkStatus();
}

// put MAP value V on a user ring buffer: one record, of the --value-type's
// size or of the bytes given.
Status SubmitRecord(const MapHandle& map, const MapElementWords& options,
                    CommandEnv& env) {
  const MapInfo& info = map.info();
  BPFMAP_RETURN_IF_ERROR(CheckElementArgs(options.args, info,
                                          ArgNeed::kForbidden,
                                          ArgNeed::kRequired));
  if (options.args.values || options.args.mode || options.args.lock) {
    return Error::BadInput(fmt::format(
        "put: {} is a user ring buffer: it takes one value (a record) and "
        "no any|exist|noexist or lock",
        info.Label()));
  }
  const std::vector<std::string>& words = *options.args.value;
  Bytes record;
  if (!env.typing.value_type.empty()) {
    BPFMAP_ASSIGN_OR_RETURN(RecordType record_type, RecordTypeFor(env));
    const TypeRef& type = record_type.type;
    BPFMAP_ASSIGN_OR_RETURN(
        record, ParseElementWords(type.get(), words, type->size, "value",
                                  nullptr, &record_type.leaf_context));
  } else {
    BPFMAP_ASSIGN_OR_RETURN(record, ParseByteTokens(words, "value"));
  }
  if (record.empty()) {
    return Error::BadInput("value: a record needs at least one byte");
  }
  BPFMAP_RETURN_IF_ERROR(SubmitUserRingBufferRecord(map, record));
  env.out.PrintDone();
  return OkStatus();
}

Status RunPut(const MapElementWords& options, CommandEnv& env) {
  BPFMAP_ASSIGN_OR_RETURN(MapHandle map,
                          MapHandle::Open(options.map, OpenMode::kReadWrite));
  const MapInfo& info = map.info();
  if (info.type == BPF_MAP_TYPE_USER_RINGBUF) {
    return SubmitRecord(map, options, env);
  }
  MapAccess access = AccessOf(info.type);
  if (access == MapAccess::kNone) {
    return RequireAccess(info, MapAccess::kKeyed, "put");
  }
  if (options.args.lock && access != MapAccess::kKeyed) {
    return Error::BadInput(fmt::format(
        "lock: {} is a {} map, whose values hold no bpf_spin_lock",
        info.Label(), MapTypeName(info.type)));
  }
  if (info.type == BPF_MAP_TYPE_STACK_TRACE) {
    return Error::Unsupported(fmt::format(
        "put: {} is a stack-trace map: only the kernel writes stacks "
        "(bpf_get_stackid); user space may read and delete them",
        info.Label()));
  }
  BPFMAP_ASSIGN_OR_RETURN(MapTyping typing, TypingFor(map, env));
  BPFMAP_RETURN_IF_ERROR(CheckLockable(options.args.lock, info,
                                       typing.input.value.get(), "lock"));
  UpdateMode mode = options.args.mode.value_or(UpdateMode::kAny);
  // Everything is parsed and checked before the one write.
  Bytes key;
  std::optional<StorageKey> storage;  // open while the key is used
  if (access == MapAccess::kKeyed) {
    BPFMAP_RETURN_IF_ERROR(CheckElementArgs(options.args, info,
                                            ArgNeed::kRequired,
                                            ArgNeed::kRequired));
    BPFMAP_ASSIGN_OR_RETURN(
        key, ReadKeyWords(*options.args.key, info, typing, &storage));
  } else {
    BPFMAP_RETURN_IF_ERROR(CheckElementArgs(options.args, info,
                                            ArgNeed::kForbidden,
                                            ArgNeed::kRequired));
  }
  // A section of global variables: a typed value changes only the
  // variables it names (read, change, write), so that setting one tunable
  // does not zero the others.
  std::optional<Bytes> current;
  const TypeNode* value_type = typing.input.value.get();
  if (access == MapAccess::kKeyed && value_type != nullptr &&
      value_type->is_section && options.args.value) {
    uint32_t index = 0;
    std::memcpy(&index, key.data(), std::min<size_t>(key.size(), 4));
    if (key.size() != 4 || index >= info.max_entries) {
      return Error::BadInput(fmt::format(
          "key: {} holds one section at key 0; the index is past the last",
          info.Label()));
    }
    BPFMAP_ASSIGN_OR_RETURN(current, LookupValue(map, key));
  }
  BPFMAP_ASSIGN_OR_RETURN(
      Bytes value, ValueBuffer(options.args, info, typing,
                               current ? &*current : nullptr));
  switch (access) {
    case MapAccess::kKeyed:
      if (Status updated =
              UpdateValue(map, key, value, mode, options.args.lock);
          !updated.ok()) {
        // Said of the object, not of the descriptor number in the key.
        return ExplainMiss(updated.error(), "put", *options.args.key,
                                  info, mode);
      }
      WarnIfCleared(info, env);
      break;
    case MapAccess::kQueue:
      BPFMAP_RETURN_IF_ERROR(PushValue(map, value, mode));
      break;
    case MapAccess::kBloomFilter:
      if (mode != UpdateMode::kAny) {
        return Error::BadInput("a bloom filter takes no any|exist|noexist");
      }
      BPFMAP_RETURN_IF_ERROR(AddToBloomFilter(map, value));
      break;
    case MapAccess::kNone:
      break;
  }
  env.out.PrintDone();
  return OkStatus();
}

const CommandSpec kPutCommand = {
    "put",
    {"update", "push", "enqueue"},
    "write a key's value; push onto a queue or stack; add to a bloom filter",
    "put MAP key KEY value VALUE [any|exist|noexist] [lock]\n"
    "                         any: create or replace (default); exist: only\n"
    "                         replace (exit 1 if absent); noexist: only create\n"
    "                         (exit 1 if present). Per-CPU maps: the value\n"
    "                         goes to every CPU. Maps of maps and program\n"
    "                         arrays: VALUE is id ID, pinned PATH or name\n"
    "                         NAME of the map or program to put there.\n"
    "                         Devmaps: VALUE is dev IFNAME [prog PROG].\n"
    "                         lock: the value's bpf_spin_lock is held while\n"
    "                         it is written (BPF_F_LOCK). Storage maps: KEY\n"
    "                         is pid PID, cgroup PATH, file PATH or socket\n"
    "                         PID FD\n"
    "put MAP key KEY values VALUE... [any|exist|noexist]\n"
    "                         per-CPU maps: one value per possible CPU\n"
    "                         (untyped: one word of hex digits each)\n"
    "put MAP --file FILE [any|exist|noexist]\n"
    "                         every entry of FILE (what dump -o ndjson or -j\n"
    "                         printed; - is stdin), all checked first, then\n"
    "                         written in batches\n"
    "put MAP value VALUE [exist]\n"
    "                         queue/stack: push (exist: drop the oldest when\n"
    "                         full); bloom filter: add; user ring buffer:\n"
    "                         submit VALUE as one record (bytes, or typed by\n"
    "                         --value-type); a user ring buffer has one\n"
    "                         producer: not while the owner's runs",
    "bpfmap put /sys/fs/bpf/counters key 1 0 0 0 value hex 0100000000000000\n"
    "bpfmap put name conns key 0x0a 0 0 1 value 0 0 0 0 noexist\n"
    "bpfmap put /sys/fs/bpf/flows key '{\"ip\": 167772161, \"port\": 80}' "
    "value '{\"mode\": \"MODE_ON\"}'",
    [](const CommandInput& input, CommandEnv& env) -> Status {
      BPFMAP_ASSIGN_OR_RETURN(
          MapElementWords options,
          ParseMapElementWords(input.words, /*allow_mode=*/true));
      if (!input.file.empty()) return RunPutFile(options, input.file, env);
      return RunPut(options, env);
    },
    CompletePut,
    {CommandOption::kFile},
};

}  // namespace bpfmap::cli
