// ReferenceNames from the running kernel: maps and programs by id, network
// devices by index, each looked up once, when a formatter first asks.
#ifndef BPFMAP_CORE_KERNEL_KERNEL_NAMES_H_
#define BPFMAP_CORE_KERNEL_KERNEL_NAMES_H_

#include <map>
#include <memory>
#include <string>
#include <utility>

#include "core/model/reference_names.h"

namespace bpfmap {

class KernelNames : public ReferenceNames {
 public:
  std::string NameOf(std::string_view member, uint64_t id) const override;

 private:
  mutable std::map<std::pair<std::string, uint64_t>, std::string> cache_;
};

}  // namespace bpfmap

#endif  // BPFMAP_CORE_KERNEL_KERNEL_NAMES_H_
