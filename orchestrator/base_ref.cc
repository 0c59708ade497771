#include "orchestrator/base_ref.h"

namespace ripple {

Result<BaseChoice> choose_base(const std::optional<std::string>& cli_base, const EnvLookup& env,
                               const std::optional<std::string>& config_base, const Vcs& vcs) {
  if (cli_base && !cli_base->empty()) {
    return BaseChoice{*cli_base, "--base"};
  }
  if (auto v = env("GITHUB_BASE_REF"); v && !v->empty()) {
    return BaseChoice{"origin/" + *v, "GITHUB_BASE_REF"};
  }
  if (auto v = env("CI_MERGE_REQUEST_DIFF_BASE_SHA"); v && !v->empty()) {
    return BaseChoice{*v, "CI_MERGE_REQUEST_DIFF_BASE_SHA"};
  }
  if (config_base && !config_base->empty()) {
    return BaseChoice{*config_base, "ripple.yaml"};
  }
  for (const char* candidate : {"origin/HEAD", "origin/main", "origin/master", "main", "master"}) {
    if (vcs.ref_exists(candidate)) {
      return BaseChoice{candidate, "default branch"};
    }
  }
  return environment_error(
      "no base to compare against: none of origin/HEAD, origin/main, origin/master, main, master "
      "exists; pass --base REF or set 'base:' in ripple.yaml");
}

}  // namespace ripple
