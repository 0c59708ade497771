#pragma once

// Values handed over to the end of the process instead of being destroyed. A command that has
// printed its answer is about to exit; freeing a 5,000-service workspace or a 110,000-file index
// allocation by allocation costs milliseconds that the kernel saves by taking the whole address
// space back at exit (compilers do the same with their ASTs). Only for values whose destructor
// does nothing but release memory or mappings: nothing is flushed, closed or written by it.

#include <utility>

namespace ripple {

template <typename T>
void keep_until_exit(T& value) {
  static_cast<void>(new T(std::move(value)));  // deliberately never deleted
}

}  // namespace ripple
