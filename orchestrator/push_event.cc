#include "orchestrator/push_event.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace ripple {
namespace {

bool is_commit_id(const std::string& s) {
  return (s.size() == 40 || s.size() == 64) && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
         });
}

Result<PushBefore> github_push_before(const EnvLookup& env, const Filesystem& fs) {
  auto path = env("GITHUB_EVENT_PATH");
  if (!path || path->empty()) {
    return environment_error(
        "GITHUB_EVENT_NAME is push but GITHUB_EVENT_PATH is not set, so the commit before the "
        "push is unknown; pass --base REF");
  }
  const std::string way_out = "; pass --base REF to choose the base yourself";
  auto text = fs.read_file(*path);
  if (!text) {
    return environment_error("GITHUB_EVENT_PATH: " + text.error().message + way_out);
  }
  // nlohmann-json reports malformed input by exception unless asked not to: parse with
  // allow_exceptions = false and look for the discarded value instead.
  auto doc = nlohmann::json::parse(*text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    return environment_error(*path + " (GITHUB_EVENT_PATH): not a JSON object" + way_out);
  }
  auto before = doc.find("before");
  if (before == doc.end() || !before->is_string() || !is_commit_id(before->get<std::string>())) {
    return environment_error(*path +
                             " (GITHUB_EVENT_PATH): a push event without a commit id in "
                             "'before'" +
                             way_out);
  }
  return PushBefore{before->get<std::string>(), PushBefore::From::github_event};
}

}  // namespace

std::string PushBefore::source() const {
  return from == From::github_event ? "GITHUB_EVENT_PATH" : "CI_COMMIT_BEFORE_SHA";
}

bool PushBefore::no_previous() const {
  return std::all_of(commit.begin(), commit.end(), [](char c) { return c == '0'; });
}

Result<std::optional<PushBefore>> find_push_before(const EnvLookup& env, const Filesystem& fs) {
  if (env("GITHUB_EVENT_NAME") == std::optional<std::string>("push")) {
    return github_push_before(env, fs);
  }
  if (auto sha = env("CI_COMMIT_BEFORE_SHA"); sha && !sha->empty()) {
    if (!is_commit_id(*sha)) {
      return environment_error("CI_COMMIT_BEFORE_SHA is '" + *sha +
                               "', not a commit id; pass --base REF to choose the base yourself");
    }
    return PushBefore{*sha, PushBefore::From::gitlab_variable};
  }
  return std::nullopt;
}

}  // namespace ripple
