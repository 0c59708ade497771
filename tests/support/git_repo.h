#pragma once

// A real git repository in a temporary directory, driven through the git command line, for
// tests of the libgit2 adapter and of the binary. Commits use fixed identities and dates.

#include <string>

#include "tests/support/process.h"

namespace ripple::testing {

class GitRepo {
 public:
  // `git init -b main` in a fresh temporary directory.
  GitRepo();

  const std::string& path() const { return dir_.path(); }
  void write(const std::string& rel, const std::string& content) const { dir_.write(rel, content); }
  std::string read(const std::string& rel) const { return dir_.read(rel); }
  void remove(const std::string& rel) const;

  // Runs `git <args>` in the repository; throws with git's stderr when it fails.
  std::string git(const std::string& args) const;
  // `git add -A && git commit -m message`; returns the new commit id.
  std::string commit(const std::string& message) const;

  // Runs the ripple binary with `args` in `subdir` of the repository.
  CommandResult ripple(const std::string& args, const std::string& subdir = "") const;
  // Like ripple(), with environment assignments for sh (e.g. "GITHUB_BASE_REF=main") added to
  // the clean environment run_ripple() gives the binary.
  CommandResult ripple_with_env(const std::string& env, const std::string& args,
                                const std::string& subdir = "") const;

  // Copies the tree of examples/shop into the repository (no commit).
  void copy_example_shop() const;

 private:
  TempDir dir_;
};

// Runs `git <args>` in directory `dir` with the same fixed identities and dates as GitRepo;
// throws with git's stderr when it fails. For clones and remotes next to a GitRepo.
std::string run_git(const std::string& args, const std::string& dir);

// Runs the ripple binary with `args` in any directory `dir` (a clone, or no repository at all),
// in a clean environment (PATH, TMPDIR, HOME and XDG_CONFIG_HOME pointing nowhere, no system git
// config) plus the assignments `env` (e.g. "GITHUB_BASE_REF=main"): nothing of the caller's
// environment (CI variables, RIPPLE_TIMING, ~/.gitconfig) reaches it.
CommandResult run_ripple(const std::string& args, const std::string& dir,
                         const std::string& env = "");
// The sh command line run_ripple() runs, for a test that starts ripple in the background or
// under `timeout`.
std::string ripple_command_line(const std::string& args, const std::string& env = "");

}  // namespace ripple::testing
