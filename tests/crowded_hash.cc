#include "tests/crowded_hash.h"

#include <bpf/bpf.h>
#include <unistd.h>

#include <cerrno>

namespace bpfmap::testing {
namespace {

uint32_t Rotate(uint32_t word, int bits) {
  return (word << bits) | (word >> (32 - bits));
}

}  // namespace

uint32_t ZeroSeedHash(uint32_t key) {
  // include/linux/jhash.h: jhash(key, 4, 0), which jhash2(key, 1, 0)
  // equals; both start from JHASH_INITVAL + 4 and mix once.
  uint32_t a = 0xdeadbeef + 4, b = a, c = a;
  a += key;
  c ^= b;
  c -= Rotate(b, 14);
  a ^= c;
  a -= Rotate(c, 11);
  b ^= a;
  b -= Rotate(a, 25);
  c ^= b;
  c -= Rotate(b, 16);
  a ^= c;
  a -= Rotate(c, 4);
  b ^= a;
  b -= Rotate(a, 14);
  c ^= b;
  c -= Rotate(b, 24);
  return c;
}

std::vector<uint32_t> KeysInOneBucket(uint32_t max_entries, uint32_t count) {
  uint32_t buckets = 1;
  while (buckets < max_entries) buckets <<= 1;  // roundup_pow_of_two
  std::vector<uint32_t> keys;
  for (uint32_t key = 0; keys.size() < count; ++key) {
    if ((ZeroSeedHash(key) & (buckets - 1)) == 0) keys.push_back(key);
  }
  return keys;
}

int CreateCrowdedHash(const char* name, const char* pin, uint32_t max_entries,
                      const std::vector<uint32_t>& keys) {
  LIBBPF_OPTS(bpf_map_create_opts, opts, .map_flags = BPF_F_ZERO_SEED);
  int fd = bpf_map_create(BPF_MAP_TYPE_HASH, name, 4, 8, max_entries, &opts);
  if (fd < 0) return -errno;
  for (uint32_t key : keys) {
    uint64_t value = uint64_t{key} * 3;
    if (bpf_map_update_elem(fd, &key, &value, BPF_NOEXIST) != 0) {
      int error = errno;
      close(fd);
      return -error;
    }
  }
  if (bpf_obj_pin(fd, pin) != 0) {
    int error = errno;
    close(fd);
    return -error;
  }
  return fd;
}

bool InOneBucket(int fd) {
  uint32_t count = 1, key = 0, out_batch = 0;
  uint64_t value = 0;
  int ret = bpf_map_lookup_batch(fd, nullptr, &out_batch, &key, &value, &count,
                                 nullptr);
  return ret < 0 && errno == ENOSPC;
}

}  // namespace bpfmap::testing
