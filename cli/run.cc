#include "cli/run.h"

#include <fmt/format.h>
#include <sys/ioctl.h>
#include <sched.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/complete.h"
#include "core/base/debug_log.h"
#include "core/base/number.h"
#include "core/entries/cpu_fold.h"
#include "core/kernel/libbpf_log.h"
#include "core/types/leaf_formats.h"
#include "formatters/formatter.h"
#include "formatters/output_format.h"
#include "formatters/output_sink.h"

namespace bpfmap::cli {
namespace {

constexpr const char* kVersion = "bpfmap 0.1.0";

struct GlobalOptions {
  bool json = false;
  bool pretty = false;
  std::string format;  // empty: not given
  std::string cpus;    // empty: not given
  std::vector<std::string> formats;  // --fmt, each FIELD=KIND[,...]
  bool debug = false;
  TypingOptions typing;
};

// Whether `arg` is an option that takes a value (which FindCommand must
// step over): a global one, or a command's own.
bool TakesValue(std::string_view arg, const std::vector<OptionWord>& options) {
  for (const OptionWord& option : options) {
    if (option.name == arg) return option.takes_value;
  }
  for (CommandOption option : AllCommandOptions()) {
    if (CommandOptionName(option) == arg) {
      return CommandOptionTakesValue(option);
    }
  }
  return false;
}

// The global options as CLI11 holds them: one source for FindCommand and
// completion.
std::vector<OptionWord> GlobalOptionWords(const CLI::App& app) {
  std::vector<OptionWord> words;
  for (const CLI::Option* option : app.get_options()) {
    bool takes_value = option->get_expected_max() > 0;
    for (const std::string& name : option->get_snames()) {
      words.push_back({"-" + name, takes_value});
    }
    for (const std::string& name : option->get_lnames()) {
      words.push_back({"--" + name, takes_value});
    }
  }
  return words;
}

// CLI11 splits a word that starts with '[' and ends with ']' into a list;
// for bpfmap such a word is one JSON argument. Words that start with '[' or
// with the marker get one marker in front before CLI11 sees them, and lose
// it after, which gives every word back exactly as typed.
constexpr char kShield = '\x1f';

std::vector<std::string> ShieldWords(int argc, const char* const* argv) {
  std::vector<std::string> words;
  for (int i = 0; i < argc; ++i) {
    std::string word = argv[i];
    if (i > 0 && !word.empty() && (word[0] == '[' || word[0] == kShield)) {
      word.insert(word.begin(), kShield);
    }
    words.push_back(std::move(word));
  }
  return words;
}

void UnshieldWords(std::vector<std::string>& words) {
  for (std::string& word : words) {
    if (!word.empty() && word[0] == kShield) word.erase(word.begin());
  }
}

// Whether stdout is a terminal, and how wide.
struct Terminal {
  bool is_terminal = false;
  size_t width = 80;
};

Terminal TerminalOf(std::FILE* file) {
  Terminal terminal;
  int fd = fileno(file);
  terminal.is_terminal = fd >= 0 && isatty(fd);
  struct winsize size {};
  if (terminal.is_terminal && ioctl(fd, TIOCGWINSZ, &size) == 0 &&
      size.ws_col > 0) {
    terminal.width = size.ws_col;
  } else if (const char* columns = std::getenv("COLUMNS")) {
    if (std::optional<uint32_t> n = ParseUint32(columns); n && *n > 0) {
      terminal.width = *n;
    }
  }
  return terminal;
}

// The command a run names: the first word that is not an option or an
// option's value; -1 if there is none, commands.size() if it is unknown.
size_t FindCommand(int argc, const char* const* argv,
                   const std::vector<OptionWord>& options, std::string& word) {
  const std::vector<CommandSpec>& commands = AllCommands();
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (TakesValue(arg, options)) {
      ++i;
      continue;
    }
    if (arg.size() > 1 && arg[0] == '-') continue;
    word = arg;
    for (size_t c = 0; c < commands.size(); ++c) {
      if (commands[c].name == arg) return c;
      for (std::string_view alias : commands[c].aliases) {
        if (alias == arg) return c;
      }
    }
    return commands.size();
  }
  return static_cast<size_t>(-1);
}

// The format the options ask for; with none, a table on a terminal and
// plain text elsewhere.
Result<OutputFormat> ResolveFormat(const GlobalOptions& global,
                                   bool terminal) {
  OutputFormat format = terminal ? OutputFormat::kTable : OutputFormat::kPlain;
  if (!global.format.empty()) {
    std::optional<OutputFormat> named = ParseOutputFormat(global.format);
    if (!named) {
      return Error::BadInput(fmt::format(
          "unknown output format '{}' (formats: {})", global.format,
          fmt::join(OutputFormatNames(), ", ")));
    }
    format = *named;
    if ((global.json || global.pretty) && !IsJsonFormat(format)) {
      return Error::BadInput(fmt::format(
          "-j and -p ask for JSON, but -o asks for {}", global.format));
    }
    if (global.pretty && format == OutputFormat::kNdjson) {
      return Error::BadInput("-p indents JSON, but ndjson is one line each");
    }
  } else if (global.json || global.pretty) {
    format = OutputFormat::kJson;
  }
  return format;
}

Status ResolveTypingOptions(GlobalOptions& global) {
  if (!global.cpus.empty()) {
    std::optional<CpuFold> fold = ParseCpuFold(global.cpus);
    if (!fold) {
      return Error::BadInput(fmt::format("--cpus: unknown fold '{}' ({})",
                                         global.cpus,
                                         fmt::join(CpuFoldNames(), ", ")));
    }
    global.typing.fold = *fold;
    global.typing.fold_given = true;
  }
  BPFMAP_ASSIGN_OR_RETURN(global.typing.formats,
                          ParseFormatSpec(fmt::format(
                              "{}", fmt::join(global.formats, ","))));
  return OkStatus();
}

std::string CommandFooter(const CommandSpec& spec) {
  std::string footer = "Usage:\n";
  std::istringstream usage{std::string(spec.usage)};
  for (std::string line; std::getline(usage, line);) {
    // Continuation lines (indented) go on with the line above, aligned
    // with it.
    bool continued = !line.empty() && line[0] == ' ';
    footer += (continued ? "                   " : "  bpfmap [OPTIONS] ") +
              line + "\n";
  }
  if (!spec.aliases.empty()) {
    footer += fmt::format("\nAliases: {}\n", fmt::join(spec.aliases, ", "));
  }
  footer += "\nExamples:\n";
  std::istringstream examples{std::string(spec.examples)};
  for (std::string line; std::getline(examples, line);) {
    footer += "  " + line + "\n";
  }
  return footer;
}

// The format the words ask for, read before CLI11 parses them, so that a
// usage error CLI11 finds still prints in that format: in the JSON formats
// stdout stays one JSON document on every path. -j and -p win, as they do
// once parsed; an -o that names no format counts as none.
OutputFormat PeekFormat(int argc, const char* const* argv, bool terminal) {
  std::optional<OutputFormat> named;
  bool json = false;
  for (int i = 1; i < argc; ++i) {
    std::string_view word = argv[i];
    if (word == "--") break;
    if (word == "--json" || word == "--pretty") {
      json = true;
    } else if (word == "--output" && i + 1 < argc) {
      named = ParseOutputFormat(argv[++i]);
    } else if (word.rfind("--output=", 0) == 0) {
      named = ParseOutputFormat(word.substr(9));
    } else if (word.size() > 1 && word[0] == '-' && word[1] != '-') {
      // A cluster of short flags, as CLI11 reads it: -j, -dj, -jo FORMAT,
      // -oFORMAT.
      for (size_t c = 1; c < word.size(); ++c) {
        if (word[c] == 'j' || word[c] == 'p') json = true;
        if (word[c] != 'o') continue;
        if (c + 1 < word.size()) {
          named = ParseOutputFormat(word.substr(c + 1));
        } else if (i + 1 < argc) {
          named = ParseOutputFormat(argv[++i]);
        }
        break;
      }
    }
  }
  if (named && (!json || IsJsonFormat(*named))) return *named;
  if (json) return OutputFormat::kJson;
  return terminal ? OutputFormat::kTable : OutputFormat::kPlain;
}

// Reports `error` as every failed run does: through a formatter of
// `format` (JSON: an error object on stdout) and as one line on stderr.
int ReportError(const Error& error, OutputFormat format, bool pretty,
                OutputSink& out, OutputSink& err) {
  FormatterOptions options;
  options.format = format;
  options.pretty = pretty && format == OutputFormat::kJson;
  std::unique_ptr<Formatter> formatter = MakeFormatter(options, out, err);
  formatter->PrintError(error);
  out.Flush();
  err.Format("bpfmap: {}\n", OneLine(error.Describe()));
  return ExitCodeFor(error.kind());
}

// How whole maps are read: BPFMAP_READ=auto (the default: a BPF iterator
// where it can, else batch calls), iterator (that or an error) or batch
// (never the iterator).
Result<ReadPath> ReadPathFromEnvironment() {
  const char* value = std::getenv("BPFMAP_READ");
  if (value == nullptr || std::string_view(value).empty() ||
      std::string_view(value) == "auto") {
    return ReadPath::kAuto;
  }
  if (std::string_view(value) == "iterator") return ReadPath::kIterator;
  if (std::string_view(value) == "batch") return ReadPath::kBatch;
  return Error::BadInput(
      fmt::format("BPFMAP_READ: '{}' is not auto, iterator or batch", value));
}

// Whether dumps read ahead on a second thread: BPFMAP_THREADS=1 keeps
// everything on one (to compare, or to spare a core), 2 uses two; unset,
// two where bpfmap may run on two CPUs (its affinity, cpusets included).
Result<bool> ReadAheadFromEnvironment() {
  const char* value = std::getenv("BPFMAP_THREADS");
  std::string_view given = value != nullptr ? value : "";
  if (given == "1") return false;
  if (given == "2") return true;
  if (!given.empty()) {
    return Error::BadInput(
        fmt::format("BPFMAP_THREADS: '{}' is not 1 or 2", given));
  }
  cpu_set_t cpus;
  CPU_ZERO(&cpus);
  if (sched_getaffinity(0, sizeof(cpus), &cpus) != 0) return false;
  return CPU_COUNT(&cpus) >= 2;
}

int RunCommand(const CommandSpec& spec, const CommandInput& input,
               GlobalOptions& global, const Terminal& terminal,
               OutputFormat peeked, OutputSink& out, OutputSink& err) {
  Result<OutputFormat> format = ResolveFormat(global, terminal.is_terminal);
  Status typing = ResolveTypingOptions(global);
  Result<ReadPath> read_path = ReadPathFromEnvironment();
  Result<bool> read_ahead = ReadAheadFromEnvironment();
  if (!format.ok() || !typing.ok()) {
    return ReportError(!format.ok() ? format.error() : typing.error(), peeked,
                       global.pretty, out, err);
  }
  if (!read_path.ok() || !read_ahead.ok()) {
    return ReportError(
        !read_path.ok() ? read_path.error() : read_ahead.error(), *format,
        global.pretty, out, err);
  }
  if (global.debug) {
    SetDebugLogSink([&err](std::string_view line) {
      err.Format("bpfmap: debug: {}\n", line);
      err.Flush();
    });
  }
  global.typing.raw_view = *format == OutputFormat::kBpftool;
  if (*format == OutputFormat::kOpenMetrics) {
    if (spec.name == "events" || spec.name == "getnext" ||
        spec.name == "diff") {
      return ReportError(
          Error::BadInput(fmt::format(
              "-o openmetrics: {} has no metrics (dump, get, show and list "
              "have)",
              spec.name)),
          OutputFormat::kPlain, false, out, err);
    }
  }
  // watch and OpenMetrics show an entry's per-CPU values summed, unless
  // --cpus says otherwise (each: a cpu label, a value per CPU).
  if ((*format == OutputFormat::kOpenMetrics || spec.name == "watch") &&
      global.cpus.empty()) {
    global.typing.fold = CpuFold::kSum;
  }
  // watch in a pipe prints a line per entry per read, whatever JSON asked.
  if (spec.name == "watch" &&
      (*format == OutputFormat::kPlain || *format == OutputFormat::kJson)) {
    *format = OutputFormat::kNdjson;
  }
  FormatterOptions options;
  options.format = *format;
  options.pretty = global.pretty;
  options.terminal = terminal.is_terminal;
  options.width = terminal.width;
  std::unique_ptr<Formatter> formatter = MakeFormatter(options, out, err);
  CommandEnv env{*formatter, err, global.typing, *format, *read_path,
                 *read_ahead};
  Status status = spec.run(input, env);
  SetDebugLogSink(nullptr);
  if (!status.ok()) formatter->PrintError(status.error());
  out.Flush();
  if (status.ok()) return kExitOk;
  err.Format("bpfmap: {}\n", OneLine(status.error().Describe()));
  return ExitCodeFor(status.error().kind());
}

// A run whose output could not be written failed, whatever it did: a full
// disk is an error (exit 3); a reader that went away (EPIPE, where SIGPIPE
// is ignored) ends the run quietly, with the status a shell shows for
// SIGPIPE, as when the signal ends it.
int CheckOutput(int code, OutputSink& out, OutputSink& err) {
  out.Flush();
  if (out.error() == 0) return code;
  if (out.error() == EPIPE) return 128 + SIGPIPE;
  err.Format("bpfmap: write to standard output: {}\n",
             std::strerror(out.error()));
  return kExitSystem;
}

// The grammar and exit codes that end every help text, the commands' too.
constexpr const char* kGrammarAndExitCodes =
    "MAP   := PATH | pinned PATH | id ID | name NAME\n"
    "KEY, VALUE := BYTES | TYPED\n"
    "BYTES := BYTE... (31, 0x1f, 037) | hex HEXDIGITS... (hex 1f00)\n"
    "TYPED := a scalar (42, -2, 0x1f, MODE_ON, abc) or JSON\n"
    "         ('{\"ip\": 1, \"port\": 80}', '[1, 2]', '\"text\"'), for maps\n"
    "         with BTF or with --key-type/--value-type\n\n"
    "Exit codes: 0 success, 1 the answer is no (not found, empty, exists),\n"
    "2 bad input or usage, 3 the system refused, 4 this kernel or map\n"
    "type cannot do that.";

// Declares the global options, bound to `global`.
void AddGlobalOptions(CLI::App& app, GlobalOptions& global) {
  app.add_flag("-j,--json", global.json, "print JSON");
  app.add_flag("-p,--pretty", global.pretty, "print indented JSON (implies -j)");
  app.add_option("-o,--output", global.format,
                 fmt::format("output format: {}",
                             fmt::join(OutputFormatNames(), ", ")))
      ->type_name("FORMAT");
  app.add_flag("-d,--debug", global.debug,
               "log what bpfmap and libbpf do to stderr");
  app.add_flag("--hex", global.typing.hex,
               "print keys and values as raw bytes even where typed");
  app.add_option("--cpus", global.cpus,
                 fmt::format("per-CPU values: {} (default each: one per CPU)",
                             fmt::join(CpuFoldNames(), ", ")))
      ->type_name("FOLD");
  app.add_option("--fmt", global.formats,
                 fmt::format("show and read FIELD as KIND: {}; none: no "
                             "default formats (addresses, MACs)",
                             fmt::join(LeafFormatNames(), ", ")))
      ->type_name("FIELD=KIND[,...]");
  app.add_option("--key-type", global.typing.key_type,
                 "read and show keys as this C type (u32, 'struct {...}')")
      ->type_name("CTYPE");
  app.add_option("--value-type", global.typing.value_type,
                 "read and show values as this C type")
      ->type_name("CTYPE");
  app.add_option("--btf", global.typing.btf_file,
                 "BPF object or raw BTF file that defines named types")
      ->type_name("FILE");
  app.set_version_flag("-V,--version", kVersion);
  app.require_subcommand(1);
  // Options may follow the command: `bpfmap dump MAP -j`.
  app.fallthrough();
  app.footer(std::string(kGrammarAndExitCodes) +
             "\nRun 'bpfmap COMMAND --help' for a command's grammar and "
             "examples.");
}

// Declares every command (AllCommands(), in order), or only the command
// `only`, as a subcommand whose words and options land in `inputs`;
// returns the subcommands (null for those not declared). Declaring one
// keeps a run's start-up short: CLI11 takes a while over each option.
std::vector<CLI::App*> AddCommands(CLI::App& app,
                                   std::vector<CommandInput>& inputs,
                                   std::optional<size_t> only) {
  const std::vector<CommandSpec>& commands = AllCommands();
  std::vector<CLI::App*> subcommands(commands.size(), nullptr);
  for (size_t i = 0; i < commands.size(); ++i) {
    if (only && *only != i) continue;
    const CommandSpec& spec = commands[i];
    CLI::App* sub = app.add_subcommand(std::string(spec.name),
                                       std::string(spec.summary));
    for (std::string_view alias : spec.aliases) sub->alias(std::string(alias));
    sub->add_option("ARGS", inputs[i].words, "MAP and the words below")
        ->type_name("");
    for (CommandOption option : spec.options) {
      std::string name(CommandOptionName(option));
      std::string help(CommandOptionHelp(option));
      switch (option) {
        case CommandOption::kFile:
          sub->add_option(name, inputs[i].file, help)->type_name("FILE");
          break;
        case CommandOption::kAll:
          sub->add_flag(name, inputs[i].all, help);
          break;
        case CommandOption::kDrain:
          sub->add_flag(name, inputs[i].drain, help);
          break;
        case CommandOption::kRecursive:
          sub->add_flag(name, inputs[i].recursive, help);
          break;
        case CommandOption::kHist:
          // A flag: the scale and field after it are words of the command.
          sub->add_flag(name, inputs[i].hist, help);
          break;
        case CommandOption::kConsume:
          sub->add_flag(name, inputs[i].consume, help);
          break;
        case CommandOption::kTake:
          sub->add_flag(name, inputs[i].take, help);
          break;
        case CommandOption::kCount:
          sub->add_option(name, inputs[i].count, help)->type_name("N");
          break;
        case CommandOption::kTimeout:
          sub->add_option(name, inputs[i].timeout, help)
              ->type_name("SECONDS");
          break;
        case CommandOption::kLock:
          sub->add_flag(name, inputs[i].lock, help);
          break;
        case CommandOption::kWhere:
          sub->add_option(name, inputs[i].where, help)->type_name("EXPR");
          break;
        case CommandOption::kSort:
          sub->add_option(name, inputs[i].sort, help)->type_name("FIELD");
          break;
        case CommandOption::kAscending:
          sub->add_flag(name, inputs[i].ascending, help);
          break;
        case CommandOption::kLimit:
          sub->add_option(name, inputs[i].limit, help)->type_name("N");
          break;
        case CommandOption::kCountOnly:
          sub->add_flag(name, inputs[i].count_only, help);
          break;
        case CommandOption::kInterval:
          sub->add_option("-i," + name, inputs[i].interval, help)
              ->type_name("SECONDS");
          break;
        case CommandOption::kTop:
          sub->add_option(name, inputs[i].top, help)->type_name("N");
          break;
      }
    }
    sub->footer(kGrammarAndExitCodes);
    sub->footer([&spec] { return CommandFooter(spec); });  // built only for --help
    subcommands[i] = sub;
  }

  return subcommands;
}

}  // namespace

int ExitCodeFor(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kNo:
      return kExitNo;
    case ErrorKind::kBadInput:
      return kExitUsage;
    case ErrorKind::kSystem:
      return kExitSystem;
    case ErrorKind::kUnsupported:
      return kExitUnsupported;
  }
  return kExitSystem;
}

int Run(int argc, const char* const* argv, std::FILE* out_file,
        std::FILE* err_file) {
  OutputSink out(out_file);
  OutputSink err(err_file);
  // libbpf never prints by itself: its lines go to --debug.
  kernel::RouteLibbpfLog();
  const std::vector<CommandSpec>& commands = AllCommands();

  CLI::App app("bpfmap: inspect and change BPF maps", "bpfmap");
  GlobalOptions global;
  AddGlobalOptions(app, global);
  std::vector<CommandInput> inputs(commands.size());

  std::vector<OptionWord> options = GlobalOptionWords(app);
  if (argc >= 3 && std::string_view(argv[1]) == "__complete") {
    // bpfmap __complete INDEX WORD...: for the shell completions.
    std::optional<uint32_t> index = ParseUint32(argv[2]);
    if (!index) return kExitUsage;
    std::vector<std::string> words(argv + 3, argv + argc);
    for (const std::string& candidate : Complete(words, *index, options)) {
      out.Write(candidate);
      out.Put('\n');
    }
    return kExitOk;
  }
  OutputFormat peeked = PeekFormat(argc, argv, TerminalOf(out_file).is_terminal);
  bool pretty = false;
  for (int i = 1; i < argc; ++i) {
    std::string_view word = argv[i];
    if (word == "--") break;
    pretty |= word == "--pretty" ||
              (word.size() > 1 && word[0] == '-' && word[1] != '-' &&
               word.find('p') != std::string_view::npos &&
               word.find('o') == std::string_view::npos);
  }
  std::string word;
  size_t chosen = FindCommand(argc, argv, options, word);
  if (chosen == commands.size()) {
    std::vector<std::string_view> names;
    for (const CommandSpec& spec : commands) names.push_back(spec.name);
    return ReportError(
        Error::BadInput(fmt::format("unknown command '{}' (commands: {})",
                                    word, fmt::join(names, ", "))),
        peeked, pretty, out, err);
  }
  // The chosen command alone, unless help may list them all. (Words after
  // the command that happen to name another command, "get name dump", are
  // then arguments, not a second command.)
  bool help = false;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    help |= arg == "-h" || arg == "--help";
  }
  std::vector<CLI::App*> subcommands = AddCommands(
      app, inputs,
      chosen < commands.size() && !help ? std::optional<size_t>(chosen)
                                        : std::nullopt);
  for (size_t i = 0; i < subcommands.size(); ++i) {
    if (chosen < commands.size() && i != chosen && subcommands[i] != nullptr) {
      subcommands[i]->disabled();
    }
  }

  std::vector<std::string> shielded = ShieldWords(argc, argv);
  std::vector<const char*> shielded_argv;
  for (const std::string& word : shielded) shielded_argv.push_back(word.c_str());
  try {
    app.parse(argc, shielded_argv.data());
  } catch (const CLI::ParseError& e) {
    std::ostringstream help_out, help_err;
    int code = app.exit(e, help_out, help_err);
    if (code == 0) {  // --help, --version
      out.Write(help_out.str());
      return kExitOk;
    }
    std::string message = e.what();
    if (chosen >= commands.size()) {
      message = "a command is needed (see bpfmap --help)";
    }
    return ReportError(Error::BadInput(message), peeked, pretty, out, err);
  }

  UnshieldWords(inputs[chosen].words);
  if (!inputs[chosen].file.empty() && inputs[chosen].file[0] == kShield) {
    inputs[chosen].file.erase(inputs[chosen].file.begin());
  }
  try {
    return CheckOutput(RunCommand(commands[chosen], inputs[chosen], global,
                                  TerminalOf(out_file), peeked, out, err),
                       out, err);
  } catch (const std::exception& e) {
    // Nothing is meant to throw; if something does, say so in one line.
    return ReportError(
        Error::System(0, fmt::format("internal error: {}", e.what())),
        peeked, pretty, out, err);
  }
}

}  // namespace bpfmap::cli
