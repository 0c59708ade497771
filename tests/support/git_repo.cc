#include "tests/support/git_repo.h"

#include <cstdlib>
#include <stdexcept>

namespace ripple::testing {

namespace {
// Deterministic commits, whatever the machine's git configuration says.
const char* kGitEnv =
    "GIT_AUTHOR_NAME=ripple GIT_AUTHOR_EMAIL=ripple@example.com "
    "GIT_COMMITTER_NAME=ripple GIT_COMMITTER_EMAIL=ripple@example.com "
    "GIT_AUTHOR_DATE='2026-01-01T00:00:00Z' GIT_COMMITTER_DATE='2026-01-01T00:00:00Z' "
    "GIT_CONFIG_NOSYSTEM=1 HOME=/nonexistent ";
}  // namespace

GitRepo::GitRepo() { git("init -q -b main"); }

void GitRepo::remove(const std::string& rel) const {
  run_shell("rm -rf " + shell_quote(rel), path());
}

std::string run_git(const std::string& args, const std::string& dir) {
  auto r = run_shell(std::string(kGitEnv) + "git " + args, dir);
  if (r.exit_code != 0) {
    throw std::runtime_error("git " + args + " failed: " + r.err);
  }
  return r.out;
}

std::string ripple_command_line(const std::string& args, const std::string& env) {
  // The binary sees a clean environment: nothing of the caller's (CI variables, RIPPLE_TIMING,
  // a ~/.gitconfig with core.autocrlf, which libgit2 reads in process) may change what it does.
  // Tests that want a variable set it through `env`.
  const char* path = std::getenv("PATH");
  std::string clean = "env -i PATH=" + shell_quote(path != nullptr ? path : "/usr/bin:/bin") +
                      " HOME=/nonexistent XDG_CONFIG_HOME=/nonexistent GIT_CONFIG_NOSYSTEM=1 ";
  if (const char* tmp = std::getenv("TMPDIR"); tmp != nullptr) {
    clean += "TMPDIR=" + shell_quote(tmp) + " ";
  }
  // A sanitizer build's settings (scripts/sanitize.sh) reach the binary: they change how an error
  // is reported, never what ripple does.
  for (const char* name : {"ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS", "TSAN_OPTIONS"}) {
    if (const char* value = std::getenv(name); value != nullptr) {
      clean += std::string(name) + "=" + shell_quote(value) + " ";
    }
  }
  return clean + (env.empty() ? "" : env + " ") + shell_quote(RIPPLE_BINARY) + " " + args;
}

CommandResult run_ripple(const std::string& args, const std::string& dir, const std::string& env) {
  return run_shell(ripple_command_line(args, env), dir);
}

std::string GitRepo::git(const std::string& args) const { return run_git(args, path()); }

std::string GitRepo::commit(const std::string& message) const {
  git("add -A");
  git("commit -q --allow-empty -m " + shell_quote(message));
  std::string id = git("rev-parse HEAD");
  return id.substr(0, id.find('\n'));
}

CommandResult GitRepo::ripple(const std::string& args, const std::string& subdir) const {
  return ripple_with_env("", args, subdir);
}

CommandResult GitRepo::ripple_with_env(const std::string& env, const std::string& args,
                                       const std::string& subdir) const {
  return run_ripple(args, subdir.empty() ? path() : path() + "/" + subdir, env);
}

void GitRepo::copy_example_shop() const {
  auto r =
      run_shell("cp -r " + shell_quote(std::string(RIPPLE_SOURCE_DIR) + "/examples/shop/.") +
                    " . && rm -rf .ripple && find . -name dist -type d -prune -exec rm -rf {} +",
                path());
  if (r.exit_code != 0) {
    throw std::runtime_error("cannot copy examples/shop: " + r.err);
  }
}

}  // namespace ripple::testing
