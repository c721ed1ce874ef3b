#include "core/model/kernel_symbols.h"

#include <gtest/gtest.h>

#include <cstring>

namespace bpfmap {
namespace {

constexpr const char* kKallsyms =
    "0000000000000000 A fixed_percpu_data\n"
    "ffffffff81000000 T _stext\n"
    "ffffffff81001000 T do_syscall_64\n"
    "ffffffff81001200 t helper\n"
    "ffffffffc0001000 t xdp_main\t[bpf_mod]\n";

TEST(KernelSymbolsTest, DescribesAddressesAsSymbolPlusOffset) {
  KernelSymbols symbols = KernelSymbols::Parse(kKallsyms);
  EXPECT_EQ(symbols.Describe(0xffffffff81001000), "do_syscall_64");
  EXPECT_EQ(symbols.Describe(0xffffffff8100105b), "do_syscall_64+0x5b");
  EXPECT_EQ(symbols.Describe(0xffffffff81001210), "helper+0x10");
  EXPECT_EQ(symbols.Describe(0xffffffffc0001004), "xdp_main+0x4");
  EXPECT_EQ(symbols.Describe(0x1000), "");  // below every symbol
}

TEST(KernelSymbolsTest, NamesReadBackToTheirAddresses) {
  KernelSymbols symbols = KernelSymbols::Parse(
      std::string(kKallsyms) + "ffffffff81002000 t helper\n");
  EXPECT_EQ(symbols.AddressOf("do_syscall_64"), 0xffffffff81001000);
  EXPECT_EQ(symbols.AddressOf("do_syscall_64+0x5b"), 0xffffffff8100105b);
  EXPECT_EQ(symbols.AddressOf("xdp_main+0x4"), 0xffffffffc0001004);
  EXPECT_EQ(symbols.AddressOf("nothing"), std::nullopt);
  EXPECT_EQ(symbols.AddressOf("do_syscall_64+0xzz"), std::nullopt);
  // Two static functions of one name: neither.
  EXPECT_EQ(symbols.AddressOf("helper"), std::nullopt);
}

TEST(KernelSymbolsTest, HiddenAddressesGiveNoSymbols) {
  EXPECT_TRUE(KernelSymbols::Parse("0000000000000000 T _stext\n").empty());
}

TEST(KernelSymbolsTest, StackFramesEndAtTheFirstZero) {
  KernelSymbols symbols = KernelSymbols::Parse(kKallsyms);
  uint64_t stack[4] = {0xffffffff8100105b, 0xffffffff81000010, 0, 0x1234};
  uint8_t bytes[sizeof(stack)];
  std::memcpy(bytes, stack, sizeof(stack));
  std::vector<StackFrame> frames = StackFrames(bytes, sizeof(bytes), &symbols);
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[0].address, "0xffffffff8100105b");
  EXPECT_EQ(frames[0].symbol, "do_syscall_64+0x5b");
  EXPECT_EQ(frames[1].symbol, "_stext+0x10");
  EXPECT_EQ(StackFrames(bytes, sizeof(bytes), nullptr)[0].symbol, "");
}

}  // namespace
}  // namespace bpfmap
