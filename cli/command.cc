#include "cli/command.h"

#include "cli/create_command.h"
#include "cli/del_command.h"
#include "cli/dump_command.h"
#include "cli/get_command.h"
#include "cli/list_command.h"
#include "cli/put_command.h"
#include "cli/show_command.h"

namespace bpfmap::cli {

const std::vector<CommandSpec>& AllCommands() {
  static const std::vector<CommandSpec> kCommands = {
      kCreateCommand, kGetCommand,  kPutCommand,  kDelCommand,
      kDumpCommand,   kShowCommand, kListCommand,
  };
  return kCommands;
}

}  // namespace bpfmap::cli
