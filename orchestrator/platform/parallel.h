#pragma once

// oneTBB's parallel loop and task hand-offs, as ThreadSanitizer can see them.
//
// oneTBB hands work to its threads and waits for it inside libtbb.so, which Debian does not build
// with ThreadSanitizer: the tool sees neither edge, and reports a loop body's writes and the
// caller's later reads (or the caller's earlier writes and the body's reads) as races. Code that
// gives work to TBB marks each edge it relies on: happens_before(token) where the work is handed
// over or finished, happens_after(token) where it is taken up or waited for. The token is any
// address, one per edge. Outside a ThreadSanitizer build (scripts/sanitize.sh) both are nothing.
//
// Races inside TBB's own bookkeeping, inlined from its headers, are left to the suppressions
// file (scripts/tsan.supp); a race between two bodies is still reported, since no body waits
// for another through these edges.

#include <tbb/parallel_for.h>

#if defined(__SANITIZE_THREAD__)
#include <sanitizer/tsan_interface.h>
#endif

namespace ripple {

inline void happens_before([[maybe_unused]] const void* token) {
#if defined(__SANITIZE_THREAD__)
  __tsan_release(const_cast<void*>(token));
#endif
}

inline void happens_after([[maybe_unused]] const void* token) {
#if defined(__SANITIZE_THREAD__)
  __tsan_acquire(const_cast<void*>(token));
#endif
}

// tbb::parallel_for(begin, end, body): body(i) for each i in [begin, end), on TBB's threads,
// returning when every call has; what the caller wrote before is seen by each body, and what
// the bodies wrote is seen by the caller after. Bodies must not race with each other.
template <typename Index, typename Body>
void parallel_for(Index begin, Index end, const Body& body) {
  // TBB's threads call this very object (tbb::parallel_for keeps a reference to it), so it is
  // among what is handed over; its address is the token, so that the compiler cannot finish
  // building it after the edge.
  struct Each {
    const Body& body;
    char finished = 0;
    void operator()(Index i) const {
      happens_after(this);
      body(i);
      happens_before(&finished);
    }
  };
  const Each each{body};
  happens_before(&each);
  tbb::parallel_for(begin, end, each);
  happens_after(&each.finished);
}

}  // namespace ripple
