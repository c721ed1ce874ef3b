#include "cli/complete.h"


#include <algorithm>
#include <optional>
#include <string_view>

#include "cli/command.h"
#include "cli/completion_hooks.h"
#include "core/entries/cpu_fold.h"
#include "formatters/output_format.h"

namespace bpfmap::cli {
namespace {

const CommandSpec* FindSpec(std::string_view word) {
  for (const CommandSpec& spec : AllCommands()) {
    if (spec.name == word) return &spec;
    for (std::string_view alias : spec.aliases) {
      if (alias == word) return &spec;
    }
  }
  return nullptr;
}

}  // namespace

std::vector<std::string> Complete(const std::vector<std::string>& words,
                                  size_t index,
                                  const std::vector<OptionWord>& options) {
  std::vector<std::string> out;
  std::string cur = index < words.size() ? words[index] : "";
  std::vector<OptionWord> known = options;
  for (CommandOption option : AllCommandOptions()) {
    known.push_back({std::string(CommandOptionName(option)),
                     CommandOptionTakesValue(option)});
  }
  // Walk the words before the one being completed.
  const CommandSpec* spec = nullptr;
  OptionWord own;  // the command's own option of that name, if it has one
  auto option_named = [&](std::string_view word) -> const OptionWord* {
    if (spec != nullptr) {
      for (CommandOption option : spec->options) {
        if (CommandOptionName(option) == word ||
            (option == CommandOption::kInterval && word == "-i")) {
          own = {std::string(word), CommandOptionTakesValue(option)};
          return &own;
        }
      }
    }
    for (const OptionWord& option : known) {
      if (option.name == word) return &option;
    }
    return nullptr;
  };
  std::vector<std::string> args;
  const OptionWord* pending = nullptr;  // an option whose value is next
  for (size_t i = 0; i < index && i < words.size(); ++i) {
    const std::string& word = words[i];
    if (pending != nullptr) {
      pending = nullptr;
      continue;
    }
    if (word.size() > 1 && word[0] == '-' && word.find('=') == std::string::npos) {
      const OptionWord* option = option_named(word);
      if (option != nullptr && option->takes_value) pending = option;
      if (option != nullptr) continue;
      // An unknown dash word after the command may be a negative number.
      if (spec == nullptr) continue;
    }
    if (spec == nullptr) {
      spec = FindSpec(word);
      continue;
    }
    args.push_back(word);
  }
  if (pending != nullptr) {
    const std::string& name = pending->name;
    if (name == "-o" || name == "--output") {
      for (std::string_view format : OutputFormatNames()) {
        AddMatching(out, format, cur);
      }
    } else if (name == "--cpus") {
      for (std::string_view fold : CpuFoldNames()) AddMatching(out, fold, cur);
    } else if (name == "--fmt") {
      CompleteFormats(args, cur, out);
    } else if (name == "--where" || name == "--sort") {
      CompleteFields(args, cur, out, /*expression=*/name == "--where",
                     /*rates=*/spec != nullptr && spec->name == "watch" &&
                         name == "--sort");
    } else if (name == "--limit" || name == "--count" || name == "--top" ||
               name == "--interval" || name == "-i") {
      // a number: nothing to offer
    } else if (name == "--key-type" || name == "--value-type") {
      for (const std::string& type : ScalarTypeNames()) {
        AddMatching(out, type, cur);
      }
    } else {
      AddFiles(out, cur, /*directories_only=*/false);  // --btf, --file
    }
    return out;
  }
  if (!cur.empty() && cur[0] == '-') {
    for (const OptionWord& option : options) {
      if (option.name.size() > 2) AddMatching(out, option.name, cur);
    }
    if (spec != nullptr) {
      for (CommandOption option : spec->options) {
        AddMatching(out, CommandOptionName(option), cur);
      }
    }
    return out;
  }
  if (spec == nullptr) {
    for (const CommandSpec& command : AllCommands()) {
      AddMatching(out, command.name, cur);
      for (std::string_view alias : command.aliases) {
        AddMatching(out, alias, cur);
      }
    }
    return out;
  }
  spec->complete(CompletionContext{args, cur}, out);
  return out;
}

}  // namespace bpfmap::cli
