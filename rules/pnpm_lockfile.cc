#include "rules/pnpm_lockfile.h"

#include <yaml-cpp/yaml.h>

#include <deque>
#include <set>

namespace ripple::rules {
namespace {

constexpr const char* kDependencyKinds[] = {"dependencies", "devDependencies",
                                            "optionalDependencies"};

std::string scalar(const YAML::Node& node) {
  return node && node.IsScalar() ? node.Scalar() : std::string();
}

// "18.2.0(react@18.2.0)" → "18.2.0": the peer suffix pnpm 9 adds to a snapshot's id.
std::string without_peers(const std::string& id) { return id.substr(0, id.find('(')); }

class Lockfile {
 public:
  explicit Lockfile(const YAML::Node& doc)
      : packages_(doc["packages"]), snapshots_(doc["snapshots"]) {}

  // The tree of an importer (its dependency maps), as sorted lines.
  std::set<std::string> tree_of(const YAML::Node& importer) const {
    std::set<std::string> out;
    std::deque<std::pair<std::string, std::string>> queue;  // name, version as written
    std::set<std::string> seen;
    auto add_deps = [&](const YAML::Node& entry) {
      for (const char* kind : kDependencyKinds) {
        const YAML::Node& deps = entry[kind];
        if (!deps || !deps.IsMap()) {
          continue;
        }
        for (const auto& dep : deps) {
          // An importer says {specifier, version} (6, 9) or the version (5.4); a package, the
          // version.
          const YAML::Node& value = dep.second;
          std::string version = value.IsMap() ? scalar(value["version"]) : scalar(value);
          queue.emplace_back(scalar(dep.first), version);
        }
      }
    };
    add_deps(importer);
    while (!queue.empty()) {
      auto [name, version] = queue.front();
      queue.pop_front();
      if (version.rfind("link:", 0) == 0) {
        out.insert(name + " -> " + version);
        continue;
      }
      std::string id;
      const YAML::Node entry = find(name, version, id);
      if (!entry.IsMap()) {
        out.insert(name + " " + version + " missing");
        continue;
      }
      out.insert(name + " " + id + " " + integrity(id));
      if (seen.insert(id).second) {
        add_deps(entry);
      }
    }
    return out;
  }

 private:
  // The snapshot (9) or package (5.4, 6) entry of `name` at `version`, and its id; a null node
  // when there is none. Returned by value: assigning a YAML::Node would write into the document.
  YAML::Node find(const std::string& name, const std::string& version, std::string& id) const {
    std::vector<std::string> ids;
    if (!version.empty() && version[0] == '/') {
      ids.push_back(version);  // 5.4 and 6 may give the whole id
    }
    ids.push_back(name + "@" + version);        // 9 (an alias: the version is name@version)
    ids.push_back(version);                     // 9, an aliased dependency
    ids.push_back("/" + name + "@" + version);  // 6
    ids.push_back("/" + name + "/" + version);  // 5.4
    for (const std::string& candidate : ids) {
      for (const YAML::Node* map : {&snapshots_, &packages_}) {
        if (!*map || !map->IsMap()) {
          continue;
        }
        if (const YAML::Node& e = (*map)[candidate]; e && e.IsMap()) {
          id = candidate;
          return e;
        }
      }
    }
    return YAML::Node(YAML::NodeType::Null);
  }

  std::string integrity(const std::string& id) const {
    for (const std::string& key : {id, without_peers(id)}) {
      if (packages_ && packages_.IsMap()) {
        if (const YAML::Node& e = packages_[key]; e && e.IsMap()) {
          const YAML::Node& resolution = e["resolution"];
          if (resolution && resolution.IsMap()) {
            std::string out = scalar(resolution["integrity"]);
            return out.empty() ? scalar(resolution["tarball"]) + scalar(resolution["commit"]) : out;
          }
        }
      }
    }
    return std::string();
  }

  const YAML::Node packages_;
  const YAML::Node snapshots_;
};

}  // namespace

std::optional<std::map<RepoPath, std::string>> pnpm_lock_trees(
    std::string_view text, const std::vector<RepoPath>& package_dirs) {
  YAML::Node doc;
  try {
    doc = YAML::Load(std::string(text));
  } catch (const YAML::Exception&) {
    return std::nullopt;
  }
  const YAML::Node& root = doc;  // const: a missing key is looked up, never added
  if (!root.IsMap() || !root["importers"] || !root["importers"].IsMap()) {
    return std::nullopt;
  }
  const YAML::Node& importers = root["importers"];
  const Lockfile lockfile(root);
  std::map<RepoPath, std::string> out;
  for (const RepoPath& dir : package_dirs) {
    const std::string key = dir.str().empty() ? "." : dir.str();
    std::string lines;
    if (const YAML::Node& importer = importers[key]; importer && importer.IsMap()) {
      for (const std::string& line : lockfile.tree_of(importer)) {
        lines += line;
        lines += '\n';
      }
    }
    out[dir] = std::move(lines);
  }
  return out;
}

}  // namespace ripple::rules
