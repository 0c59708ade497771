#pragma once

// Which CI system ripple runs under, from its environment variables: each has its own way to
// fold logs (GitHub's ::group::, GitLab's section_start) and to annotate a failure.
//
//   GITHUB_ACTIONS=true → github;  GITLAB_CI=true → gitlab;  CI set (any value) → generic;
//   otherwise none (a developer's machine).

#include "orchestrator/base_ref.h"

namespace ripple {

enum class CiKind { none, generic, github, gitlab };

CiKind detect_ci(const EnvLookup& env);

// Whether this is a run for a pull or merge request (GitHub: GITHUB_EVENT_NAME pull_request or
// pull_request_target; GitLab: CI_MERGE_REQUEST_IID set), whose code nobody trusted yet: a
// shared cache is only read there unless asked otherwise (docs/remote-cache.md).
bool change_request_run(const EnvLookup& env);

}  // namespace ripple
