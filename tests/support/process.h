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

 private:
  std::string path_;
};

// Single-quotes `s` for sh.
std::string shell_quote(const std::string& s);

}  // namespace ripple::testing
