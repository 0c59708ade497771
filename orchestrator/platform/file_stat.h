#pragma once

// The stat data ripple compares (the stat cache, the snapshots, the work-tree scan) from a POSIX
// `struct stat`: size, mtime and ctime in nanoseconds, inode and mode.

#include <sys/stat.h>

#include "cache/stat_cache.h"

namespace ripple {

inline cache::FileStat file_stat_of(const struct stat& st) {
  cache::FileStat out;
  out.size = static_cast<std::uint64_t>(st.st_size);
  out.mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
  out.ctime_ns = static_cast<std::int64_t>(st.st_ctim.tv_sec) * 1'000'000'000 + st.st_ctim.tv_nsec;
  out.inode = static_cast<std::uint64_t>(st.st_ino);
  out.mode = static_cast<std::uint32_t>(st.st_mode);
  return out;
}

}  // namespace ripple
