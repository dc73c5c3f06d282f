// A cache prefetch hint for the hash tables' probes, which wait on memory more
// than they compute: Swift has no prefetch intrinsic. Header-only, nothing linked.
#ifndef BASALT_PREFETCH_H
#define BASALT_PREFETCH_H
static inline void basalt_prefetch(const void *address) { __builtin_prefetch(address, 0, 3); }
#endif
