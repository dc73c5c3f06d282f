// The type of the file system a path lies on (statfs's f_type, which Swift's Glibc module
// leaves out): the Parquet reader maps only files on local file systems. Header-only.
#ifndef BASALT_FILE_SYSTEM_H
#define BASALT_FILE_SYSTEM_H
#ifdef __linux__
#include <sys/vfs.h>
static inline long long basalt_file_system_type(const char *path) {
    struct statfs fs;
    return statfs(path, &fs) == 0 ? (long long)fs.f_type : -1;
}
#else
static inline long long basalt_file_system_type(const char *path) { (void)path; return -1; }
#endif
#endif
