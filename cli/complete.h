// Shell completion, computed by bpfmap itself so the bash, zsh and fish
// scripts in completions/ stay thin and never drift from the CLI: the
// hidden command `bpfmap __complete INDEX WORD...` prints the candidates for
// WORD[INDEX], one per line.
#ifndef BPFMAP_CLI_COMPLETE_H_
#define BPFMAP_CLI_COMPLETE_H_

#include <string>
#include <vector>

namespace bpfmap::cli {

// A global option as the CLI defines it.
struct OptionWord {
  std::string name;  // "-o", "--output"
  bool takes_value = false;
};

// The candidates for words[index] (the words after "bpfmap"; index may be
// words.size() for a new, empty word): commands, options and their values,
// map types and flags, pinned paths, live map ids and names, and for typed
// maps a skeleton of the key or value in JSON. Directories end in '/'.
std::vector<std::string> Complete(const std::vector<std::string>& words,
                                  size_t index,
                                  const std::vector<OptionWord>& options);

}  // namespace bpfmap::cli

#endif  // BPFMAP_CLI_COMPLETE_H_
