#pragma once

// A real tmpfs of a given size mounted on a fresh temporary directory, for tests of a full disk
// (the test suite runs as root). Unmounted, then removed, when the object dies.

#include <cstdint>
#include <string>

#include "tests/support/process.h"

namespace ripple::testing {

class TmpfsMount {
 public:
  // Throws when the mount fails (not root, no tmpfs).
  explicit TmpfsMount(std::uint64_t bytes);
  ~TmpfsMount();
  TmpfsMount(const TmpfsMount&) = delete;
  TmpfsMount& operator=(const TmpfsMount&) = delete;

  const std::string& path() const { return dir_.path(); }

  // Bytes free on it.
  std::uint64_t free_bytes() const;
  // Writes a file `name` of zeros that leaves about `left` bytes free (never more).
  void fill_leaving(const std::string& name, std::uint64_t left) const;
  // How many files and directories are under it, and their bytes: "<count> <bytes>".
  std::string footprint() const;

 private:
  TempDir dir_;
};

}  // namespace ripple::testing
