#pragma once

// The process heap, backed by transparent huge pages where the kernel grants them on request.
//
// Loading a large workspace touches tens of megabytes of fresh heap. Faulted in 4 KiB at a time,
// that is about 9,000 page faults, each an exception into the kernel, costly in a virtual
// machine: huge pages took a third off `ripple hash --no-uncommitted` at N=5000 on the benchmark
// VM. Where the THP mode is "madvise" (Ubuntu's default, and that VM's) the heap gets 2 MiB pages
// only when asked; glibc asks only under GLIBC_TUNABLES=glibc.malloc.hugetlb=1, which a process
// cannot set for itself.

namespace ripple {

// Call first thing in main(), before threads start. Grows glibc's main heap once by a large
// reservation (address space only: a page costs memory when first touched), advises huge pages on
// it, and keeps malloc from trimming it or moving mid-sized blocks to their own mappings, so that
// later allocations land in it. Best effort: where the growth or the advice is refused (no THP,
// strict overcommit, another allocator) pages stay 4 KiB and only those malloc settings remain;
// no answer depends on it. RIPPLE_HUGE_PAGES=0 turns it off (nothing is changed then).
void use_huge_page_heap();

// The same advice for the heap of the calling thread's malloc arena (glibc gives threads their
// own): a no-op when use_huge_page_heap() was not called or was turned off, or when the thread
// allocates from the main heap. use_huge_page_heap() arranges it for oneTBB's workers; other
// threads that allocate much call it first.
void use_huge_pages_in_this_thread();

}  // namespace ripple
