#include "orchestrator/base_ref.h"

#include "orchestrator/push_event.h"

namespace ripple {

Result<BaseChoice> choose_base(const std::optional<std::string>& cli_base, const EnvLookup& env,
                               const Filesystem& fs, const std::optional<std::string>& config_base,
                               const Vcs& vcs) {
  if (cli_base && !cli_base->empty()) {
    return BaseChoice{*cli_base, "--base"};
  }
  if (auto v = env("GITHUB_BASE_REF"); v && !v->empty()) {
    return BaseChoice{"origin/" + *v, "GITHUB_BASE_REF"};
  }
  if (auto v = env("CI_MERGE_REQUEST_DIFF_BASE_SHA"); v && !v->empty()) {
    return BaseChoice{*v, "CI_MERGE_REQUEST_DIFF_BASE_SHA"};
  }
  auto push = find_push_before(env, fs);
  if (!push) {
    return tl::unexpected(push.error());
  }
  // Said after the source of a fallback, so the header line tells why the push's own previous
  // head was not used.
  std::string note;
  if (*push) {
    if (!(*push)->no_previous()) {
      return BaseChoice{(*push)->commit, (*push)->source()};
    }
    note = (*push)->from == PushBefore::From::github_event
               ? " (new branch: push has no before)"
               : " (CI_COMMIT_BEFORE_SHA is all zeros: a new branch, or not a push)";
  }
  if (config_base && !config_base->empty()) {
    return BaseChoice{*config_base, "ripple.yaml" + note};
  }
  for (const char* candidate : {"origin/HEAD", "origin/main", "origin/master", "main", "master"}) {
    if (vcs.ref_exists(candidate)) {
      return BaseChoice{candidate, "default branch" + note};
    }
  }
  return environment_error(
      "no base to compare against: none of origin/HEAD, origin/main, origin/master, main, master "
      "exists; pass --base REF or set 'base:' in ripple.yaml");
}

}  // namespace ripple
