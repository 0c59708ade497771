#include "orchestrator/platform/huge_page_heap.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

using namespace ripple;

namespace {

bool huge_pages_on_request() {
  std::ifstream in("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string modes;
  std::getline(in, modes);
  return in.good() && modes.find("[never]") == std::string::npos;
}

// The VmFlags line of the mapping in /proc/self/smaps that holds `p`.
std::string vm_flags_of(const void* p) {
  auto at = reinterpret_cast<std::uintptr_t>(p);
  std::ifstream smaps("/proc/self/smaps");
  std::string line;
  bool inside = false;
  while (std::getline(smaps, line)) {
    std::uintptr_t begin = 0;
    std::uintptr_t end = 0;
    char dash = 0;
    std::istringstream range(line);
    if (range >> std::hex >> begin >> dash >> end && dash == '-') {
      inside = at >= begin && at < end;
    } else if (inside && line.rfind("VmFlags:", 0) == 0) {
      return line;
    }
  }
  return "";
}

bool advised(const void* p) { return vm_flags_of(p).find(" hg") != std::string::npos; }

}  // namespace

TEST_CASE(
    "huge page heap: the main heap and a thread's arena are advised, mid-sized blocks included") {
  if (!huge_pages_on_request()) {
    WARN("transparent huge pages are off on this kernel: nothing to check");
    return;
  }
  void* before = std::malloc(1 << 20);
  CHECK_FALSE(advised(before));  // glibc's default: nothing asks for huge pages
  std::free(before);

  use_huge_page_heap();
  // Above glibc's default mmap threshold, so from the heap's top now; the top may begin a little
  // below the advised range (it starts at a 2 MiB boundary), the block's end is inside it.
  constexpr std::size_t kMid = std::size_t{4} << 20;
  char* mid = static_cast<char*>(std::malloc(kMid));
  CHECK(advised(mid + kMid - 1));
  std::free(mid);

  bool thread_advised = false;
  std::thread([&] {
    use_huge_pages_in_this_thread();
    void* p = std::malloc(1 << 20);  // the thread's arena is advised whole
    thread_advised = advised(p);
    std::free(p);
  }).join();
  CHECK(thread_advised);
}
