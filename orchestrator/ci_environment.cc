#include "orchestrator/ci_environment.h"

namespace ripple {

CiKind detect_ci(const EnvLookup& env) {
  if (env("GITHUB_ACTIONS").value_or("") == "true") {
    return CiKind::github;
  }
  if (env("GITLAB_CI").value_or("") == "true") {
    return CiKind::gitlab;
  }
  return env("CI").has_value() ? CiKind::generic : CiKind::none;
}

bool change_request_run(const EnvLookup& env) {
  return env("GITHUB_EVENT_NAME").value_or("").starts_with("pull_request") ||
         !env("CI_MERGE_REQUEST_IID").value_or("").empty();
}

}  // namespace ripple
