// Maps whose values refer to other kernel objects, declared as real BPF
// programs declare them (libbpf's BTF map definitions): a load balancer's
// map of backend maps, a tail-call table of two XDP programs, an XDP
// redirect devmap and cpumap. libbpf loads the programs and fills the
// outer maps from their initializers; the maps are pinned by name.
#include <linux/bpf.h>
#include <linux/types.h>
#include <bpf/bpf_helpers.h>

struct backend {
  __u32 addr;
  __u16 port;
  __u16 weight;
};

struct backend_map {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 16);
  __type(key, __u32);
  __type(value, struct backend);
} backends_a SEC(".maps"), backends_b SEC(".maps");

// Service index -> its backends.
struct {
  __uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
  __uint(max_entries, 4);
  __type(key, __u32);
  __uint(pinning, LIBBPF_PIN_BY_NAME);
  __array(values, struct backend_map);
} services SEC(".maps") = {
    .values = {[1] = &backends_a, [3] = &backends_b},
};

// Same shape, keyed by a hash (filled by the tests).
struct {
  __uint(type, BPF_MAP_TYPE_HASH_OF_MAPS);
  __uint(max_entries, 8);
  __type(key, __u32);
  __uint(pinning, LIBBPF_PIN_BY_NAME);
  __array(values, struct backend_map);
} services_by_vip SEC(".maps");

SEC("xdp")
int stage_pass(struct xdp_md *ctx) { return XDP_PASS; }

SEC("xdp")
int stage_drop(struct xdp_md *ctx) { return XDP_DROP; }

// A program of another type, which the XDP tail-call table refuses.
SEC("socket")
int not_xdp(struct __sk_buff *skb) { return 0; }

struct {
  __uint(type, BPF_MAP_TYPE_PROG_ARRAY);
  __uint(max_entries, 4);
  __type(key, __u32);
  __uint(pinning, LIBBPF_PIN_BY_NAME);
  __array(values, int(void *));
} stages SEC(".maps") = {
    .values = {[0] = (void *)&stage_pass, [2] = (void *)&stage_drop},
};

// The program that tail-calls through `stages`: it keeps the array alive
// after its pin is gone.
SEC("xdp")
int dispatch(struct xdp_md *ctx) {
  bpf_tail_call(ctx, &stages, 0);
  return XDP_PASS;
}

struct {
  __uint(type, BPF_MAP_TYPE_DEVMAP);
  __uint(max_entries, 4);
  __type(key, __u32);
  __type(value, struct bpf_devmap_val);
  __uint(pinning, LIBBPF_PIN_BY_NAME);
} tx_ports SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_CPUMAP);
  __uint(max_entries, 2);
  __type(key, __u32);
  __type(value, struct bpf_cpumap_val);
  __uint(pinning, LIBBPF_PIN_BY_NAME);
} cpus SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_SOCKMAP);
  __uint(max_entries, 2);
  __type(key, __u32);
  __type(value, __u64);
  __uint(pinning, LIBBPF_PIN_BY_NAME);
} socks SEC(".maps");

char LICENSE[] SEC("license") = "GPL";
