#pragma once

// The stat data ripple compares (the stat cache, the snapshots, the work-tree scan, the config
// snapshot): size, mtime and ctime in nanoseconds, inode and mode; the wall clock those times are
// compared with; and the racy-timestamp rule that says when what was read of a file can be
// trusted later. A vocabulary header: every module that looks at files may include it.

#include <sys/stat.h>

#include <cstdint>

namespace ripple::cache {

struct FileStat {
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;
  std::int64_t ctime_ns = 0;
  std::uint64_t inode = 0;
  std::uint32_t mode = 0;
  friend bool operator==(const FileStat&, const FileStat&) = default;
};

// From a POSIX `struct stat`.
inline FileStat file_stat_of(const struct stat& st) {
  FileStat out;
  out.size = static_cast<std::uint64_t>(st.st_size);
  out.mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
  out.ctime_ns = static_cast<std::int64_t>(st.st_ctim.tv_sec) * 1'000'000'000 + st.st_ctim.tv_nsec;
  out.inode = static_cast<std::uint64_t>(st.st_ino);
  out.mode = static_cast<std::uint32_t>(st.st_mode);
  return out;
}

inline constexpr std::int64_t kRacyWindowNs = 2'000'000'000;

// Whether what was read of a file with `stat` at `read_at_ns` (wall clock, taken before the read)
// can be trusted later: not when the file changed within the racy window before the read, since
// a write in the same timestamp tick after the read would leave `stat` unchanged. Such a record
// can never become usable (its read time never moves), so it is not worth storing either.
inline bool settled(const FileStat& stat, std::int64_t read_at_ns) {
  return stat.mtime_ns + kRacyWindowNs < read_at_ns && stat.ctime_ns + kRacyWindowNs < read_at_ns;
}

// Nanoseconds since the epoch, wall clock.
std::int64_t now_ns();

}  // namespace ripple::cache
