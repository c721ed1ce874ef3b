#include "cli/diff_command.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>

#include "cli/dump_command.h"
#include "cli/words.h"
#include "core/codec/literal.h"
#include "core/entries/entry_diff.h"
#include "core/kernel/map_handle.h"
#include "formatters/output_format.h"

namespace bpfmap::cli {
namespace {

// Each entry of a side, with where it came from ("snap:12").
using EntryFn = std::function<Status(const Literal& entry,
                                     const std::string& origin)>;

// A snapshot: NDJSON (dump -o ndjson) or one JSON array (dump -j), read an
// entry at a time.
Status ReadSnapshot(const std::string& file, const EntryFn& each) {
  std::FILE* in = stdin;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> owned(nullptr, &std::fclose);
  std::string name = file == "-" ? "stdin" : file;
  if (file != "-") {
    owned.reset(std::fopen(file.c_str(), "re"));
    if (!owned) return Error::System(errno, fmt::format("diff: {}", file));
    in = owned.get();
  }
  int first;
  while ((first = std::fgetc(in)) != EOF && std::isspace(first)) {
  }
  if (first == EOF) {
    if (std::ferror(in)) {  // a directory, say: not an empty snapshot
      return Error::System(errno, fmt::format("diff: reading {}", name));
    }
    return OkStatus();  // no entries
  }
  std::ungetc(first, in);
  if (first == '[') {
    Status read = ForEachArrayElement(in, [&](Literal&& entry, size_t index) {
      return each(entry, fmt::format("{}: entry {}", name, index + 1));
    });
    if (!read.ok()) return read.error().WithContext("diff");
    return OkStatus();
  }
  char* line = nullptr;
  size_t capacity = 0;
  ssize_t length;
  size_t number = 0;
  Status status;
  while ((length = getline(&line, &capacity, in)) >= 0) {
    ++number;
    std::string_view text(line, static_cast<size_t>(length));
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
      text.remove_suffix(1);
    }
    if (text.empty()) continue;
    std::string origin = fmt::format("{}:{}", name, number);
    Result<Literal> entry = ParseJsonLiteral(text);
    if (!entry.ok()) {
      status = entry.error().WithContext(origin);
      break;
    }
    status = each(*entry, origin);
    if (!status.ok()) break;
  }
  std::free(line);
  if (status.ok() && std::ferror(in)) {
    status = Error::System(errno, fmt::format("reading {}", name));
  }
  return status.ok() ? status : status.error().WithContext("diff");
}

// A map's entries as dump -o ndjson prints them (typed as the run's
// options say), read an entry at a time.
Status ReadMap(const MapRef& ref, CommandEnv& env, const EntryFn& each) {
  BPFMAP_ASSIGN_OR_RETURN(MapHandle map,
                          MapHandle::Open(ref, OpenMode::kReadOnly));
  char* text = nullptr;
  size_t size = 0;
  std::FILE* memory = open_memstream(&text, &size);
  if (memory == nullptr) return Error::System(errno, "diff: open_memstream");
  Status dumped;
  {
    OutputSink sink(memory);
    FormatterOptions options;
    options.format = OutputFormat::kNdjson;
    std::unique_ptr<Formatter> ndjson = MakeFormatter(options, sink, env.err);
    CommandEnv inner{*ndjson, env.err, env.typing, OutputFormat::kNdjson,
                     env.read_path, env.read_ahead};
    Result<PipelineResult> done = DumpMapInto(map, *ndjson, inner);
    if (!done.ok()) dumped = done.error();
  }
  std::fclose(memory);
  std::unique_ptr<char, void (*)(void*)> owned(text, &std::free);
  if (!dumped.ok()) return dumped.error().WithContext("diff");
  std::string_view rest(text, size);
  std::string label = map.info().Label();
  size_t number = 0;
  while (!rest.empty()) {
    size_t end = rest.find('\n');
    std::string_view line = rest.substr(0, end);
    rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
    ++number;
    BPFMAP_ASSIGN_OR_RETURN(Literal entry, ParseJsonLiteral(line));
    BPFMAP_RETURN_IF_ERROR(
        each(entry, fmt::format("{}: entry {}", label, number)));
  }
  return OkStatus();
}

Status ReadSide(const DiffSide& side, CommandEnv& env, const EntryFn& each) {
  return side.is_map ? ReadMap(side.map, env, each)
                     : ReadSnapshot(side.file, each);
}

std::string SideName(const DiffSide& side) {
  return side.is_map ? side.map.ToString()
                     : side.file == "-" ? "stdin" : side.file;
}

// words[pos...]: a MAP (id N, name X, pinned PATH, or a path on a bpffs)
// or a snapshot file (any other path, or -).
Result<DiffSide> ParseDiffSide(const std::vector<std::string>& words,
                               size_t& pos) {
  DiffSide side;
  const std::string& word = words[pos];
  if (word == "id" || word == "name" || word == "pinned") {
    side.is_map = true;
    BPFMAP_ASSIGN_OR_RETURN(side.map, ParseMapRef(words, pos));
    return side;
  }
  ++pos;
  if (word != "-" && IsOnBpffs(word)) {
    side.is_map = true;
    side.map.kind = MapRef::Kind::kPinned;
    side.map.path = word;
    return side;
  }
  side.file = word;
  return side;
}

}  // namespace

Result<DiffOptions> ParseDiffWords(const CommandInput& input) {
  const std::vector<std::string>& words = input.words;
  DiffOptions options;
  size_t pos = 0;
  if (words.empty()) {
    return Error::BadInput("diff: give two maps or snapshots: diff A B");
  }
  BPFMAP_ASSIGN_OR_RETURN(options.old_side, ParseDiffSide(words, pos));
  if (pos == words.size()) {
    return Error::BadInput(fmt::format(
        "diff: {} against what? give two maps or snapshots: diff A B",
        SideName(options.old_side)));
  }
  BPFMAP_ASSIGN_OR_RETURN(options.new_side, ParseDiffSide(words, pos));
  if (pos != words.size()) {
    return Error::BadInput(fmt::format(
        "diff: '{}' after the second side; diff compares two", words[pos]));
  }
  if (!options.old_side.is_map && !options.new_side.is_map &&
      options.old_side.file == "-" && options.new_side.file == "-") {
    return Error::BadInput("diff: only one side can be stdin (-)");
  }
  return options;
}

Status RunDiff(const DiffOptions& options, CommandEnv& env) {
  if (env.typing.raw_view) {
    return Error::BadInput("diff: bpftool has no diff, so -o bpftool has no "
                           "form for one; use -j");
  }
  EntryDiff diff;
  BPFMAP_RETURN_IF_ERROR(ReadSide(
      options.old_side, env,
      [&](const Literal& entry, const std::string& origin) {
        return diff.AddOld(entry, origin);
      }));
  bool began = false;
  Status read = ReadSide(
      options.new_side, env,
      [&](const Literal& entry, const std::string& origin) -> Status {
        BPFMAP_ASSIGN_OR_RETURN(std::optional<EntryDifference> difference,
                                diff.CompareNew(entry, origin));
        if (!difference) return OkStatus();
        if (!began) env.out.BeginDiff();
        began = true;
        env.out.PrintDifference(*difference);
        return OkStatus();
      });
  if (!read.ok()) {
    if (began) env.out.EndDiff();
    return read;
  }
  std::vector<EntryDifference> removed = diff.TakeRemoved();
  if (!began) env.out.BeginDiff();
  for (const EntryDifference& difference : removed) {
    env.out.PrintDifference(difference);
  }
  env.out.EndDiff();
  const DiffCounts& counts = diff.counts();
  // Sides that cannot match: said, so a wrong snapshot is not read as a
  // map that changed in full.
  if (diff.mismatched() > 0) {
    Warn(env, fmt::format(
        "{} entr{} per-CPU values on one side only: take both sides with "
        "the same --cpus",
        diff.mismatched(), diff.mismatched() == 1 ? "y has" : "ies have"));
  } else if (counts.changed + counts.unchanged == 0 && counts.added > 0 &&
             counts.removed > 0) {
    Warn(env, "no key is on both sides: are they of one map, taken with "
              "the same --hex, --fmt, --key-type?");
  }
  std::string tally = fmt::format(
      "{} added, {} removed, {} changed, {} unchanged", counts.added,
      counts.removed, counts.changed, counts.unchanged);
  if (counts.equal()) {
    env.out.PrintNote(fmt::format("No differences ({})", tally));
    return OkStatus();
  }
  return Error::No(fmt::format("{} and {} differ: {}",
                               SideName(options.old_side),
                               SideName(options.new_side), tally));
}

const CommandSpec kDiffCommand = {
    "diff",
    {},
    "compare two maps, or a map and a snapshot: added, removed, changed",
    "diff A B                 each of A and B a MAP, or a snapshot FILE (what\n"
    "                         dump -o ndjson or dump -j wrote; - is stdin):\n"
    "                         the entries B adds (+), removes (-) and\n"
    "                         changes (~, each differing field with old,\n"
    "                         new and for numbers the change), compared by\n"
    "                         key as JSON shows them (take snapshots with\n"
    "                         the options you diff with: --cpus, --hex,\n"
    "                         --fmt). Exit 0 when equal, 1 when they differ,\n"
    "                         as diff(1). JSON: [{\"change\", \"key\", ...}]",
    "bpfmap -o ndjson dump /sys/fs/bpf/flows > before\n"
    "bpfmap diff before /sys/fs/bpf/flows\n"
    "bpfmap -o table diff before after\n"
    "bpfmap -j diff pinned /sys/fs/bpf/a pinned /sys/fs/bpf/b | jq '.[].key'",
    [](const CommandInput& input, CommandEnv& env) -> Status {
      BPFMAP_ASSIGN_OR_RETURN(DiffOptions options, ParseDiffWords(input));
      return RunDiff(options, env);
    },
    CompleteDiff,
};

}  // namespace bpfmap::cli
