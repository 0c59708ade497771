#include "rules/node_lockfile.h"

#include <deque>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

namespace ripple::rules {
namespace {

using Json = nlohmann::json;

constexpr const char* kDependencyKinds[] = {"dependencies", "devDependencies",
                                            "optionalDependencies", "peerDependencies"};

// The lockfile location Node would load `name` from, looked up from location `from`.
const Json* resolve(const Json& packages, const std::string& from, const std::string& name,
                    std::string& location) {
  std::string dir = from;
  while (true) {
    const std::string last =
        dir.substr(dir.rfind('/') == std::string::npos ? 0 : dir.rfind('/') + 1);
    if (last != "node_modules") {
      location = (dir.empty() ? "" : dir + "/") + "node_modules/" + name;
      if (auto it = packages.find(location); it != packages.end() && it->is_object()) {
        return &*it;
      }
    }
    if (dir.empty()) {
      return nullptr;
    }
    const std::size_t slash = dir.rfind('/');
    dir = slash == std::string::npos ? "" : dir.substr(0, slash);
  }
}

std::string text_of(const Json& entry, const char* key) {
  auto it = entry.find(key);
  return it != entry.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The installed tree of the package at `dir`, as a set of lines; empty when the lockfile has no
// entry for it.
std::set<std::string> tree_of(const Json& packages, const std::string& dir) {
  std::set<std::string> out;
  auto root = packages.find(dir);
  if (root == packages.end() || !root->is_object()) {
    return out;
  }
  std::deque<std::pair<std::string, const Json*>> queue{{dir, &*root}};
  std::set<std::string> seen{dir};
  while (!queue.empty()) {
    auto [from, entry] = queue.front();
    queue.pop_front();
    for (const char* kind : kDependencyKinds) {
      auto deps = entry->find(kind);
      if (deps == entry->end() || !deps->is_object()) {
        continue;
      }
      for (const auto& [name, spec] : deps->items()) {
        std::string location;
        const Json* found = resolve(packages, from, name, location);
        if (found == nullptr) {
          out.insert(name + " missing");  // an optional or peer dependency not installed
          continue;
        }
        if (found->value("link", false)) {
          out.insert(name + " -> " + text_of(*found, "resolved"));
          continue;
        }
        out.insert(name + " " + location + " " + text_of(*found, "version") + " " +
                   text_of(*found, "integrity") + " " + text_of(*found, "resolved"));
        if (seen.insert(location).second) {
          queue.emplace_back(location, found);
        }
      }
    }
  }
  return out;
}

// The "packages" map of a lockfile, or nothing for a side that does not exist; `ok` turns false
// when the side exists but is not a lockfile read here.
std::optional<Json> packages_of(const std::optional<std::string_view>& text, bool& ok) {
  if (!text) {
    return std::nullopt;
  }
  Json doc = Json::parse(*text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("packages") ||
      !doc["packages"].is_object()) {
    ok = false;
    return std::nullopt;
  }
  return std::move(doc["packages"]);
}

}  // namespace

std::optional<std::map<RepoPath, std::string>> npm_lock_trees(
    std::string_view text, const std::vector<RepoPath>& package_dirs) {
  bool ok = true;
  const std::optional<Json> packages = packages_of(text, ok);
  if (!ok) {
    return std::nullopt;
  }
  std::map<RepoPath, std::string> out;
  for (const RepoPath& dir : package_dirs) {
    std::string lines;
    for (const std::string& line : tree_of(*packages, dir.str())) {
      lines += line;
      lines += '\n';
    }
    out[dir] = std::move(lines);
  }
  return out;
}

std::optional<std::vector<RepoPath>> npm_lock_changed_packages(
    const std::optional<std::string_view>& before, const std::optional<std::string_view>& after,
    const std::vector<RepoPath>& package_dirs) {
  bool ok = true;
  const std::optional<Json> old_packages = packages_of(before, ok);
  const std::optional<Json> new_packages = packages_of(after, ok);
  if (!ok) {
    return std::nullopt;
  }
  const Json empty = Json::object();
  std::vector<RepoPath> changed;
  for (const RepoPath& dir : package_dirs) {
    if (tree_of(old_packages ? *old_packages : empty, dir.str()) !=
        tree_of(new_packages ? *new_packages : empty, dir.str())) {
      changed.push_back(dir);
    }
  }
  return changed;
}

}  // namespace ripple::rules
