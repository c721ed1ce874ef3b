// Per-slot state as a rate limiter keeps it: a counter and a bpf_timer that
// refills the slot, in an array larger than one batch. The timer is a field
// only the kernel may read: a lookup hands it over zeroed, and bpfmap must
// never print what the kernel keeps there. Used by tests/bulk_kernel_test.cc.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

// (Not "struct slot": Debian 6.1's vmlinux.h has one, PCI hotplug's.)
struct token_slot {
  __u64 tokens;
  struct bpf_timer refill;
};

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 5000);
  __type(key, __u32);
  __type(value, struct token_slot);
  __uint(pinning, LIBBPF_PIN_BY_NAME);
} slots SEC(".maps");
