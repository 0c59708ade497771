#include "orchestrator/reporter.h"

#include <ostream>

namespace ripple {

void StreamReporter::warning(std::string_view message) {
  std::lock_guard lock(mutex_);
  out_ << "ripple: warning: " << message << '\n';
}

void StreamReporter::error(std::string_view message) {
  std::lock_guard lock(mutex_);
  out_ << "ripple: error: " << message << '\n';
}

void StreamReporter::info(std::string_view message) {
  std::lock_guard lock(mutex_);
  out_ << "ripple: " << message << '\n';
}

void StreamReporter::raw(std::string_view text) {
  std::lock_guard lock(mutex_);
  out_ << text << std::flush;
}

}  // namespace ripple
