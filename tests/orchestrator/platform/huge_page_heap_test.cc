#include "orchestrator/platform/huge_page_heap.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "tests/support/skip.h"

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

// Returns whether the calling thread's fresh 1 MiB block lies in advised memory, after asking
// `heap` to advise the thread.
bool thread_block_advised(const HugePageHeap& heap) {
  bool result = false;
  std::thread([&] {
    heap.advise_this_thread();
    void* p = std::malloc(1 << 20);  // a thread's arena is advised whole
    result = advised(p);
    std::free(p);
  }).join();
  return result;
}

}  // namespace

// One case: the heap's settings last for the process, so "off" is checked before "on".
TEST_CASE("huge page heap: off changes nothing, on advises the main heap and thread arenas") {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  RIPPLE_SKIP("a sanitizer's allocator replaces glibc's malloc, whose heap this advises");
#endif
  if (!huge_pages_on_request()) {
    RIPPLE_SKIP("transparent huge pages are off on this kernel ([never])");
  }
  // Above glibc's default mmap threshold: its own mapping by default, from the heap's top once
  // the heap is set up. The top may begin a little below the advised range (which starts at a
  // huge page boundary); the block's end is inside it.
  constexpr std::size_t kMid = std::size_t{4} << 20;
  auto mid_advised = [&] {
    char* mid = static_cast<char*>(std::malloc(kMid));
    bool result = advised(mid + kMid - 1);
    std::free(mid);
    return result;
  };

  const HugePageHeap off(false);
  CHECK_FALSE(off.active());
  CHECK_FALSE(mid_advised());
  CHECK_FALSE(thread_block_advised(off));

  const HugePageHeap on(true);
  REQUIRE(on.active());
  CHECK(mid_advised());
  CHECK(thread_block_advised(on));
}
