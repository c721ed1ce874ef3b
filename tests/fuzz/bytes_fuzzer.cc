// The BYTES grammar: whatever it accepts, written back as hex, reads back
// to the same bytes; whatever it refuses is one line naming the token.
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "core/codec/byte_codec.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> tokens;
  std::istringstream in(text);
  for (std::string token; in >> token;) tokens.push_back(token);
  bpfmap::Result<bpfmap::Bytes> bytes = bpfmap::ParseByteTokens(tokens, "key");
  if (!bytes.ok()) {
    const std::string& message = bytes.error().message();
    FUZZ_CHECK(message.rfind("key", 0) == 0, "%s", message.c_str());
    return 0;
  }
  std::string hex;
  bpfmap::AppendHexBytes(bytes->data(), bytes->size(), hex);
  bpfmap::Result<bpfmap::Bytes> again =
      bpfmap::ParseByteTokens({"hex", hex}, "key");
  if (bytes->empty()) return 0;  // "hex" alone is refused
  FUZZ_CHECK(again.ok() && *again == *bytes, "hex %s", hex.c_str());
  return 0;
}
