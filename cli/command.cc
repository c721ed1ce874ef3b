#include "cli/command.h"

#include "cli/create_command.h"
#include "cli/del_command.h"
#include "cli/dump_command.h"
#include "cli/freeze_command.h"
#include "cli/get_command.h"
#include "cli/getnext_command.h"
#include "cli/list_command.h"
#include "cli/pin_command.h"
#include "cli/put_command.h"
#include "cli/show_command.h"

namespace bpfmap::cli {

const std::vector<CommandSpec>& AllCommands() {
  static const std::vector<CommandSpec> kCommands = {
      kCreateCommand, kGetCommand,    kPutCommand,  kDelCommand,
      kDumpCommand,   kGetNextCommand, kPinCommand, kFreezeCommand,
      kShowCommand,   kListCommand,
  };
  return kCommands;
}

const std::vector<CommandOption>& AllCommandOptions() {
  static const std::vector<CommandOption> kOptions = {
      CommandOption::kFile, CommandOption::kAll, CommandOption::kDrain,
      CommandOption::kRecursive};
  return kOptions;
}

std::string_view CommandOptionName(CommandOption option) {
  switch (option) {
    case CommandOption::kFile:
      return "--file";
    case CommandOption::kAll:
      return "--all";
    case CommandOption::kDrain:
      return "--drain";
    case CommandOption::kRecursive:
      return "--recursive";
  }
  return "";
}

bool CommandOptionTakesValue(CommandOption option) {
  return option == CommandOption::kFile;
}

std::string_view CommandOptionHelp(CommandOption option) {
  switch (option) {
    case CommandOption::kFile:
      return "entries as dump -o ndjson or -j prints them; - reads stdin";
    case CommandOption::kAll:
      return "every entry";
    case CommandOption::kDrain:
      return "delete what is read, batch by batch";
    case CommandOption::kRecursive:
      return "a map of maps: each inner map's entries under its entry";
  }
  return "";
}

}  // namespace bpfmap::cli
