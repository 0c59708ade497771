// The main of every test executable: Catch2's session, run in an environment that is the same on
// every machine, with skipped tests (skip.h) reported as skipped.

#define CATCH_CONFIG_RUNNER
#include <stdlib.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "tests/support/skip.h"

extern char** environ;

namespace ripple::testing {
namespace {

std::mutex skips_mutex;
std::vector<std::string> skipped;

}  // namespace

void note_skip(const std::string& reason) {
  std::string test = Catch::getResultCapture().getCurrentTestName();
  std::lock_guard lock(skips_mutex);
  skipped.push_back(test + ": " + reason);
}

std::vector<std::string> skips() {
  std::lock_guard lock(skips_mutex);
  return skipped;
}

}  // namespace ripple::testing

namespace {

// The caller's git variables (GIT_DIR and GIT_INDEX_FILE when run from a hook, GIT_CONFIG_*)
// would point the git commands the tests run somewhere else.
void clear_git_variables() {
  std::vector<std::string> names;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string_view v(*e);
    if (v.starts_with("GIT_")) {
      names.emplace_back(v.substr(0, v.find('=')));
    }
  }
  for (const std::string& n : names) {
    unsetenv(n.c_str());
  }
}

// An empty home for the test process and everything it starts: libgit2, called in process by
// the adapter tests, reads ~/.gitconfig and $XDG_CONFIG_HOME/git (core.autocrlf,
// core.excludesFile change what a scan sees), and so do the git commands the tests run.
std::string make_empty_home() {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern =
      std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/ripple-test-home-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) {
    std::perror(("cannot create " + pattern).c_str());
    std::exit(2);
  }
  return pattern;
}

}  // namespace

int main(int argc, char* argv[]) {
  clear_git_variables();
  const std::string home = make_empty_home();
  setenv("HOME", home.c_str(), 1);
  setenv("XDG_CONFIG_HOME", (home + "/.config").c_str(), 1);
  setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
  // Who the git commands the tests run directly (git merge, git commit) write as: the empty home
  // names nobody, and git refuses to commit without a name.
  for (const char* who : {"GIT_AUTHOR", "GIT_COMMITTER"}) {
    setenv((std::string(who) + "_NAME").c_str(), "ripple tests", 1);
    setenv((std::string(who) + "_EMAIL").c_str(), "tests@ripple.invalid", 1);
  }

  // A filter that matches no test case is a failure, never a pass: CTest cuts a test's name at
  // ';' (a CMake list separator), and such a test used to "pass" running nothing.
  Catch::Session session;
  if (const int bad = session.applyCommandLine(argc, argv); bad != 0) {
    return bad;
  }
  session.configData().warnings = static_cast<Catch::WarnAbout::What>(
      session.configData().warnings | Catch::WarnAbout::NoTests);
  const int result = session.run();

  std::error_code ec;
  std::filesystem::remove_all(home, ec);
  const auto skips = ripple::testing::skips();
  for (const std::string& s : skips) {
    std::fprintf(stderr, "SKIPPED %s\n", s.c_str());
  }
  if (result == 0 && !skips.empty()) {
    return ripple::testing::kSkipReturnCode;
  }
  return result;
}
