#include "core/kernel/kallsyms.h"

#include <cerrno>
#include <fstream>
#include <sstream>

namespace bpfmap {

Result<std::shared_ptr<const KernelSymbols>> ReadKernelSymbols() {
  std::ifstream in("/proc/kallsyms");
  if (!in) return Error::System(errno, "read /proc/kallsyms");
  std::stringstream text;
  text << in.rdbuf();
  return std::make_shared<const KernelSymbols>(
      KernelSymbols::Parse(text.str()));
}

}  // namespace bpfmap
