// What each command completes after its name: the hooks CommandSpec points
// to, and the pieces completion is made of. The driver (complete.h) handles
// options, their values and command names, then calls the command's hook.
#ifndef BPFMAP_CLI_COMPLETION_HOOKS_H_
#define BPFMAP_CLI_COMPLETION_HOOKS_H_

#include <string>
#include <string_view>
#include <vector>

namespace bpfmap::cli {

// The words of a command being completed: those after its name (options
// removed), and the word being completed.
struct CompletionContext {
  const std::vector<std::string>& args;
  const std::string& cur;
};

// list: directories.
void CompleteDirectories(const CompletionContext& ctx,
                         std::vector<std::string>& out);
// show, dump, freeze: MAP (paths, id and name with live ids and names).
void CompleteMapOnly(const CompletionContext& ctx,
                     std::vector<std::string>& out);
// pin: MAP, then a path (directories).
void CompletePin(const CompletionContext& ctx, std::vector<std::string>& out);
// get, del: MAP, then the key or value the map's type takes, not yet
// given; after `key` or `value`, a typed skeleton.
void CompleteGetOrDel(const CompletionContext& ctx,
                      std::vector<std::string>& out);
// put: as get, plus `values` and any|exist|noexist where they apply.
void CompletePut(const CompletionContext& ctx, std::vector<std::string>& out);
// create: PATH, keywords not yet given, map types, flags not yet given, C
// types.
void CompleteCreate(const CompletionContext& ctx,
                    std::vector<std::string>& out);

// diff: two sides, each a MAP (as show completes it) or a snapshot file.
void CompleteDiff(const CompletionContext& ctx, std::vector<std::string>& out);

// --fmt's value: after FIELD=, the formats; else none and the paths of
// the fields of the map `args` names (if they name one), each with '='.
// Several FIELD=KIND are joined by commas: each is completed after the
// last comma.
void CompleteFormats(const std::vector<std::string>& args,
                     const std::string& cur, std::vector<std::string>& out);

// --where's and --sort's value: the paths of the fields of the map `args`
// names, and their names alone where no other field has them. In an
// `expression` (--where), the word after the last space, parenthesis or
// operator is completed, the text before it kept.
// With `rates` (watch --sort), rate(FIELD) for each numeric value field
// too.
void CompleteFields(const std::vector<std::string>& args,
                    const std::string& cur, std::vector<std::string>& out,
                    bool expression, bool rates = false);

// Whether `text` starts with `prefix`.
bool StartsWith(std::string_view text, std::string_view prefix);
// Adds `candidate` to `out` if it starts with `cur`.
void AddMatching(std::vector<std::string>& out, std::string_view candidate,
                 std::string_view cur);
// Files and directories starting with `cur`; directories end in '/'.
void AddFiles(std::vector<std::string>& out, const std::string& cur,
              bool directories_only);
// The C types offered for --key-type, --value-type and create.
std::vector<std::string> ScalarTypeNames();

}  // namespace bpfmap::cli

#endif  // BPFMAP_CLI_COMPLETION_HOOKS_H_
