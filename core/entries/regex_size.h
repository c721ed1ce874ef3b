#ifndef BPFMAP_CORE_ENTRIES_REGEX_SIZE_H_
#define BPFMAP_CORE_ENTRIES_REGEX_SIZE_H_

#include <cstdint>
#include <string_view>

namespace bpfmap {

// How many positions an extended regular expression grows to once its
// bounded repeats are written out, as glibc's regcomp does: `a{1,1000}` is
// 1,000 copies of `a`, `(ab){3}{4}` 24 positions. regcomp's time and memory
// grow with the square of this for optional copies (`a{1,32767}` takes
// 8 GiB), so a pattern someone typed is checked against a budget before it
// is compiled. An estimate from above; malformed patterns are estimated as
// far as they parse (regcomp then refuses them). Saturates at 2^32.
uint64_t RegexPositions(std::string_view pattern);

}  // namespace bpfmap

#endif  // BPFMAP_CORE_ENTRIES_REGEX_SIZE_H_
