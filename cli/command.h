// The command table: what every command file provides to Run().
#ifndef BPFMAP_CLI_COMMAND_H_
#define BPFMAP_CLI_COMMAND_H_

#include <fmt/format.h>

#include <string>
#include <string_view>
#include <vector>

#include "cli/completion_hooks.h"
#include "core/base/error.h"
#include "core/entries/map_typing.h"
#include "core/kernel/map_read.h"
#include "formatters/formatter.h"
#include "formatters/output_sink.h"

namespace bpfmap::cli {

// What a command gets besides its own arguments.
struct CommandEnv {
  Formatter& out;               // the run's one output format: data, notes
  OutputSink& err;              // warnings, in every format
  const TypingOptions& typing;  // --key-type, --value-type, --hex, --cpus
  // Which format `out` is, for the commands some formats cannot print.
  OutputFormat format = OutputFormat::kPlain;
  // How whole maps are read (BPFMAP_READ): the fastest way by default.
  ReadPath read_path = ReadPath::kAuto;
  // Whether a second thread reads a dump's next batches while this one
  // prints (BPFMAP_THREADS; on a machine of one CPU, never).
  bool read_ahead = false;
};

// Writes "bpfmap: `text`" to stderr now, in every format: what a bulk
// command did.
inline void Inform(CommandEnv& env, std::string_view text) {
  env.err.Format("bpfmap: {}\n", OneLine(text));
  env.err.Flush();
}

// Writes "bpfmap: warning: `text`" to stderr now.
inline void Warn(CommandEnv& env, std::string_view text) {
  env.err.Format("bpfmap: warning: {}\n", OneLine(text));
  env.err.Flush();
}

// What CLI11 gathered for a command: the words after its name, options
// removed, and the command's own options.
struct CommandInput {
  std::vector<std::string> words;
  std::string file;    // --file FILE (put, del); "-" is stdin
  bool all = false;    // --all (del)
  bool drain = false;  // --drain (dump)
  bool recursive = false;  // --recursive (dump)
  bool hist = false;       // --hist (dump): its words stay in `words`
  bool consume = false;    // --consume (events)
  bool take = false;       // --take (events)
  std::string count;       // --count N (events); empty: not given
  std::string timeout;     // --timeout SECONDS (events); empty: not given
  bool lock = false;       // --lock (get)
  std::string where;       // --where EXPR (dump, events); empty: not given
  std::string sort;        // --sort FIELD (dump); empty: not given
  bool ascending = false;  // --asc (dump)
  std::string limit;       // --limit N (dump); empty: not given
  bool count_only = false;  // --count (dump, show, list): a flag there
  std::string interval;    // -i, --interval SECONDS (watch)
  std::string top;         // --top N (watch)
};

// The options a command may take besides the global ones.
enum class CommandOption {
  kFile,
  kAll,
  kDrain,
  kRecursive,
  kHist,
  kConsume,
  kTake,
  kCount,
  kTimeout,
  kLock,
  kWhere,
  kSort,
  kAscending,
  kLimit,
  kCountOnly,  // --count as a flag (dump, show, list); kCount takes N
  kInterval,
  kTop,
};

// Every command option, its name ("--file"), whether it takes a value, and
// its help line. Two options share the name --count (kCount takes N, for
// commands that stop after N; kCountOnly is a flag): a command has one.
const std::vector<CommandOption>& AllCommandOptions();
std::string_view CommandOptionName(CommandOption option);
bool CommandOptionTakesValue(CommandOption option);
std::string_view CommandOptionHelp(CommandOption option);

struct CommandSpec {
  std::string_view name;
  std::vector<std::string_view> aliases;
  std::string_view summary;  // one line for `bpfmap --help`
  std::string_view usage;    // the grammar, for `bpfmap COMMAND --help`
  std::string_view examples;
  // Parses the input and runs the command.
  Status (*run)(const CommandInput& input, CommandEnv& env);
  // The candidates for the word being completed after the command's name.
  void (*complete)(const CompletionContext& ctx,
                   std::vector<std::string>& out);
  std::vector<CommandOption> options = {};
};

// Every command, in the order help lists them.
const std::vector<CommandSpec>& AllCommands();

}  // namespace bpfmap::cli

#endif  // BPFMAP_CLI_COMMAND_H_
