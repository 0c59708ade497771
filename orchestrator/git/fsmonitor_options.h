#pragma once

// How a work-tree scan may use a file-system monitor (watchman): see worktree_monitor.h.

#include <functional>
#include <string>

namespace ripple::git {

struct FsMonitorOptions {
  std::string state_path;  // the saved clock and the paths to re-check (.ripple/state/...)
  std::string socket;      // watchman's socket; "" asks `watchman get-sockname`
  // Told, once per scan, why the monitor could not be used (the scan then covers every file).
  std::function<void(const std::string&)> warn;
  // Told how each scan went ("re-checked 3 paths", "full scan: no saved clock"); may be empty.
  std::function<void(const std::string&)> trace;
};

}  // namespace ripple::git
