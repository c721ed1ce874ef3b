// What the kernel says about a map: plain data, for formatters and commands.
#ifndef BPFMAP_CORE_MODEL_MAP_INFO_H_
#define BPFMAP_CORE_MODEL_MAP_INFO_H_

#include <cstdint>
#include <string>

namespace bpfmap {

// What `show` prints about a map.
struct MapInfo {
  uint32_t id = 0;
  uint32_t type = 0;  // enum bpf_map_type
  std::string name;
  uint32_t flags = 0;
  uint32_t key_size = 0;
  uint32_t value_size = 0;
  uint32_t max_entries = 0;
  uint32_t btf_id = 0;
  uint32_t btf_key_type_id = 0;
  uint32_t btf_value_type_id = 0;
  bool frozen = false;
  uint64_t memlock = 0;  // bytes, as /proc/self/fdinfo reports it
  // A program array's owner, once a program uses or fills it (fdinfo): the
  // program type its programs must have, and whether they are JITed.
  // Empty and false otherwise.
  std::string owner_prog_type;  // libbpf's name ("xdp"), or the number
  bool owner_jited = false;

  // "map 12 (flows)", or "map 12" for an unnamed map: for error messages.
  std::string Label() const;
};

// A map found pinned on a bpffs, and where.
struct PinnedMap {
  std::string path;
  MapInfo info;
  // Why the pin could not be opened or read ("" if it was): such a pin is
  // listed with the reason rather than left out.
  std::string error;
};

}  // namespace bpfmap

#endif  // BPFMAP_CORE_MODEL_MAP_INFO_H_
