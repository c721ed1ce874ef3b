// Maps with BTF of every kind bpfmap renders: loaded (no programs) by the
// tests, which pin the maps by name in a private bpffs.
#include <linux/bpf.h>
#include <linux/types.h>
#include <bpf/bpf_helpers.h>

enum mode { MODE_OFF = 0, MODE_ON = 1, MODE_AUTO = 7 };

struct range {
  __u32 lo;
  __u32 hi;
};

struct flow_key {
  __u32 ip;
  __u16 port;
  __u8 proto;  // followed by one byte of padding
};

typedef __s64 delta_t;

struct flow_value {
  enum mode mode;
  delta_t delta;
  char tag[8];
  struct range range;
  __u8 small : 3;
  __u8 flag : 1;
  __u8 wide[4];
  union {
    __u32 as_u32;
    __u8 as_bytes[4];
  } u;
  _Bool on;
};

struct lpm_v4_key {
  __u32 prefixlen;
  __u8 addr[4];
};

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __type(key, struct flow_key);
  __type(value, struct flow_value);
  __uint(max_entries, 16);
  __uint(pinning, LIBBPF_PIN_BY_NAME);
} typed_hash SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __type(key, __u32);
  __type(value, __u64);
  __uint(max_entries, 4);
  __uint(pinning, LIBBPF_PIN_BY_NAME);
} typed_percpu SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_LPM_TRIE);
  __type(key, struct lpm_v4_key);
  __type(value, __u32);
  __uint(max_entries, 16);
  __uint(map_flags, BPF_F_NO_PREALLOC);
  __uint(pinning, LIBBPF_PIN_BY_NAME);
} typed_lpm SEC(".maps");

// Integers of every size and sign, a pointer, a 64-bit enum, a signed
// bitfield and anonymous members, in one value.
enum big { BIG_SMALL = 1, BIG_HUGE = 0x100000000ULL };

struct numbers {
  __s8 s8;
  __s16 s16;
  __s32 s32;
  __s64 s64;
  __u8 u8;
  __u16 u16;
  __u32 u32;
  __u64 u64;
  void *ptr;
  enum big big;
  int neg : 4;
  unsigned int pos : 12;
  struct {
    __u16 inner_a;
    __u16 inner_b;
  };
  union {
    __u32 either;
    char four[4];
  };
};

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __type(key, __u32);
  __type(value, struct numbers);
  __uint(max_entries, 8);
  __uint(pinning, LIBBPF_PIN_BY_NAME);
} typed_numbers SEC(".maps");

// Floats, which bpftool cannot format.
struct floats {
  float f;
  double d;
};

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __type(key, __u32);
  __type(value, struct floats);
  __uint(max_entries, 2);
  __uint(pinning, LIBBPF_PIN_BY_NAME);
} typed_floats SEC(".maps");

// A per-CPU map of structs: folding works leaf by leaf.
struct counters {
  __u64 packets;
  __u32 drops;
  __s32 min_delta;
  _Bool seen;
};

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_HASH);
  __type(key, __u32);
  __type(value, struct counters);
  __uint(max_entries, 8);
  __uint(pinning, LIBBPF_PIN_BY_NAME);
} typed_counters SEC(".maps");

// A queue whose values are typed.
struct {
  __uint(type, BPF_MAP_TYPE_QUEUE);
  __type(value, struct range);
  __uint(max_entries, 4);
  __uint(pinning, LIBBPF_PIN_BY_NAME);
} typed_queue SEC(".maps");

char LICENSE[] SEC("license") = "GPL";
