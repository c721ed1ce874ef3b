// A tracer as libbpf-tools write one: vmlinux.h, a ring buffer and a perf
// event array of the same events, kernel stacks in a stack-trace map, a
// spin-locked counter, per-task storage, a user ring buffer for commands,
// and the target process in a global variable. The program fires on the
// raw sys_enter tracepoint and records getppid() calls of one process.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

#define NR_getppid 110  // x86_64
#define MAX_STACK_DEPTH 127

struct event {
  __u32 pid;
  __u32 seq;
  __s64 stack_id;
  char comm[16];
};

// Set by user space after load (bpfmap put tracer_bss ...).
__u32 target_tgid = 0;
__u32 seq = 0;

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 64 * 1024);
  __uint(pinning, LIBBPF_PIN_BY_NAME);
} rb SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
  __uint(key_size, sizeof(__u32));
  __uint(value_size, sizeof(__u32));
  __uint(pinning, LIBBPF_PIN_BY_NAME);
} events SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_STACK_TRACE);
  __uint(max_entries, 64);
  __uint(key_size, sizeof(__u32));
  __uint(value_size, MAX_STACK_DEPTH * sizeof(__u64));
  __uint(pinning, LIBBPF_PIN_BY_NAME);
} stacks SEC(".maps");

struct locked_counter {
  struct bpf_spin_lock lock;
  __u64 packets;
  __u64 bytes;
};

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 16);
  __type(key, __u32);
  __type(value, struct locked_counter);
  __uint(pinning, LIBBPF_PIN_BY_NAME);
} locked_stats SEC(".maps");

struct task_calls {
  __u64 calls;
  __u64 last_ns;
};

struct {
  __uint(type, BPF_MAP_TYPE_TASK_STORAGE);
  __uint(map_flags, BPF_F_NO_PREALLOC);
  __type(key, int);
  __type(value, struct task_calls);
  __uint(pinning, LIBBPF_PIN_BY_NAME);
} task_stats SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_USER_RINGBUF);
  __uint(max_entries, 4096);
  __uint(pinning, LIBBPF_PIN_BY_NAME);
} commands SEC(".maps");

SEC("raw_tp/sys_enter")
int trace_getppid(struct bpf_raw_tracepoint_args *ctx) {
  if ((bpf_get_current_pid_tgid() >> 32) != target_tgid) return 0;
  if (ctx->args[1] != NR_getppid) return 0;
  struct event e = {};
  e.pid = target_tgid;
  e.seq = seq++;  // one process calls: no atomics needed
  e.stack_id = bpf_get_stackid(ctx, &stacks, 0);
  bpf_get_current_comm(e.comm, sizeof(e.comm));
  bpf_ringbuf_output(&rb, &e, sizeof(e), 0);
  bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, &e, sizeof(e));
  return 0;
}

// Counts packets under the value's lock (tracing programs and socket
// filters may not take spin locks; a tc classifier may).
SEC("tc")
int count_locked(struct __sk_buff *skb) {
  __u32 key = 0;
  struct locked_counter *stats = bpf_map_lookup_elem(&locked_stats, &key);
  if (!stats) return 0;
  bpf_spin_lock(&stats->lock);
  stats->packets++;
  stats->bytes += skb->len;
  bpf_spin_unlock(&stats->lock);
  return 0;
}
