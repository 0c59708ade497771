#pragma once

// A test that cannot run on this machine says so and is counted as skipped, never as passed.
// RIPPLE_SKIP(reason) records the reason and returns from the TEST_CASE (use it at the top level
// of the case, before any SECTION); the test main (test_main.cc) then prints every skip and exits
// with kSkipReturnCode, which CTest reports as "Skipped" (the SKIP_RETURN_CODE of every discovered
// test, tests/CMakeLists.txt), not as "Passed".
//
// Only for preconditions a machine may lack for good reasons (a kernel setting, not running as
// root, a sanitizer that replaces malloc). A missing tool is no reason: scripts/setup.sh installs
// every tool the tests use and scripts/test.sh refuses to run without one.

#include <string>
#include <vector>

namespace ripple::testing {

inline constexpr int kSkipReturnCode = 77;

// Records that the running test case is skipped, and why.
void note_skip(const std::string& reason);

// "<test case>: <reason>", one per skip, in the order they happened.
std::vector<std::string> skips();

}  // namespace ripple::testing

#define RIPPLE_SKIP(reason)                  \
  do {                                       \
    ::ripple::testing::note_skip(reason);    \
    return;                                  \
  } while (false)
