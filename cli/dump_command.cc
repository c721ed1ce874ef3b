#include "cli/dump_command.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include "cli/typing.h"
#include "cli/words.h"
#include "core/base/debug_log.h"
#include "core/entries/entry_pipeline.h"
#include "core/entries/prefetch_source.h"
#include "core/entries/map_typing.h"
#include "core/kernel/map_batch.h"
#include "core/kernel/map_handle.h"
#include "core/kernel/map_ops.h"
#include "core/kernel/map_read.h"
#include "core/model/map_types.h"
#include "core/types/type_walk.h"

namespace bpfmap::cli {
namespace {

// Keys listed for a map whose values cannot be read: such maps (per CPU,
// per cgroup) are small.
constexpr size_t kMaxUnreadableKeys = 65536;

// The entries of `map`: read (by the fastest path the kernel allows, a
// second thread reading ahead while this one prints, unless
// BPFMAP_THREADS=1) or drained (on one thread: entries read ahead and never
// printed would be lost), under the values' bpf_spin_lock if `lock`.
Result<std::unique_ptr<EntrySource>> OpenSource(const MapHandle& map,
                                                EntryBatches::Mode mode,
                                                const CommandEnv& env,
                                                const MapTyping& typing) {
  // Values holding a spin lock are read under it, never half written.
  bool lock = typing.input.value && HoldsSpinLock(*typing.input.value);
  if (lock) {
    LogDebug(fmt::format("{}: values hold a bpf_spin_lock; reading them "
                         "under it (BPF_F_LOCK)",
                         map.info().Label()));
  }
  if (mode == EntryBatches::Mode::kRead) {
    BPFMAP_ASSIGN_OR_RETURN(
        MapReader reader,
        MapReader::Start(map, ReadOptions{env.read_path, lock,
                                          typing.kernel_fields}));
    auto owned = std::make_unique<MapReader>(std::move(reader));
    if (!env.read_ahead) return std::unique_ptr<EntrySource>(std::move(owned));
    size_t value_bytes = owned->layout().buffer_size();
    return std::unique_ptr<EntrySource>(std::make_unique<PrefetchSource>(
        std::move(owned), map.info().key_size, value_bytes));
  }
  BPFMAP_ASSIGN_OR_RETURN(EntryBatches batches, EntryBatches::Start(map, mode));
  batches.set_lock(lock);
  return std::unique_ptr<EntrySource>(new EntryBatches(std::move(batches)));
}

// Runs `map`'s entries through its typing's stages and `select`'s into
// `sink`; with --count, `*count` is how many matched.
Result<PipelineResult> DumpThrough(const MapHandle& map,
                                   EntryBatches::Mode mode, EntrySink& out,
                                   CommandEnv& env, bool* began,
                                   const SelectionOptions& select = {},
                                   size_t* count = nullptr) {
  // What the map's type cannot do is said before any typing error.
  const char* operation =
      mode == EntryBatches::Mode::kDrain ? "drain" : "dump";
  BPFMAP_RETURN_IF_ERROR(
      RequireAccess(map.info(), MapAccess::kKeyed, operation));
  if (mode == EntryBatches::Mode::kDrain) {
    BPFMAP_RETURN_IF_ERROR(RequireDeletable(map.info(), operation));
  }
  BPFMAP_ASSIGN_OR_RETURN(MapTyping typing, TypingFor(map, env));
  BPFMAP_ASSIGN_OR_RETURN(std::unique_ptr<EntrySource> source,
                          OpenSource(map, mode, env, typing));
  std::vector<std::unique_ptr<EntryStage>> owned = StagesFor(typing);
  std::vector<EntryStage*> stages;
  for (auto& stage : owned) stages.push_back(stage.get());
  Result<EntrySelection> selection = EntrySelection::For(select, typing);
  if (!selection.ok()) return selection.error().WithContext("dump");
  selection->AddStages(stages);
  EntrySink& sink = selection->SinkBefore(out);
  Result<PipelineResult> done =
      RunPipeline(*source, stages, typing.output, sink, began);
  if (done.ok()) {
    for (const std::string& warning : done->warnings) Warn(env, warning);
    if (count != nullptr) *count = selection->count();
  }
  return done;
}

// The sink of a recursive dump: each entry of the map of maps, and under
// it the dump of the inner map its value names, opened by id and closed
// as soon as its dump ends.
class InnerMapsSink : public EntrySink {
 public:
  InnerMapsSink(CommandEnv& env) : env_(env), out_(env.out) {}

  void BeginDump(const EntryShape& shape) override { out_.BeginDump(shape); }
  void DumpEntry(const EntryView& entry) override {
    uint32_t id;
    std::memcpy(&id, entry.value, sizeof(id));
    Result<MapHandle> inner =
        MapHandle::Open(MapRef{MapRef::Kind::kId, "", id, ""},
                        OpenMode::kReadOnly);
    if (!inner.ok()) {
      // Gone since the outer entry was read: the entry alone, and why.
      Warn(env_, inner.error().Describe());
      out_.DumpEntry(entry);
      return;
    }
    out_.BeginInnerDump(entry, id);
    bool began = false;
    Result<PipelineResult> done = DumpThrough(
        *inner, EntryBatches::Mode::kRead, out_, env_, &began);
    if (!began) {  // an empty list, so the output stays whole
      out_.BeginDump(EntryShape{});
      out_.EndDump();
    }
    if (!done.ok()) {
      // The first is the command's error; any later one is said as it
      // comes.
      Error error = done.error().WithContext(fmt::format("inner map {}", id));
      if (status_.ok()) {
        status_ = error;
      } else {
        Warn(env_, error.Describe());
      }
    }
    out_.EndInnerDump();
  }
  void EndDump() override { out_.EndDump(); }
  void BeginInnerDump(const EntryView& entry, uint32_t id) override {
    out_.BeginInnerDump(entry, id);
  }
  void EndInnerDump() override { out_.EndInnerDump(); }
  void FlushDump() override { out_.FlushDump(); }
  bool Writable() const override { return out_.Writable(); }

  // The first inner map that could not be read, if any.
  const Status& status() const { return status_; }

 private:
  CommandEnv& env_;
  Formatter& out_;
  Status status_;
};

// The first selection option given, for messages.
std::string_view SelectionWord(const SelectionOptions& select) {
  if (!select.where.empty()) return "--where";
  if (!select.sort.empty()) return "--sort";
  if (select.limit) return "--limit";
  return "--count";
}

}  // namespace

Result<PipelineResult> DumpMapInto(const MapHandle& map, EntrySink& sink,
                                   CommandEnv& env,
                                   const SelectionOptions& select,
                                   size_t* count) {
  return DumpThrough(map, EntryBatches::Mode::kRead, sink, env, nullptr,
                     select, count);
}

Result<DumpOptions> ParseDumpWords(const CommandInput& input) {
  DumpOptions options;
  if (input.hist) {
    // dump MAP --hist [log2|linear[:STEP]] [FIELD]
    size_t pos = 0;
    BPFMAP_ASSIGN_OR_RETURN(options.map, ParseMapRef(input.words, pos));
    BPFMAP_ASSIGN_OR_RETURN(
        options.hist,
        ParseHistogramWords(std::vector<std::string>(
            input.words.begin() + static_cast<std::ptrdiff_t>(pos),
            input.words.end())));
  } else {
    BPFMAP_ASSIGN_OR_RETURN(options.map, ParseSoleMapRef(input.words));
  }
  options.drain = input.drain;
  options.recursive = input.recursive;
  options.select.where = input.where;
  options.select.sort = input.sort;
  options.select.ascending = input.ascending;
  options.select.count = input.count_only;
  if (!input.limit.empty()) {
    BPFMAP_ASSIGN_OR_RETURN(uint32_t limit,
                            ParseUint32Arg(input.limit, "dump: --limit"));
    options.select.limit = limit;
  }
  const SelectionOptions& select = options.select;
  if (select.any() && (options.drain || options.recursive)) {
    return Error::BadInput(fmt::format(
        "dump: --{} and {} do not go together ({})",
        options.drain ? "drain" : "recursive", SelectionWord(select),
        options.drain ? "--drain deletes every entry it reads, printed or not"
                      : "they choose among one map's entries"));
  }
  if (options.hist && (!select.sort.empty() || select.limit || select.count)) {
    return Error::BadInput(
        "dump: --hist adds up every entry (--where chooses which); "
        "--sort, --limit and --count do not apply");
  }
  if (select.count && !select.sort.empty()) {
    return Error::BadInput(
        "dump: --count counts; --sort has nothing to "
        "order");
  }
  if (options.drain && options.recursive) {
    return Error::BadInput("dump: --drain and --recursive do not go together");
  }
  if (options.hist && (options.drain || options.recursive)) {
    return Error::BadInput(fmt::format(
        "dump: --hist and --{} do not go together",
        options.drain ? "drain" : "recursive"));
  }
  return options;
}

// dump --hist: the entries added up into histograms, then printed.
Status RunHistogramDump(const DumpOptions& options, CommandEnv& env) {
  BPFMAP_ASSIGN_OR_RETURN(MapHandle map,
                          MapHandle::Open(options.map, OpenMode::kReadOnly));
  if (env.typing.hex) {
    return Error::BadInput(
        "dump: --hist adds up typed counters; --hex "
        "shows bytes");
  }
  if (env.typing.raw_view) {
    return Error::BadInput(
        "dump: --hist has no bpftool form (bpftool prints "
        "no histograms); use -j for its JSON");
  }
  if (env.format == OutputFormat::kOpenMetrics) {
    return Error::BadInput(
        "dump: --hist has no openmetrics form yet; use -j "
        "for its buckets");
  }
  BPFMAP_RETURN_IF_ERROR(RequireAccess(map.info(), MapAccess::kKeyed, "dump"));
  BPFMAP_ASSIGN_OR_RETURN(MapTyping typing, TypingFor(map, env));
  BPFMAP_ASSIGN_OR_RETURN(
      MapReader reader,
      MapReader::Start(map, ReadOptions{env.read_path, false,
                                        typing.kernel_fields}));
  Result<HistogramPlan> plan = HistogramPlan::For(typing.output, *options.hist);
  if (!plan.ok()) return plan.error().WithContext(map.info().Label());
  LogDebug(fmt::format("{}: histogram of {} ({})", map.info().Label(),
                       plan->field(),
                       plan->per_key() ? "one per key" : "keyed by slot"));
  HistogramCollector collector(*plan);
  std::vector<std::unique_ptr<EntryStage>> owned = StagesFor(typing);
  std::vector<EntryStage*> stages;
  for (auto& stage : owned) stages.push_back(stage.get());
  Result<EntrySelection> selection =
      EntrySelection::For(options.select, typing);
  if (!selection.ok()) return selection.error().WithContext("dump");
  selection->AddStages(stages);
  BPFMAP_ASSIGN_OR_RETURN(
      PipelineResult done,
      RunPipeline(reader, stages, typing.output, collector));
  for (const std::string& warning : done.warnings) Warn(env, warning);
  BPFMAP_ASSIGN_OR_RETURN(std::vector<Histogram> histograms,
                          collector.Finish());
  HistogramReport report;
  report.scale = options.hist->scale;
  report.step = options.hist->step;
  report.label = plan->label();
  report.per_key = plan->per_key();
  report.histograms = std::move(histograms);
  env.out.PrintHistograms(report, typing.output);
  env.out.PrintNote(fmt::format("{} from {} element{}",
                                report.per_key ? "Histograms" : "Histogram",
                                done.read, done.read == 1 ? "" : "s"));
  return OkStatus();
}

Status RunDump(const DumpOptions& options, CommandEnv& env) {
  if (options.hist) return RunHistogramDump(options, env);
  BPFMAP_ASSIGN_OR_RETURN(
      MapHandle map,
      MapHandle::Open(options.map, options.drain ? OpenMode::kReadWrite
                                                 : OpenMode::kReadOnly));
  if (options.recursive && env.format == OutputFormat::kOpenMetrics) {
    return Error::BadInput(
        "dump: --recursive has no openmetrics form (each "
        "inner map is a map of its own: dump it)");
  }
  if (options.recursive && !IsMapOfMaps(map.info().type)) {
    return Error::BadInput(fmt::format(
        "dump --recursive: {} is a {} map, not a map of maps",
        map.info().Label(), MapTypeName(map.info().type)));
  }
  InnerMapsSink inner_maps(env);
  EntrySink& sink = options.recursive ? static_cast<EntrySink&>(inner_maps)
                                      : env.out;
  // --key-type and --value-type describe the inner maps of a recursive
  // dump; the outer map's values are ids.
  TypingOptions outer_typing = env.typing;
  if (options.recursive) {
    outer_typing.key_type.clear();
    outer_typing.value_type.clear();
  }
  CommandEnv outer_env{env.out, env.err, outer_typing, env.format,
                       env.read_path, env.read_ahead};
  bool began = false;
  size_t count = 0;
  Result<PipelineResult> done = DumpThrough(
      map,
      options.drain ? EntryBatches::Mode::kDrain : EntryBatches::Mode::kRead,
      sink, outer_env, &began, options.select, &count);
  if (done.ok() && !inner_maps.status().ok()) done = inner_maps.status().error();
  if (!done.ok()) {
    const Error& error = done.error();
    if (!began && error.kind() == ErrorKind::kUnsupported &&
        error.errno_value() != 0 && !options.select.any()) {
      // The kernel refused to read values (a perf_event_array): some
      // formats still list the keys, as bpftool does.
      Result<std::vector<Bytes>> keys = ListKeys(map, kMaxUnreadableKeys);
      if (keys.ok()) env.out.PrintUnreadableEntries(*keys, error);
    }
    return error;
  }
  if (options.select.count) {
    env.out.PrintCount(count);
    return OkStatus();
  }
  if (options.select.any()) {
    size_t shown = options.select.limit
                       ? std::min<size_t>(done->written, *options.select.limit)
                       : done->written;
    env.out.PrintNote(fmt::format("Found {} element{} of {} read", shown,
                                  shown == 1 ? "" : "s", done->read));
    return OkStatus();
  }
  env.out.PrintNote(fmt::format("{} {} element{}",
                                options.drain ? "Drained" : "Found",
                                done->read, done->read == 1 ? "" : "s"));
  return OkStatus();
}

const CommandSpec kDumpCommand = {
    "dump",
    {},
    "print every entry of a map",
    "dump MAP [--drain]       every key and value, one per line (JSON: an "
    "array;\n"
    "                         NDJSON: one object per line). --drain deletes\n"
    "                         what it reads in the same call (a batch, or a\n"
    "                         key where batches are refused): an update\n"
    "                         lands in what is read or stays in the map.\n"
    "                         Where the kernel has neither for the type, it\n"
    "                         reads, then deletes, each key (--debug says so)\n"
    "dump MAP --recursive     a map of maps: under each entry, the entries of\n"
    "                         the inner map it holds, typed by that map's BTF\n"
    "                         (JSON: \"value\": {\"map_id\": N, \"entries\": [...]})\n"
    "dump MAP [--where EXPR] [--sort FIELD [--asc]] [--limit N] [--count]\n"
    "                         the entries EXPR holds for (key.dport == 443\n"
    "                         and value.packets > 100; comm ~ \"^curl\";\n"
    "                         key.saddr in 10.0.0.0/8; key[0:4] == hex\n"
    "                         0a000001; per-CPU values summed), greatest\n"
    "                         FIELD first, at most N; --count: how many\n"
    "dump MAP --hist [log2|linear[:STEP]] [FIELD]\n"
    "                         counters as bcc prints histograms (star bars;\n"
    "                         JSON: {\"label\", \"buckets\": [{\"low\", \"high\",\n"
    "                         \"count\"}]}): a value that is an array of\n"
    "                         counters, one histogram per key, or a map keyed\n"
    "                         by slot with a counter per slot; per-CPU\n"
    "                         counters summed; log2 (default): slot i counts\n"
    "                         2^i to 2^(i+1)-1; linear: i*STEP to (i+1)*STEP-1",
    "bpfmap dump /sys/fs/bpf/flows\n"
    "bpfmap -j dump name flows | jq '.[].key'\n"
    "bpfmap --cpus sum -o table dump /sys/fs/bpf/counters\n"
    "bpfmap -o ndjson dump /sys/fs/bpf/flows > snap && "
    "bpfmap put /sys/fs/bpf/copy --file snap\n"
    "bpfmap dump /sys/fs/bpf/flows --where 'dport == 443' --sort packets "
    "--limit 10\n"
    "bpfmap dump /sys/fs/bpf/flows --count --where 'saddr in 10.0.0.0/8'\n"
    "bpfmap dump --recursive /sys/fs/bpf/services\n"
    "bpfmap dump /sys/fs/bpf/hists --hist log2 slots --fmt slots=us",
    [](const CommandInput& input, CommandEnv& env) -> Status {
      BPFMAP_ASSIGN_OR_RETURN(DumpOptions options, ParseDumpWords(input));
      return RunDump(options, env);
    },
    CompleteMapOnly,
    {CommandOption::kDrain, CommandOption::kRecursive, CommandOption::kHist,
     CommandOption::kWhere, CommandOption::kSort, CommandOption::kAscending,
     CommandOption::kLimit, CommandOption::kCountOnly},
};

}  // namespace bpfmap::cli
