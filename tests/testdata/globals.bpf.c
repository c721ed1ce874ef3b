// Global variables as BPF programs keep them (libbpf puts each section in a
// one-entry array map typed by a BTF DATASEC): counters in .bss, tunables
// with initial values in .data, read-only configuration in .rodata, and a
// named section of its own.
#include <linux/bpf.h>
#include <linux/types.h>
#include <bpf/bpf_helpers.h>

struct limits {
  __u32 max_conns;
  __u16 port;
  char label[8];
};

__u64 packets = 0;
__u32 drops = 0;

__u32 sample_rate = 100;
struct limits limits = {.max_conns = 64, .port = 8080, .label = "edge"};

const volatile __u32 debug_level = 2;

__u64 hist[4] SEC(".data.hist") = {1, 2, 3, 4};

SEC("xdp")
int count(struct xdp_md *ctx) {
  packets++;
  if (packets % sample_rate == 0) drops += hist[packets & 3] + debug_level +
                                           limits.max_conns;
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
