#include "rules/discovery.h"

#include <algorithm>

#include "graph/support/text.h"

namespace ripple::rules {

const std::vector<std::string>& known_rules() {
  static const std::vector<std::string> kRules = {"compose", "dockerfile", "skaffold", "node",
                                                  "go",      "cargo",      "python"};
  return kRules;
}

Result<std::vector<std::string>> enabled_rules(const graph::RootConfig& config) {
  if (!config.discover) {
    return known_rules();
  }
  std::vector<std::string> out;
  for (const auto& item : *config.discover) {
    const auto& known = known_rules();
    if (std::find(known.begin(), known.end(), item.value) == known.end()) {
      return input_error(at(item.pos, "unknown discovery rule '" + item.value + "'" +
                                          did_you_mean(item.value, known) +
                                          "; known rules: " + join(known, ", ")));
    }
    if (std::find(out.begin(), out.end(), item.value) == out.end()) {
      out.push_back(item.value);
    }
  }
  return out;
}

}  // namespace ripple::rules
