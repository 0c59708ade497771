#pragma once

// A real tmpfs of a given size mounted on a fresh temporary directory, for tests of a full disk
// (the test suite runs as root). Unmounted (lazily if still busy after 10 s), then removed,
// when the object dies.

#include <cstdint>
#include <string>

#include "tests/support/process.h"

namespace ripple::testing {

class TmpfsMount {
 public:
  // Throws when the mount fails (not root, no tmpfs). `inodes`: how many files and directories
  // it may hold (0: tmpfs's default, plenty).
  explicit TmpfsMount(std::uint64_t bytes, std::uint64_t inodes = 0);
  ~TmpfsMount();
  TmpfsMount(const TmpfsMount&) = delete;
  TmpfsMount& operator=(const TmpfsMount&) = delete;

  const std::string& path() const { return dir_.path(); }

  // Bytes free on it.
  std::uint64_t free_bytes() const;
  // Writes a file `name` of zeros that leaves about `left` bytes free (never more).
  void fill_leaving(const std::string& name, std::uint64_t left) const;
  // Creates empty files in `dir` (made first, relative to the mount) until no inode is left.
  void use_up_inodes(const std::string& dir) const;
  // How many files and directories are under it, and their bytes: "<count> <bytes>".
  std::string footprint() const;

 private:
  TempDir dir_;
};

}  // namespace ripple::testing
