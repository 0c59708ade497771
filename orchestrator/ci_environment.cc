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

}  // namespace ripple
