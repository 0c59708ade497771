#pragma once

// A client of the watchman file-watching service (https://facebook.github.io/watchman/), over
// its unix socket and JSON protocol: one request line, one response line. ripple asks it only
// which paths changed since a clock it saved, so that a work-tree scan can re-check those paths
// instead of lstat'ing every tracked file (orchestrator/git/worktree_monitor.h).
//
// Every failure (watchman not installed, not running and cannot start, an error response, a
// timeout) is an environment error; callers fall back to a full scan.

#include <chrono>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "graph/support/error.h"

namespace ripple {

// A watched root as watchman resolved it for a directory: the directory is `root` joined with
// `relative` ("" when they are the same).
struct WatchedRoot {
  std::string root;
  std::string relative;
};

struct WatchmanChanges {
  std::string clock;               // the clock this answer is current as of
  bool fresh_instance = false;     // watchman cannot tell: it restarted, or the clock is unknown
  std::vector<std::string> names;  // changed, created or deleted; relative to `relative`
};

class WatchmanClient {
 public:
  // Connects to the socket named by `socket_path`, or, when it is empty, to the one
  // `watchman get-sockname` names (which starts the service when it is not running).
  // `timeout` bounds every later request. `used` (may be null) is set to the socket connected to.
  static Result<WatchmanClient> connect(const std::string& socket_path,
                                        std::chrono::milliseconds timeout,
                                        std::string* used = nullptr);

  WatchmanClient(WatchmanClient&&) noexcept;
  WatchmanClient& operator=(WatchmanClient&&) noexcept;
  ~WatchmanClient();

  // Starts watching the project holding `dir` (absolute), or finds the existing watch.
  Result<WatchedRoot> watch_project(const std::string& dir);

  // The root's current clock, after watchman has seen every change made before the call.
  Result<std::string> clock(const WatchedRoot& root);

  // The paths below `root.relative` that changed since `since`, leaving out everything below
  // each of `excluded_dirs` (relative to `root.relative`). Synchronised like clock(). On a fresh
  // instance no names are returned.
  Result<WatchmanChanges> changes_since(const WatchedRoot& root, const std::string& since,
                                        const std::vector<std::string>& excluded_dirs);

 private:
  explicit WatchmanClient(int fd);
  // Sends `command` and returns its response, or an error for an error response, a malformed
  // one or none in time. Unilateral messages (subscriptions, logs) are skipped.
  Result<nlohmann::json> request(const nlohmann::json& command);
  int fd_ = -1;
  std::string pending_;  // bytes read past the last response
};

}  // namespace ripple
