// The argument grammar as a whole, without touching the kernel: the words
// of every command through their parsers. Anything refused is one line of
// bad input; nothing crashes.
#include <cstdint>
#include <string>
#include <vector>

#include "cli/create_command.h"
#include "cli/dump_command.h"
#include "cli/element_args.h"
#include "core/model/map_ref.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using namespace bpfmap;

void CheckRefusal(const Status& status) {
  if (status.ok()) return;
  const std::string& message = status.error().message();
  FUZZ_CHECK(status.error().kind() == ErrorKind::kBadInput, "%s",
             message.c_str());
  FUZZ_CHECK(!message.empty() && message.find('\n') == std::string::npos,
             "not one line: %s", message.c_str());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // Words are separated by NUL or newline, as argv would hold them.
  std::vector<std::string> words;
  std::string word;
  for (size_t i = 0; i < size; ++i) {
    char c = static_cast<char>(data[i]);
    if (c == '\0' || c == '\n') {
      words.push_back(word);
      word.clear();
    } else {
      word += c;
    }
  }
  if (!word.empty()) words.push_back(word);
  CheckRefusal(cli::ParseCreateWords(words, "").status());
  CheckRefusal(cli::ParseMapElementWords(words, true).status());
  CheckRefusal(cli::ParseMapElementWords(words, false).status());
  cli::CommandInput input;
  input.words = words;
  CheckRefusal(cli::ParseDumpWords(input).status());
  size_t pos = 0;
  CheckRefusal(ParseMapRef(words, pos).status());
  return 0;
}
