#include "rules/lock_graph.h"

#include <set>

namespace ripple::rules {

std::map<RepoPath, std::string> lock_trees(
    const std::vector<LockPackage>& graph,
    const std::vector<std::pair<RepoPath, std::string>>& packages) {
  std::multimap<std::string, std::size_t> workspace_by_name;
  for (std::size_t i = 0; i < graph.size(); ++i) {
    if (graph[i].workspace) {
      workspace_by_name.emplace(graph[i].name, i);
    }
  }
  std::map<RepoPath, std::string> out;
  for (const auto& [dir, name] : packages) {
    std::set<std::string> lines;
    std::set<std::size_t> seen;
    std::vector<std::size_t> stack;
    if (auto root = workspace_by_name.find(name); root != workspace_by_name.end()) {
      seen.insert(root->second);
      stack.push_back(root->second);
    }
    while (!stack.empty()) {
      const std::size_t i = stack.back();
      stack.pop_back();
      for (const auto& [target, written] : graph[i].deps) {
        if (!target) {
          lines.insert("? " + written);  // a lockfile that names what it does not list
          continue;
        }
        if (!seen.insert(*target).second) {
          continue;
        }
        const LockPackage& p = graph[*target];
        if (p.workspace) {
          lines.insert(p.name + " (workspace)");
          continue;
        }
        lines.insert(p.line);
        stack.push_back(*target);
      }
    }
    std::string text;
    for (const std::string& line : lines) {
      text += line + "\n";
    }
    out.emplace(dir, std::move(text));
  }
  return out;
}

}  // namespace ripple::rules
