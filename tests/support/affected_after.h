#pragma once

// The inference e2e tests' question: what does one committed change affect? Test code (Catch).

#include <catch2/catch.hpp>
#include <string>

#include "tests/support/git_repo.h"

namespace ripple::testing {

// On a branch `feature` made afresh from `main`, commits `content` to `file` and returns what
// `ripple affected --base main --explain` prints (which must succeed).
inline std::string affected_after(const GitRepo& repo, const std::string& file,
                                  const std::string& content) {
  repo.git("checkout -q main");
  repo.git("checkout -q -B feature");
  repo.write(file, content);
  repo.commit("change " + file);
  auto r = repo.ripple("affected --base main --explain");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return r.out;
}

}  // namespace ripple::testing
