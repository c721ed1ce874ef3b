// Flow accounting maps as an XDP load balancer or a flow exporter keeps
// them: a 5-tuple in network byte order (as the packet carries it), per-flow
// counters with a state enum and the command that opened the flow, per-CPU
// interface counters, and an LRU table that evicts its coldest flows. Used
// by tests/inspection_kernel_test.cc (--where, --sort, --count, diff, fill
// level, OpenMetrics, watch).
#include "vmlinux.h"
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

enum flow_state {
  FLOW_NEW = 0,
  FLOW_ESTABLISHED = 1,
  FLOW_CLOSING = 2,
  FLOW_CLOSED = 3,
};

struct flow_key {
  __be32 saddr;
  __be32 daddr;
  __be16 sport;
  __be16 dport;
  __u8 proto;
  __u8 pad[3];
};

// (struct flow_stats is the kernel's: vmlinux.h has it.)
struct flow_totals {
  __u64 packets;
  __u64 bytes;
  enum flow_state state;
  char comm[16];
};

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 65536);
  __type(key, struct flow_key);
  __type(value, struct flow_totals);
  __uint(pinning, LIBBPF_PIN_BY_NAME);
} flows SEC(".maps");

// The flows of the previous export interval, swapped in by the exporter.
struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 65536);
  __type(key, struct flow_key);
  __type(value, struct flow_totals);
  __uint(pinning, LIBBPF_PIN_BY_NAME);
} flows_prev SEC(".maps");

struct if_counters {
  __u64 rx_packets;
  __u64 rx_bytes;
  __u64 drops;
};

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_HASH);
  __uint(max_entries, 256);
  __type(key, __u32);  // ifindex
  __type(value, struct if_counters);
  __uint(pinning, LIBBPF_PIN_BY_NAME);
} if_stats SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_LRU_HASH);
  __uint(max_entries, 128);
  __type(key, struct flow_key);
  __type(value, __u64);
  __uint(pinning, LIBBPF_PIN_BY_NAME);
} recent SEC(".maps");

// Counts a packet of the flow in the frame, as the real thing does.
SEC("xdp")
int count_flow(struct xdp_md *ctx) {
  void *data = (void *)(long)ctx->data;
  void *end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = data;
  if ((void *)(eth + 1) > end) return XDP_ABORTED;
  if (eth->h_proto != bpf_htons(0x0800)) return XDP_PASS;
  struct iphdr *ip = (void *)(eth + 1);
  if ((void *)(ip + 1) > end || ip->ihl != 5) return XDP_ABORTED;
  struct udphdr *l4 = (void *)(ip + 1);
  if ((void *)(l4 + 1) > end) return XDP_ABORTED;
  struct flow_key key = {};
  key.saddr = ip->saddr;
  key.daddr = ip->daddr;
  key.sport = l4->source;
  key.dport = l4->dest;
  key.proto = ip->protocol;
  struct flow_totals *stats = bpf_map_lookup_elem(&flows, &key);
  if (!stats) return XDP_PASS;
  __sync_fetch_and_add(&stats->packets, 1);
  __sync_fetch_and_add(&stats->bytes, end - data);
  return XDP_PASS;
}
