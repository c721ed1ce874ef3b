// The command table: what every command file provides to Run().
#ifndef BPFMAP_CLI_COMMAND_H_
#define BPFMAP_CLI_COMMAND_H_

#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "cli/typing.h"
#include "formatters/formatter.h"
#include "formatters/output_sink.h"

namespace bpfmap::cli {

// What a command gets besides its own arguments.
struct CommandEnv {
  Formatter& out;               // the run's one output format: data, notes
  OutputSink& err;              // warnings, in every format
  const TypingOptions& typing;  // --key-type, --value-type, --hex, --cpus
};

// Writes "bpfmap: warning: `text`" to stderr now.
inline void Warn(CommandEnv& env, std::string_view text) {
  env.err.Format("bpfmap: warning: {}\n", text);
  env.err.Flush();
}

// What CLI11 gathered for a command: the words after its name, options
// removed.
struct CommandInput {
  std::vector<std::string> words;
};

struct CommandSpec {
  std::string_view name;
  std::vector<std::string_view> aliases;
  std::string_view summary;  // one line for `bpfmap --help`
  std::string_view usage;    // the grammar, for `bpfmap COMMAND --help`
  std::string_view examples;
  // Parses the input and runs the command.
  Status (*run)(const CommandInput& input, CommandEnv& env);
};

// Every command, in the order help lists them.
const std::vector<CommandSpec>& AllCommands();

}  // namespace bpfmap::cli

#endif  // BPFMAP_CLI_COMMAND_H_
