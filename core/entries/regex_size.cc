#include "core/entries/regex_size.h"

#include <algorithm>
#include <cctype>

namespace bpfmap {
namespace {

constexpr uint64_t kSaturated = uint64_t{1} << 32;

uint64_t Add(uint64_t a, uint64_t b) { return std::min(a + b, kSaturated); }
uint64_t Multiply(uint64_t a, uint64_t b) {
  if (a == 0 || b == 0) return 0;
  return a > kSaturated / b ? kSaturated : std::min(a * b, kSaturated);
}

// A recursive descent over POSIX extended syntax that only counts.
class Counter {
 public:
  explicit Counter(std::string_view text) : text_(text) {}

  // alternation := branch ('|' branch)*: every branch is written out.
  uint64_t Alternation(int depth) {
    uint64_t total = 0;
    while (true) {
      total = Add(total, Branch(depth));
      if (at_ < text_.size() && text_[at_] == '|') {
        ++at_;
        continue;
      }
      return total;
    }
  }

 private:
  uint64_t Branch(int depth) {
    uint64_t total = 0;
    // A ')' closes a group; with no group open it is an ordinary atom.
    while (at_ < text_.size() && text_[at_] != '|' &&
           (text_[at_] != ')' || depth == 0)) {
      uint64_t atom = Atom(depth);
      total = Add(total, Multiply(atom, Repeats()));
    }
    return total;
  }

  uint64_t Atom(int depth) {
    char c = text_[at_++];
    if (c == '(') {
      // Nesting deeper than any pattern needs is counted as saturated
      // rather than recursed into.
      if (depth > 256) return kSaturated;
      uint64_t inner = Alternation(depth + 1);
      if (at_ < text_.size() && text_[at_] == ')') ++at_;
      return std::max<uint64_t>(inner, 1);
    }
    if (c == '\\') {
      if (at_ < text_.size()) ++at_;
    } else if (c == '[') {
      SkipBracket();
    }
    return 1;
  }

  // After '[': up to the ']' that closes it ("[]a]" and "[^]a]" hold a
  // ']'; "[[:alpha:]]" holds a class).
  void SkipBracket() {
    if (at_ < text_.size() && text_[at_] == '^') ++at_;
    if (at_ < text_.size() && text_[at_] == ']') ++at_;
    while (at_ < text_.size() && text_[at_] != ']') {
      if (text_[at_] == '[' && at_ + 1 < text_.size() &&
          (text_[at_ + 1] == ':' || text_[at_ + 1] == '.' ||
           text_[at_ + 1] == '=')) {
        char kind = text_[at_ + 1];
        const char close[] = {kind, ']'};
        size_t end = text_.find(std::string_view(close, 2), at_ + 2);
        at_ = end == std::string_view::npos ? text_.size() : end + 2;
        continue;
      }
      ++at_;
    }
    if (at_ < text_.size()) ++at_;
  }

  // The copies the quantifiers after an atom make of it: `*` and `?` one
  // (a loop, a choice), `+` two (glibc writes `a+` as `aa*`), `{m}` m,
  // `{m,}` m + 1, `{m,n}` and `{,n}` the larger of m and n; they compound
  // (`a{2}{3}` is 6, `a++++` 16).
  uint64_t Repeats() {
    uint64_t copies = 1;
    while (at_ < text_.size()) {
      char c = text_[at_];
      if (c == '*' || c == '?') {
        ++at_;
      } else if (c == '+') {
        ++at_;
        copies = Multiply(copies, 2);
      } else if (c == '{' && at_ + 1 < text_.size() &&
                 (std::isdigit(static_cast<unsigned char>(text_[at_ + 1])) ||
                  text_[at_ + 1] == ',')) {
        // `{,n}` is glibc's `{0,n}`.
        ++at_;
        uint64_t low = Number();
        uint64_t high = low;
        if (at_ < text_.size() && text_[at_] == ',') {
          ++at_;
          high = at_ < text_.size() &&
                         std::isdigit(static_cast<unsigned char>(text_[at_]))
                     ? Number()
                     : Add(low, 1);
        }
        if (at_ < text_.size() && text_[at_] == '}') ++at_;
        copies = Multiply(copies, std::max<uint64_t>(std::max(low, high), 1));
      } else {
        break;
      }
    }
    return copies;
  }

  uint64_t Number() {
    uint64_t n = 0;
    while (at_ < text_.size() &&
           std::isdigit(static_cast<unsigned char>(text_[at_]))) {
      n = Add(Multiply(n, 10), static_cast<uint64_t>(text_[at_] - '0'));
      ++at_;
    }
    return n;
  }

  std::string_view text_;
  size_t at_ = 0;
};

}  // namespace

uint64_t RegexPositions(std::string_view pattern) {
  return Counter(pattern).Alternation(0);
}

}  // namespace bpfmap
