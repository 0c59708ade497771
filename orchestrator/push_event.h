#pragma once

// The commit a CI push build replaced (its "before"), for choose_base (base_ref.h):
//   GitHub Actions: when GITHUB_EVENT_NAME is `push`, the string `before` of the JSON event file
//                   that GITHUB_EVENT_PATH names (read through `fs`, so tests hand in a fake);
//   GitLab CI:      CI_COMMIT_BEFORE_SHA, when set and not empty.
// GitHub first: a job has only one of them in practice.
//
// A `before` of all zeros means the push had no previous head: a new branch (or tag); on GitLab
// also a merge request, scheduled or manual pipeline. It is returned as is (no_previous()), so
// the caller can say why it fell back.
//
// A push build whose event cannot be read is an environment error naming the file and the way
// out, not a silent fall back to the default branch: on the default branch itself that fallback
// would answer "nothing changed" for every push.

#include <optional>
#include <string>

#include "graph/support/error.h"
#include "orchestrator/platform/env_lookup.h"
#include "orchestrator/platform/filesystem.h"

namespace ripple {

struct PushBefore {
  enum class From { github_event, gitlab_variable };

  std::string commit;  // a full hex commit id (40, or 64 for SHA-256 repositories)
  From from = From::github_event;

  // "GITHUB_EVENT_PATH" or "CI_COMMIT_BEFORE_SHA": where the commit was read, for messages.
  std::string source() const;

  // All zeros: the push created the branch, there is no previous head to compare against.
  bool no_previous() const;
};

// Nothing when this is not a push build. Environment errors: GITHUB_EVENT_NAME is push and
// GITHUB_EVENT_PATH is unset, or its file cannot be read, is not JSON, or has no `before` commit
// id; CI_COMMIT_BEFORE_SHA is not a commit id.
Result<std::optional<PushBefore>> find_push_before(const EnvLookup& env, const Filesystem& fs);

}  // namespace ripple
