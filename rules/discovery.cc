#include "rules/discovery.h"

#include <algorithm>

#include "graph/support/text.h"

namespace ripple::rules {

const std::vector<std::string>& known_rules() {
  static const std::vector<std::string> kRules = {"compose", "dockerfile", "skaffold", "node",
                                                  "go",      "cargo",      "python"};
  return kRules;
}

namespace {

Status check_known(const graph::LocatedString& item) {
  const auto& known = known_rules();
  if (std::find(known.begin(), known.end(), item.value) == known.end()) {
    return input_error(at(item.pos, "unknown discovery rule '" + item.value + "'" +
                                        did_you_mean(item.value, known) +
                                        "; known rules: " + join(known, ", ")));
  }
  return {};
}

}  // namespace

Result<std::vector<std::string>> enabled_rules(const graph::RootConfig& config) {
  if (!config.discover) {
    return known_rules();
  }
  std::vector<std::string> out;
  for (const auto& item : *config.discover) {
    if (auto st = check_known(item); !st) {
      return tl::unexpected(st.error());
    }
    if (std::find(out.begin(), out.end(), item.value) == out.end()) {
      out.push_back(item.value);
    }
  }
  return out;
}

Status check_service_rules(const graph::ServiceConfig& config) {
  if (config.discover) {
    for (const auto& item : *config.discover) {
      if (auto st = check_known(item); !st) {
        return st;
      }
    }
  }
  return {};
}

bool rule_applies(const std::optional<graph::LocatedStrings>& rules, const std::string& rule) {
  return !rules || std::any_of(rules->begin(), rules->end(),
                               [&](const graph::LocatedString& r) { return r.value == rule; });
}

}  // namespace ripple::rules
