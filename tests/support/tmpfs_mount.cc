#include "tests/support/tmpfs_mount.h"

#include <sys/statvfs.h>

#include <stdexcept>

namespace ripple::testing {

TmpfsMount::TmpfsMount(std::uint64_t bytes, std::uint64_t inodes) {
  auto r = run_shell("mount -t tmpfs -o size=" + std::to_string(bytes) +
                     (inodes != 0 ? ",nr_inodes=" + std::to_string(inodes) : std::string()) +
                     " tmpfs " + shell_quote(dir_.path()));
  if (r.exit_code != 0) {
    throw std::runtime_error("cannot mount a tmpfs on " + dir_.path() + ": " + r.err);
  }
}

TmpfsMount::~TmpfsMount() {
  // A process the test started (ripple's watchdog, a task's child) may hold a file here for a
  // moment after the test is done with it: umount tries again for up to 10 s, then detaches the
  // mount lazily, so that no mount outlives the test.
  const std::string q = shell_quote(dir_.path());
  run_shell("for i in $(seq 100); do umount " + q + " 2>/dev/null && exit 0; sleep 0.1; done; " +
            "umount -l " + q);
}

std::uint64_t TmpfsMount::free_bytes() const {
  struct statvfs st;
  if (statvfs(dir_.path().c_str(), &st) != 0) {
    throw std::runtime_error("cannot statvfs " + dir_.path());
  }
  return static_cast<std::uint64_t>(st.f_bavail) * st.f_frsize;
}

void TmpfsMount::fill_leaving(const std::string& name, std::uint64_t left) const {
  const std::uint64_t free = free_bytes();
  const std::uint64_t size = free > left ? free - left : 0;
  auto r = run_shell("head -c " + std::to_string(size) + " /dev/zero > " + shell_quote(name),
                     dir_.path());
  if (r.exit_code != 0) {
    throw std::runtime_error("cannot fill " + dir_.path() + ": " + r.err);
  }
}

void TmpfsMount::use_up_inodes(const std::string& dir) const {
  auto r = run_shell("mkdir " + shell_quote(dir) + " && cd " + shell_quote(dir) +
                         " && i=0; while true 2>/dev/null > f$i; do i=$((i+1)); done; "
                         "test $(df --output=iavail . | tail -1) -eq 0",
                     dir_.path());
  if (r.exit_code != 0) {
    throw std::runtime_error("cannot use up the inodes of " + dir_.path() + ": " + r.err);
  }
}

std::string TmpfsMount::footprint() const {
  auto r = run_shell("echo $(find . | wc -l) $(du -sb . | cut -f1)", dir_.path());
  return r.out;
}

}  // namespace ripple::testing
