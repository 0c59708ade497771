#pragma once

// Runs a command line through /bin/sh for end-to-end tests and captures what it printed.

#include <string>

namespace ripple::testing {

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `command` with `sh -c` in directory `cwd`; stdout and stderr are captured separately.
CommandResult run_shell(const std::string& command, const std::string& cwd = ".");

// A fresh directory under the system temp dir, removed (recursively) when the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  // Writes `content` to path()/rel, creating parent directories.
  void write(const std::string& rel, const std::string& content) const;
  // The bytes of `rel` under the directory; throws when it cannot be read.
  std::string read(const std::string& rel) const;

 private:
  std::string path_;
};

// Whether process `pid` still runs: it exists and is not a zombie (a killed process that PID 1
// has not reaped yet runs no more). Read from /proc/<pid>/stat, never from ps's output, which is
// empty both for a process that is gone and for a machine without ps.
bool process_running(int pid);

// Waits up to `seconds` for process_running(pid) to turn false; returns whether it did.
bool wait_until_stopped(int pid, int seconds = 30);

// Single-quotes `s` for sh.
std::string shell_quote(const std::string& s);

// Damages files for tests of a cache's damage handling: overwrites one byte with 'Z' in every
// `step` bytes of every file matching the shell glob `glob` (in `dir`), from byte `offset` on.
// Returns dd's exit code through the shell: 0 when every write succeeded.
int flip_bytes(const std::string& dir, const std::string& glob, int offset, int step);

}  // namespace ripple::testing
