#pragma once

// Which ref `affected` compares against, first that applies (issues 3 and 12, DESIGN.md §4):
//   1. --base REF
//   2. a pull or merge request's target:
//        GITHUB_BASE_REF (GitHub pull requests) → origin/<it>;
//        CI_MERGE_REQUEST_DIFF_BASE_SHA (GitLab merge requests) → that commit
//   3. a push's previous head (push_event.h): GitHub's `before` when GITHUB_EVENT_NAME is push,
//      GitLab's CI_COMMIT_BEFORE_SHA → that commit. merge-base(before, HEAD) is `before` itself
//      for a fast-forward push and the fork point for a force push; both are what the push
//      changed. A `before` of all zeros (a new branch) falls through to 4 and 5, and the source
//      says so: "default branch (new branch: push has no before)".
//   4. `base:` in ripple.yaml
//   5. the first that exists of origin/HEAD, origin/main, origin/master, main, master
// A ref chosen by 1–4 is used as given, so a missing one is reported as missing (by Vcs::changes,
// with its fetch hints) rather than silently replaced by a guess.

#include <optional>
#include <string>

#include "graph/support/error.h"
#include "orchestrator/inputs/vcs.h"
#include "orchestrator/platform/env_lookup.h"
#include "orchestrator/platform/filesystem.h"

namespace ripple {

struct BaseChoice {
  std::string ref;
  // Where it came from, for messages: "--base", "GITHUB_BASE_REF", "GITHUB_EVENT_PATH",
  // "CI_COMMIT_BEFORE_SHA", "ripple.yaml", "default branch", ...
  std::string source;
};

// `fs` reads the file GITHUB_EVENT_PATH names, and nothing else. Environment errors: a GitHub
// push event that cannot be read (push_event.h); nothing was named and no default branch exists.
Result<BaseChoice> choose_base(const std::optional<std::string>& cli_base, const EnvLookup& env,
                               const Filesystem& fs, const std::optional<std::string>& config_base,
                               const Vcs& vcs);

}  // namespace ripple
