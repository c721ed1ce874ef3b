// A hash map whose entries all share one bucket: the shape that shows
// whether a way of reading a hash map can miss or repeat entries while a
// writer updates them (a bucket read in two visits, with the writer moving
// entries between the visits).
#ifndef BPFMAP_TESTS_CROWDED_HASH_H_
#define BPFMAP_TESTS_CROWDED_HASH_H_

#include <cstdint>
#include <vector>

namespace bpfmap::testing {

// The kernel's hash of a 4-byte key in a map created with BPF_F_ZERO_SEED
// (jhash with an initial value of 0, as htab_map_hash computes it).
uint32_t ZeroSeedHash(uint32_t key);

// The first `count` keys (counting up from 0) that a zero-seed hash map of
// `max_entries` entries puts in its bucket 0.
std::vector<uint32_t> KeysInOneBucket(uint32_t max_entries, uint32_t count);

// Creates a zero-seed hash map of u32 -> u64 named `name` with room for
// `max_entries`, holds `keys` in it (value key * 3) and pins it at `pin`.
// Returns its fd, or -errno.
int CreateCrowdedHash(const char* name, const char* pin, uint32_t max_entries,
                      const std::vector<uint32_t>& keys);

// Whether the map behind `fd` (as CreateCrowdedHash made it) holds its
// keys in one bucket, as asked: a batch read of one entry finds no room
// for the bucket (ENOSPC). False where the kernel hashes keys otherwise.
bool InOneBucket(int fd);

}  // namespace bpfmap::testing

#endif  // BPFMAP_TESTS_CROWDED_HASH_H_
