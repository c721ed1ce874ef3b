// A connection tracker as XDP load balancers and firewalls write one:
// vmlinux.h, IPv4 tuples in network byte order straight from the headers
// (__be32 addresses, __be16 ports), IPv6 tuples in struct in6_addr, the MAC
// a flow came from; beside it, flows keyed as bcc's tcpconnect keys them
// (unsigned __int128 addresses), and a block-latency histogram per
// (cmd_flags, dev) as biolatency keeps it. The XDP program looks each
// packet's tuple up: XDP_PASS (and a count, and the source MAC) for a known
// flow, XDP_DROP for any other.
#include "vmlinux.h"
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

#define ETH_P_IP 0x0800
#define ETH_P_IPV6 0x86DD
#define MAX_SLOTS 27

struct lb_ct4_key {
  __be32 saddr;
  __be32 daddr;
  __be16 sport;
  __be16 dport;
  __u8 proto;
};

struct lb_ct6_key {
  struct in6_addr saddr;
  struct in6_addr daddr;
  __be16 sport;
  __be16 dport;
  __u8 proto;
};

struct lb_ct_entry {
  __u64 packets;
  __u64 bytes;
  __u64 last_seen;
  unsigned char h_source[6];
  char comm[16];
};

struct {
  __uint(type, BPF_MAP_TYPE_LRU_HASH);
  __uint(max_entries, 1024);
  __type(key, struct lb_ct4_key);
  __type(value, struct lb_ct_entry);
  __uint(pinning, LIBBPF_PIN_BY_NAME);
} ct4 SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_LRU_HASH);
  __uint(max_entries, 1024);
  __type(key, struct lb_ct6_key);
  __type(value, struct lb_ct_entry);
  __uint(pinning, LIBBPF_PIN_BY_NAME);
} ct6 SEC(".maps");

// As bcc's tcpconnect counts connections per IPv6 flow.
struct ipv6_flow_key {
  unsigned __int128 saddr;
  unsigned __int128 daddr;
  __u32 pid;
  __u16 dport;
};

struct flow_total {
  unsigned __int128 bytes;
  __u64 connects;
};

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 64);
  __type(key, struct ipv6_flow_key);
  __type(value, struct flow_total);
  __uint(pinning, LIBBPF_PIN_BY_NAME);
} ipv6_count SEC(".maps");

// As biolatency keeps it.
struct hist_key {
  __u32 cmd_flags;
  __u32 dev;
};

struct hist {
  __u32 slots[MAX_SLOTS];
};

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 64);
  __type(key, struct hist_key);
  __type(value, struct hist);
  __uint(pinning, LIBBPF_PIN_BY_NAME);
} hists SEC(".maps");

// One histogram keyed by slot, per CPU, as runqlat -C does without keys.
struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, MAX_SLOTS);
  __type(key, __u32);
  __type(value, __u64);
  __uint(pinning, LIBBPF_PIN_BY_NAME);
} lat_slots SEC(".maps");

static __always_inline int count(struct lb_ct_entry *entry,
                                 struct ethhdr *eth, __u64 bytes) {
  if (!entry) return XDP_DROP;
  __sync_fetch_and_add(&entry->packets, 1);
  __sync_fetch_and_add(&entry->bytes, bytes);
  __builtin_memcpy(entry->h_source, eth->h_source, 6);
  return XDP_PASS;
}

SEC("xdp")
int ct_lookup(struct xdp_md *ctx) {
  void *data = (void *)(long)ctx->data;
  void *end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = data;
  if ((void *)(eth + 1) > end) return XDP_ABORTED;
  __u64 bytes = end - data;
  if (eth->h_proto == bpf_htons(ETH_P_IP)) {
    struct iphdr *ip = (void *)(eth + 1);
    if ((void *)(ip + 1) > end || ip->ihl != 5) return XDP_ABORTED;
    struct tcphdr *tcp = (void *)(ip + 1);
    if ((void *)(tcp + 1) > end) return XDP_ABORTED;
    struct lb_ct4_key key = {};
    key.saddr = ip->saddr;
    key.daddr = ip->daddr;
    key.sport = tcp->source;
    key.dport = tcp->dest;
    key.proto = ip->protocol;
    return count(bpf_map_lookup_elem(&ct4, &key), eth, bytes);
  }
  if (eth->h_proto == bpf_htons(ETH_P_IPV6)) {
    struct ipv6hdr *ip6 = (void *)(eth + 1);
    if ((void *)(ip6 + 1) > end) return XDP_ABORTED;
    struct tcphdr *tcp = (void *)(ip6 + 1);
    if ((void *)(tcp + 1) > end) return XDP_ABORTED;
    struct lb_ct6_key key = {};
    __builtin_memcpy(&key.saddr, &ip6->saddr, sizeof(key.saddr));
    __builtin_memcpy(&key.daddr, &ip6->daddr, sizeof(key.daddr));
    key.sport = tcp->source;
    key.dport = tcp->dest;
    key.proto = ip6->nexthdr;
    return count(bpf_map_lookup_elem(&ct6, &key), eth, bytes);
  }
  return XDP_DROP;
}
