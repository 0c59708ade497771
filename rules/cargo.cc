#include "rules/cargo.h"

#include <array>
#include <set>

#include "graph/names.h"
#include "rules/lock_graph.h"
#include "rules/toml_doc.h"

namespace ripple::rules {
namespace {

const std::string kManifest = "Cargo.toml";

// The dependency tables of a manifest (Cargo still reads the older underscore spellings).
constexpr std::array kDependencyTables = {"dependencies", "dev-dependencies", "dev_dependencies",
                                          "build-dependencies", "build_dependencies"};

std::string strip_dir(std::string glob) {
  while (glob.starts_with("./")) {
    glob = glob.substr(2);
  }
  while (glob.size() > 1 && glob.ends_with('/')) {
    glob.pop_back();
  }
  return glob == "." ? std::string() : glob;
}

Result<std::vector<Located<std::string>>> dir_list(const toml::table& ws, std::string_view key,
                                                   const std::string& file) {
  std::vector<Located<std::string>> out;
  const toml::node* node = ws.get(key);
  if (node == nullptr) {
    return out;
  }
  const toml::array* list = node->as_array();
  if (list == nullptr) {
    return input_error(at(pos_of(node->source(), file),
                          "'workspace." + std::string(key) + "' must be a list of directories"));
  }
  for (const toml::node& item : *list) {
    auto text = string_of(&item);
    if (!text) {
      return input_error(at(pos_of(item.source(), file),
                            "'workspace." + std::string(key) + "' entries must be directories"));
    }
    out.push_back({strip_dir(*text), pos_of(item.source(), file)});
  }
  return out;
}

// The crate an entry names: its `package` when it renames, else its key.
std::string crate_of(const toml::table& entry, const std::string& key) {
  return string_of(entry.get("package")).value_or(key);
}

void add_edges(const toml::table& deps, const std::string& file, const RepoPath& dir,
               const std::map<std::string, std::string>& local_deps, InferredService& out) {
  for (const auto& [key, value] : deps) {
    const toml::table* entry = value.as_table();
    if (entry == nullptr) {
      continue;  // `name = "1.0"`: from a registry
    }
    const std::string name(key.str());
    std::optional<std::string> target;
    if (auto path = string_of(entry->get("path"))) {
      // A path that leaves the repository is no crate of the workspace.
      if (RepoPath::parse(dir.is_root() ? *path : dir.str() + "/" + *path)) {
        target = crate_of(*entry, name);
      }
    } else if (const toml::node* inherit = entry->get("workspace");
               inherit != nullptr && inherit->value_or(false)) {
      if (auto it = local_deps.find(name); it != local_deps.end()) {
        target = it->second;
      }
    }
    if (target) {
      out.edges.push_back(InferredEdge{*target, {pos_of(key.source(), file), kCargoRule}});
    }
  }
}

}  // namespace

Result<std::optional<CargoWorkspace>> cargo_workspace(std::string_view text) {
  auto doc = parse_toml(text, kManifest, kCargoRule);
  if (!doc) {
    return tl::unexpected(doc.error());
  }
  const toml::table* ws = doc->get_as<toml::table>("workspace");
  if (ws == nullptr) {
    return std::optional<CargoWorkspace>();
  }
  CargoWorkspace out;
  auto members = dir_list(*ws, "members", kManifest);
  if (!members) {
    return tl::unexpected(members.error());
  }
  auto exclude = dir_list(*ws, "exclude", kManifest);
  if (!exclude) {
    return tl::unexpected(exclude.error());
  }
  out.members = std::move(*members);
  out.exclude = std::move(*exclude);
  out.root_package = doc->get_as<toml::table>("package") != nullptr;
  if (const toml::table* deps = ws->get_as<toml::table>("dependencies")) {
    for (const auto& [key, value] : *deps) {
      const toml::table* entry = value.as_table();
      if (entry != nullptr && string_of(entry->get("path"))) {
        out.local_deps.emplace(std::string(key.str()), crate_of(*entry, std::string(key.str())));
      }
    }
  }
  return std::optional(std::move(out));
}

Result<std::optional<InferredService>> cargo_crate(
    std::string_view text, const std::string& file, const RepoPath& dir,
    const std::map<std::string, std::string>& local_deps) {
  auto doc = parse_toml(text, file, kCargoRule);
  if (!doc) {
    return tl::unexpected(doc.error());
  }
  const toml::table* package = doc->get_as<toml::table>("package");
  if (package == nullptr) {
    return std::optional<InferredService>();
  }
  auto name_it = package->find("name");
  if (name_it == package->end()) {
    return std::optional<InferredService>();
  }
  const SourcePos name_pos = pos_of(name_it->first.source(), file);
  auto name = string_of(&name_it->second);
  if (!name || name->empty()) {
    return input_error(at(name_pos, "'package.name' must be the crate's name (a string)"));
  }
  if (auto problem = graph::service_name_problem(*name)) {
    return input_error(at(name_pos, "a workspace crate's name is its service's name: " + *problem));
  }
  InferredService service{*name, dir, {name_pos, kCargoRule}, {}, {}};
  auto add_tables = [&](const toml::table& from) {
    for (const char* kind : kDependencyTables) {
      if (const toml::table* deps = from.get_as<toml::table>(kind)) {
        add_edges(*deps, file, dir, local_deps, service);
      }
    }
  };
  add_tables(*doc);
  if (const toml::table* targets = doc->get_as<toml::table>("target")) {
    for (const auto& [platform, tables] : *targets) {
      if (const toml::table* t = tables.as_table()) {
        add_tables(*t);
      }
    }
  }
  return std::optional(std::move(service));
}

std::optional<std::map<RepoPath, std::string>> cargo_lock_trees(
    std::string_view lock_text, const std::vector<std::pair<RepoPath, std::string>>& crates) {
  auto doc = parse_toml(lock_text, "Cargo.lock", kCargoRule);
  if (!doc) {
    return std::nullopt;
  }
  const toml::array* packages = doc->get_as<toml::array>("package");
  if (packages == nullptr) {
    return std::nullopt;
  }
  struct Package {
    std::string name, version, source, checksum;
    std::vector<std::string> deps;
  };
  std::vector<Package> all;
  std::multimap<std::string, std::size_t> by_name;
  const toml::table* metadata = doc->get_as<toml::table>("metadata");
  for (const toml::node& node : *packages) {
    const toml::table* t = node.as_table();
    if (t == nullptr) {
      return std::nullopt;
    }
    Package p;
    p.name = string_of(t->get("name")).value_or("");
    p.version = string_of(t->get("version")).value_or("");
    p.source = string_of(t->get("source")).value_or("");
    p.checksum = string_of(t->get("checksum")).value_or("");
    if (p.checksum.empty() && metadata != nullptr && !p.source.empty()) {
      // Version 1 kept checksums apart: [metadata] "checksum NAME VERSION (SOURCE)" = "...".
      p.checksum =
          string_of(metadata->get("checksum " + p.name + " " + p.version + " (" + p.source + ")"))
              .value_or("");
    }
    if (const toml::array* deps = t->get_as<toml::array>("dependencies")) {
      for (const toml::node& d : *deps) {
        if (auto s = string_of(&d)) {
          p.deps.push_back(*s);
        }
      }
    }
    by_name.emplace(p.name, all.size());
    all.push_back(std::move(p));
  }
  // A dependency is written "name", "name version" or "name version (source)": as much as
  // tells the lockfile's packages apart.
  auto resolve = [&](const std::string& dep) -> std::optional<std::size_t> {
    const std::size_t space = dep.find(' ');
    const std::string name = dep.substr(0, space);
    std::string version, source;
    if (space != std::string::npos) {
      const std::string rest = dep.substr(space + 1);
      const std::size_t paren = rest.find(" (");
      version = rest.substr(0, paren);
      if (paren != std::string::npos && rest.ends_with(')')) {
        source = rest.substr(paren + 2, rest.size() - paren - 3);
      }
    }
    auto [lo, hi] = by_name.equal_range(name);
    for (auto it = lo; it != hi; ++it) {
      const Package& p = all[it->second];
      if ((version.empty() || p.version == version) && (source.empty() || p.source == source)) {
        return it->second;
      }
    }
    return std::nullopt;
  };
  std::set<std::string> workspace_names;
  for (const auto& crate : crates) {
    workspace_names.insert(crate.second);
  }
  std::vector<LockPackage> graph;
  for (const Package& p : all) {
    LockPackage node{p.name,
                     p.name + " " + p.version + " " + p.source + " " + p.checksum,
                     p.source.empty() && workspace_names.contains(p.name),
                     {}};
    for (const std::string& dep : p.deps) {
      node.deps.emplace_back(resolve(dep), dep);
    }
    graph.push_back(std::move(node));
  }
  return lock_trees(graph, crates);
}

}  // namespace ripple::rules
