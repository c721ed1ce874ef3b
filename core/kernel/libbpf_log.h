// libbpf's own messages, routed through bpfmap's logger: libbpf never
// prints by itself; its lines show with --debug, and the last warning it
// gave can be folded into the error it explains.
#ifndef BPFMAP_CORE_KERNEL_LIBBPF_LOG_H_
#define BPFMAP_CORE_KERNEL_LIBBPF_LOG_H_

#include <string>

namespace bpfmap::kernel {

// Installs bpfmap's print function in libbpf. Call once, before any libbpf
// call; calling again changes nothing.
void RouteLibbpfLog();

// The last warning libbpf gave since the previous call ("" if none), and
// forgets it.
std::string TakeLibbpfWarning();

}  // namespace bpfmap::kernel

#endif  // BPFMAP_CORE_KERNEL_LIBBPF_LOG_H_
