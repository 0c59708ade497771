#pragma once

// Runs one task's command, behind an interface so the scheduler's logic can be tested with a
// fake. The real runner (PosixProcessRunner) starts `sh -c COMMAND` in its own process group
// with stdin from /dev/null, captures stdout and stderr through two pipes (each kept apart, and
// both interleaved line by line in the order they were read: a line is never cut by the other
// stream's), hands every chunk to `on_output` as it arrives, and on timeout or cancellation sends
// SIGTERM to the whole group, then SIGKILL after a grace period.
//
// When the task's own process (the shell) exits, whatever is left in its process group (`cmd &`,
// `nohup cmd &`, a double fork) gets SIGTERM, then SIGKILL after the grace period, and the pipes
// are read only a moment longer: a leftover that keeps stdout open never holds the run. A process
// that left the group (`setsid`) is not stopped here; `ripple run` stops those when the run ends
// (orphan_cleanup.h). Implementations are thread-safe.

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ripple {

enum class OutputStream { out, err };

struct ProcessSpec {
  std::string command;                                   // run with /bin/sh -c
  std::string cwd;                                       // absolute
  std::vector<std::pair<std::string, std::string>> env;  // added to (or replacing in) ours
  std::optional<int> timeout_seconds;
  // Called from the running thread with each chunk as it is read (not split at lines).
  std::function<void(OutputStream, std::string_view)> on_output;
};

struct ProcessResult {
  int exit_code = 0;  // the command's, or 128+signal when it was killed
  bool timed_out = false;
  bool cancelled = false;
  std::string output;       // stdout and stderr, interleaved whole line by whole line
  std::string stdout_text;  // stdout alone
  std::string stderr_text;  // stderr alone
  std::int64_t start_ns = 0;
  std::int64_t end_ns = 0;
};

class ProcessRunner {
 public:
  virtual ~ProcessRunner() = default;
  // Runs to completion, or until `cancel` becomes true (then terminates the process group).
  virtual ProcessResult run(const ProcessSpec& spec, const std::atomic<bool>& cancel) = 0;
};

class TaskWatchdog;

class PosixProcessRunner final : public ProcessRunner {
 public:
  // With a `watchdog` (borrowed), each task's process group is stopped even when ripple is
  // killed outright (platform/task_watchdog.h).
  explicit PosixProcessRunner(int grace_ms = 2000, TaskWatchdog* watchdog = nullptr)
      : grace_ms_(grace_ms), watchdog_(watchdog) {}
  ProcessResult run(const ProcessSpec& spec, const std::atomic<bool>& cancel) override;

 private:
  int grace_ms_;
  TaskWatchdog* watchdog_;
};

}  // namespace ripple
