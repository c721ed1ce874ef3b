// create PATH type TYPE key SIZE|CTYPE value SIZE|CTYPE entries N
// [name NAME] [flags FLAG[,FLAG]|NUMBER]: create a map and pin it at PATH,
// with BTF for its key and value when they are given as C types.
#ifndef BPFMAP_CLI_CREATE_COMMAND_H_
#define BPFMAP_CLI_CREATE_COMMAND_H_

#include "cli/command.h"
#include "core/kernel/map_create.h"

namespace bpfmap::cli {

// Reads the create grammar; keywords after PATH may come in any order, each
// once. Named C types come from `btf_file` (--btf) if given. kBadInput
// names the missing, repeated or malformed word.
Result<CreateRequest> ParseCreateWords(const std::vector<std::string>& words,
                                       const std::string& btf_file);

Status RunCreate(const CreateRequest& request, CommandEnv& env);

extern const CommandSpec kCreateCommand;

}  // namespace bpfmap::cli

#endif  // BPFMAP_CLI_CREATE_COMMAND_H_
