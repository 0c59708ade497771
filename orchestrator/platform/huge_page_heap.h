#pragma once

// The process heap, backed by transparent huge pages where the kernel grants them on request.
//
// Loading a large workspace touches tens of megabytes of fresh heap. Faulted in 4 KiB at a time,
// that is about 9,000 page faults, each an exception into the kernel, costly in a virtual
// machine: huge pages took a third off `ripple hash --no-uncommitted` at N=5000 on the benchmark
// VM. Where the THP mode is "madvise" (Ubuntu's default, and that VM's) the heap gets huge pages
// only when asked; glibc asks only under GLIBC_TUNABLES=glibc.malloc.hugetlb=1, which a process
// cannot set for itself.

#include <tbb/task_scheduler_observer.h>

#include <cstddef>
#include <cstdint>

namespace ripple {

class HugePageHeap {
 public:
  // Made first thing in main(), before any thread starts, and kept for the process's life. With
  // `enabled` (main passes false for RIPPLE_HUGE_PAGES=0) and THP not off, it grows glibc's main
  // heap once by a large reservation (address space only: a page costs memory when first
  // touched), advises huge pages on it, and keeps malloc from trimming it or moving blocks under
  // 32 MiB to their own mappings, so that later allocations land in it; memory freed is then
  // reused by the process, not returned to the system, until it exits. Inactive, and nothing
  // changed, when not enabled or THP is off; when the growth or the advice is refused (strict
  // overcommit, another allocator) pages stay small and only those malloc settings remain. No
  // answer depends on any of it.
  explicit HugePageHeap(bool enabled);
  HugePageHeap(const HugePageHeap&) = delete;
  HugePageHeap& operator=(const HugePageHeap&) = delete;

  bool active() const { return main_end_ != 0; }

  // The same advice for the calling thread's own malloc arena (glibc gives threads theirs), once
  // per thread; a no-op when inactive or when the thread allocates from the main heap.
  void advise_this_thread() const;

  // While it lives, advises every oneTBB worker that joins the arena of the thread that made it
  // (an observer sees only its owner thread's arena: each thread that runs parallel work on its
  // own makes one).
  class WorkerAdvice : public tbb::task_scheduler_observer {
   public:
    explicit WorkerAdvice(const HugePageHeap& heap);
    ~WorkerAdvice() override;
    void on_scheduler_entry(bool is_worker) override;

   private:
    const HugePageHeap& heap_;
  };

 private:
  std::uintptr_t main_begin_ = 0;  // the advised part of the main heap; empty when inactive
  std::uintptr_t main_end_ = 0;
};

}  // namespace ripple
