#pragma once

// Which ref `affected` compares against, first that applies (issue 3, DESIGN.md §4):
//   1. --base REF
//   2. CI: GITHUB_BASE_REF (a pull request's target branch) → origin/<it>;
//          CI_MERGE_REQUEST_DIFF_BASE_SHA (GitLab merge requests) → that commit
//   3. `base:` in ripple.yaml
//   4. the first that exists of origin/HEAD, origin/main, origin/master, main, master
// A ref chosen by 1–3 is used as given, so a missing one is reported as missing rather than
// silently replaced by a guess.

#include <functional>
#include <optional>
#include <string>

#include "graph/support/error.h"
#include "orchestrator/vcs.h"

namespace ripple {

using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;

struct BaseChoice {
  std::string ref;
  std::string source;  // "--base", "GITHUB_BASE_REF", "ripple.yaml", "default branch", ...
};

// An environment error when nothing was named and no default branch exists.
Result<BaseChoice> choose_base(const std::optional<std::string>& cli_base, const EnvLookup& env,
                               const std::optional<std::string>& config_base, const Vcs& vcs);

}  // namespace ripple
