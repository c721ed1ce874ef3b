#include "cli/command.h"

#include "cli/create_command.h"
#include "cli/del_command.h"
#include "cli/diff_command.h"
#include "cli/dump_command.h"
#include "cli/events_command.h"
#include "cli/freeze_command.h"
#include "cli/get_command.h"
#include "cli/getnext_command.h"
#include "cli/list_command.h"
#include "cli/pin_command.h"
#include "cli/put_command.h"
#include "cli/show_command.h"
#include "cli/watch_command.h"

namespace bpfmap::cli {

const std::vector<CommandSpec>& AllCommands() {
  static const std::vector<CommandSpec> kCommands = {
      kCreateCommand, kGetCommand,    kPutCommand,  kDelCommand,
      kDumpCommand,   kDiffCommand,   kEventsCommand, kGetNextCommand,
      kPinCommand,
      kFreezeCommand, kShowCommand,   kListCommand,   kWatchCommand,
  };
  return kCommands;
}

const std::vector<CommandOption>& AllCommandOptions() {
  static const std::vector<CommandOption> kOptions = {
      CommandOption::kFile,    CommandOption::kAll,   CommandOption::kDrain,
      CommandOption::kRecursive, CommandOption::kHist, CommandOption::kConsume,
      CommandOption::kTake,
      CommandOption::kCount,   CommandOption::kTimeout, CommandOption::kLock,
      CommandOption::kWhere,   CommandOption::kSort,  CommandOption::kAscending,
      CommandOption::kLimit,   CommandOption::kCountOnly,
      CommandOption::kInterval, CommandOption::kTop};
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
    case CommandOption::kHist:
      return "--hist";
    case CommandOption::kConsume:
      return "--consume";
    case CommandOption::kTake:
      return "--take";
    case CommandOption::kCount:
      return "--count";
    case CommandOption::kTimeout:
      return "--timeout";
    case CommandOption::kLock:
      return "--lock";
    case CommandOption::kWhere:
      return "--where";
    case CommandOption::kSort:
      return "--sort";
    case CommandOption::kAscending:
      return "--asc";
    case CommandOption::kLimit:
      return "--limit";
    case CommandOption::kCountOnly:
      return "--count";
    case CommandOption::kInterval:
      return "--interval";
    case CommandOption::kTop:
      return "--top";
  }
  return "";
}

bool CommandOptionTakesValue(CommandOption option) {
  return option == CommandOption::kFile || option == CommandOption::kCount ||
         option == CommandOption::kTimeout || option == CommandOption::kWhere ||
         option == CommandOption::kSort || option == CommandOption::kLimit ||
         option == CommandOption::kInterval || option == CommandOption::kTop;
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
    case CommandOption::kHist:
      return "print the counters as histograms: MAP --hist "
             "[log2|linear[:STEP]] [FIELD]";
    case CommandOption::kConsume:
      return "ring buffer: take each record printed from the buffer";
    case CommandOption::kTake:
      return "perf event array: replace the owner's readers while running";
    case CommandOption::kCount:
      return "stop after N records (events) or reads (watch)";
    case CommandOption::kTimeout:
      return "stop after SECONDS (0: what is there now)";
    case CommandOption::kLock:
      return "copy a value holding a bpf_spin_lock under its lock";
    case CommandOption::kWhere:
      return "only entries matching EXPR (key.dport == 443 and "
             "value.packets > 100; bpfmap-dump(8))";
    case CommandOption::kSort:
      return "order by FIELD, greatest first";
    case CommandOption::kAscending:
      return "with --sort: smallest first";
    case CommandOption::kLimit:
      return "at most N entries";
    case CommandOption::kCountOnly:
      return "print only how many entries there are (that match)";
    case CommandOption::kInterval:
      return "read every SECONDS (default 1)";
    case CommandOption::kTop:
      return "show the first N rows (default: what fits the terminal)";
  }
  return "";
}

}  // namespace bpfmap::cli
