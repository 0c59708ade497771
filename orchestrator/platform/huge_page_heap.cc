#include "orchestrator/platform/huge_page_heap.h"

#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <fstream>
#include <string>

namespace ripple {
namespace {

// Address space reserved at once: more than the largest workspace's load (about 60 MiB at 5,000
// services and 110,000 files). Growth past it is ordinary heap.
constexpr std::size_t kReserve = std::size_t{256} << 20;
static_assert(kReserve * 2 <= INT_MAX, "mallopt takes an int");

// A glibc thread arena's heap is a reservation of this size, aligned to it (HEAP_MAX_SIZE on
// 64-bit systems), grown in place by mprotect: advice given to all of it once covers its growth.
constexpr std::size_t kArenaHeap = std::size_t{64} << 20;

std::uintptr_t round_up(std::uintptr_t v, std::size_t to) { return (v + to - 1) / to * to; }

// Whether the kernel hands out transparent huge pages at all ("always" or "madvise").
bool huge_pages_offered() {
  std::ifstream in("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string modes;
  return std::getline(in, modes) && modes.find("[never]") == std::string::npos;
}

// The size of a huge page (2 MiB on x86-64; larger with 64 KiB base pages on arm64).
std::size_t huge_page_size() {
  std::ifstream in("/sys/kernel/mm/transparent_hugepage/hpage_pmd_size");
  std::size_t size = 0;
  return in >> size && size > 0 ? size : std::size_t{2} << 20;
}

}  // namespace

HugePageHeap::HugePageHeap(bool enabled) {
  if (!enabled || !huge_pages_offered()) {
    return;
  }
  void* start = sbrk(0);
  if (start == reinterpret_cast<void*>(-1)) {
    return;
  }
  // One growth of the main heap by the reservation, never trimmed, so that the advised range
  // stays one mapping.
  mallopt(M_TOP_PAD, static_cast<int>(kReserve));
  mallopt(M_TRIM_THRESHOLD, static_cast<int>(kReserve * 2));
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  // Larger than any top left by start-up, so it forces the growth; volatile, or the compiler
  // drops the unused pair.
  void* volatile probe = std::malloc(8 << 20);
  std::free(probe);
  mallopt(M_TOP_PAD, 16 << 20);
  auto begin = round_up(reinterpret_cast<std::uintptr_t>(start), huge_page_size());
  auto end = reinterpret_cast<std::uintptr_t>(sbrk(0));
  if (end > begin && madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE) == 0) {
    main_begin_ = begin;
    main_end_ = end;
  }
}

void HugePageHeap::advise_this_thread() const {
  thread_local bool advised = false;
  if (!active() || advised) {
    return;
  }
  advised = true;
  void* volatile probe = std::malloc(64);  // from this thread's arena, created now if need be
  auto at = reinterpret_cast<std::uintptr_t>(probe);
  std::free(probe);
  if (at >= main_begin_ && at < reinterpret_cast<std::uintptr_t>(sbrk(0))) {
    return;  // the main heap: advised already, or grown past the reservation
  }
  std::uintptr_t heap = at / kArenaHeap * kArenaHeap;
  madvise(reinterpret_cast<void*>(heap), kArenaHeap, MADV_HUGEPAGE);  // refusal is harmless
}

HugePageHeap::WorkerAdvice::WorkerAdvice(const HugePageHeap& heap) : heap_(heap) {
  if (heap_.active()) {
    observe(true);
  }
}

HugePageHeap::WorkerAdvice::~WorkerAdvice() { observe(false); }

void HugePageHeap::WorkerAdvice::on_scheduler_entry(bool is_worker) {
  if (is_worker) {
    heap_.advise_this_thread();
  }
}

}  // namespace ripple
