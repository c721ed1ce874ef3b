// What the kernel says about a map: plain data, for formatters and commands.
#ifndef BPFMAP_CORE_MODEL_MAP_INFO_H_
#define BPFMAP_CORE_MODEL_MAP_INFO_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace bpfmap {

// Who holds a map: what keeps it alive and who uses it.
struct MapHolders {
  struct Process {
    uint32_t pid = 0;
    std::string comm;
  };
  struct Program {
    uint32_t id = 0;
    std::string name;
  };
  std::vector<Process> processes;  // with a descriptor of the map
  uint32_t uninspected = 0;  // processes whose descriptors could not be read
  std::vector<Program> programs;   // that use the map
  std::vector<std::string> pins;   // on every mounted bpffs
};

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
  // Bloom filters: the number of hash functions (map_extra's low 4 bits;
  // the kernel uses 5 for 0). 0 for other types.
  uint32_t hash_funcs = 0;
  // The C names of the key and value types where the map has BTF ("__u32",
  // "struct flow_key"); filled by show, empty elsewhere.
  std::string key_type_name;
  std::string value_type_name;
  // Filled by show (FindHolders), absent elsewhere.
  std::optional<MapHolders> holders;
  // The entries it holds, counted (show --count, list --count); absent
  // elsewhere and where they cannot be counted.
  std::optional<uint64_t> entries;

  // How full it is, in percent of max_entries (show --count): null where
  // entries were not counted or max_entries is 0.
  std::optional<double> PercentFull() const {
    if (!entries || max_entries == 0) return std::nullopt;
    return 100.0 * static_cast<double>(*entries) / max_entries;
  }

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
