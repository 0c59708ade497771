#pragma once

// The Filesystem of the machine, through Boost.Filesystem.

#include <optional>

#include "cache/stat_cache.h"
#include "orchestrator/platform/filesystem.h"

namespace ripple {

class RealFilesystem final : public Filesystem {
 public:
  FileKind kind(const std::string& path) const override;
  bool is_symlink(const std::string& path) const override;
  std::optional<std::string> resolve(const std::string& path) const override;
  Result<std::string> read_file(const std::string& path) const override;
  Result<std::vector<DirEntry>> list_dir(const std::string& path) const override;
};

// The whole file at `rel` relative to the open directory `dir_fd`, whose size a stat() just
// gave: open, one read() when the size is still right, close. For callers that have stat'ed the
// file anyway (the config snapshot). Errors name `shown` as the file.
Result<std::string> read_file_of_size(int dir_fd, const std::string& rel,
                                      std::uint64_t expected_size, const std::string& shown);

// A regular file read whole: its stat data (from the open file, before the read), the wall
// clock just before the read (nanoseconds), and its bytes.
struct RegularFile {
  cache::FileStat stat;
  std::int64_t read_at_ns = 0;
  std::string text;
};

// The regular file at `rel` relative to the open directory `dir_fd`, opened once (without
// blocking on a FIFO): nothing when there is none; an environment error naming `shown` when
// something else is there (a FIFO, a socket, a directory) or it cannot be opened or read.
Result<std::optional<RegularFile>> read_regular_file_at(int dir_fd, const std::string& rel,
                                                        const std::string& shown);

// A directory opened for resolving paths relative to it (O_PATH), closed on destruction; fd()
// is -1 when it could not be opened, so that every call made with it fails (EBADF).
class DirHandle {
 public:
  explicit DirHandle(const std::string& path);
  ~DirHandle();
  DirHandle(const DirHandle&) = delete;
  DirHandle& operator=(const DirHandle&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

// The process's current directory, absolute.
std::string current_directory();
// `path` made absolute (against the current directory) and lexically normalised.
std::string absolute_path(const std::string& path);

}  // namespace ripple
