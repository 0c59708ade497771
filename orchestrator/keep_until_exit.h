#pragma once

// Values handed over to the end of the process instead of being destroyed. A command that has
// printed its answer is about to exit; freeing a 5,000-service workspace or a 110,000-file index
// allocation by allocation costs milliseconds that the kernel saves by taking the whole address
// space back at exit (compilers do the same with their ASTs). Only for values whose destructor
// does nothing but release memory or mappings: nothing is flushed, closed or written by it.

#include <utility>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#endif

namespace ripple {

template <typename T>
void keep_until_exit(T& value) {
  T* kept = new T(std::move(value));  // deliberately never deleted
#if defined(__SANITIZE_ADDRESS__)
  __lsan_ignore_object(kept);  // not a leak: LeakSanitizer is told so (scripts/sanitize.sh)
#endif
  static_cast<void>(kept);
}

}  // namespace ripple
