#include "orchestrator/platform/huge_page_heap.h"

#include <malloc.h>
#include <sys/mman.h>
#include <tbb/task_scheduler_observer.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>

namespace ripple {
namespace {

constexpr std::size_t kHugePage = std::size_t{2} << 20;
// Address space reserved at once: more than the largest workspace's load (about 60 MiB at 5,000
// services and 110,000 files). Growth past it is ordinary heap.
constexpr std::size_t kReserve = std::size_t{256} << 20;

// A glibc thread arena's heap is a reservation of this size, aligned to it (HEAP_MAX_SIZE on
// 64-bit systems), grown in place by mprotect: advice given to all of it once covers its growth.
constexpr std::size_t kArenaHeap = std::size_t{64} << 20;

std::uintptr_t round_up(std::uintptr_t v, std::size_t to) { return (v + to - 1) / to * to; }

// The advised main heap; empty when the advice was not given.
std::uintptr_t main_begin = 0;
std::uintptr_t main_end = 0;

class WorkerAdvice : public tbb::task_scheduler_observer {
 public:
  WorkerAdvice() { observe(true); }
  void on_scheduler_entry(bool is_worker) override {
    if (is_worker) {
      use_huge_pages_in_this_thread();
    }
  }
};

}  // namespace

void use_huge_page_heap() {
  if (const char* off = std::getenv("RIPPLE_HUGE_PAGES");
      off != nullptr && std::strcmp(off, "0") == 0) {
    return;
  }
  void* start = sbrk(0);
  if (start == reinterpret_cast<void*>(-1)) {
    return;
  }
  // One growth of the main heap by the reservation; kept (never trimmed) so that the advised
  // range stays one mapping. Blocks up to 32 MiB come from it rather than from mmap.
  mallopt(M_TOP_PAD, static_cast<int>(kReserve));
  mallopt(M_TRIM_THRESHOLD, static_cast<int>(kReserve * 2));
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  // Larger than any top left by start-up, so it forces the growth; volatile, or the compiler
  // drops the unused pair.
  void* volatile probe = std::malloc(8 << 20);
  std::free(probe);
  mallopt(M_TOP_PAD, 16 << 20);
  auto begin = round_up(reinterpret_cast<std::uintptr_t>(start), kHugePage);
  auto end = reinterpret_cast<std::uintptr_t>(sbrk(0));
  if (end > begin) {
    if (madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE) == 0) {
      main_begin = begin;
      main_end = end;
      static WorkerAdvice workers;  // observes every oneTBB worker from here on
    }
  }
}

void use_huge_pages_in_this_thread() {
  if (main_end == 0) {
    return;
  }
  void* volatile probe = std::malloc(64);  // from this thread's arena, created now if need be
  auto at = reinterpret_cast<std::uintptr_t>(probe);
  std::free(probe);
  if (at >= main_begin && at < main_end) {
    return;
  }
  std::uintptr_t heap = at / kArenaHeap * kArenaHeap;
  madvise(reinterpret_cast<void*>(heap), kArenaHeap, MADV_HUGEPAGE);  // refusal is harmless
}

}  // namespace ripple
