// Keys of local storage maps (task, cgroup, inode, socket storage): the
// kernel takes a file descriptor of the object whose value is meant, so a
// key is opened from words that name the object.
#ifndef BPFMAP_CORE_KERNEL_STORAGE_KEYS_H_
#define BPFMAP_CORE_KERNEL_STORAGE_KEYS_H_

#include <string>
#include <vector>

#include "core/base/bytes.h"
#include "core/base/error.h"
#include "core/kernel/owned_fd.h"
#include "core/model/map_info.h"

namespace bpfmap {

// An open descriptor of the object and the 4-byte key that holds it; the
// descriptor must stay open while the key is used.
struct StorageKey {
  OwnedFd object;
  Bytes key;
};

// Opens the object `words` name for the storage map `info`: `pid PID` for
// task_storage (a pidfd), `cgroup PATH` for cgrp_storage (a cgroup v2
// directory), `file PATH` for inode_storage, `socket PID FD` for
// sk_storage (the socket PID holds as FD, through pidfd_getfd). kBadInput
// for other words, naming those the map takes; kSystem if the object
// cannot be opened.
Result<StorageKey> OpenStorageKey(const std::vector<std::string>& words,
                                  const MapInfo& info);

// The words a storage map of `type` takes as its key ("pid PID").
std::string StorageKeyGrammar(uint32_t type);

}  // namespace bpfmap

#endif  // BPFMAP_CORE_KERNEL_STORAGE_KEYS_H_
