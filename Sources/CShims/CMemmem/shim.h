// libc's memmem, a GNU extension Swift's Glibc module leaves out: LIKE '%text%' searches
// a whole column's bytes with it at once. Header-only; the function is the C library's.
#ifndef BASALT_MEMMEM_H
#define BASALT_MEMMEM_H
#include <stddef.h>
extern void *memmem(const void *haystack, size_t haystacklen, const void *needle, size_t needlelen);
static inline const void *basalt_memmem(const void *haystack, size_t haystacklen, const void *needle, size_t needlelen) {
    return memmem(haystack, haystacklen, needle, needlelen);
}
#endif
