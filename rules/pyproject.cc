#include "rules/pyproject.h"

#include <set>

#include "graph/names.h"
#include "rules/lock_graph.h"
#include "rules/toml_doc.h"

namespace ripple::rules {
namespace {

const std::string kManifest = "pyproject.toml";

std::string strip_dir(std::string glob) {
  while (glob.starts_with("./")) {
    glob = glob.substr(2);
  }
  while (glob.size() > 1 && glob.ends_with('/')) {
    glob.pop_back();
  }
  return glob == "." ? std::string() : glob;
}

Result<std::vector<Located<std::string>>> dir_list(const toml::table& ws, std::string_view key) {
  std::vector<Located<std::string>> out;
  const toml::node* node = ws.get(key);
  if (node == nullptr) {
    return out;
  }
  const std::string what = "'tool.uv.workspace." + std::string(key) + "'";
  const toml::array* list = node->as_array();
  if (list == nullptr) {
    return input_error(at(pos_of(node->source(), kManifest), what + " must be a list of globs"));
  }
  for (const toml::node& item : *list) {
    auto text = string_of(&item);
    if (!text) {
      return input_error(
          at(pos_of(item.source(), kManifest), what + " entries must be directory globs"));
    }
    out.push_back({strip_dir(*text), pos_of(item.source(), kManifest)});
  }
  return out;
}

const toml::table* table_at(const toml::table& doc, std::string_view dotted) {
  return doc.at_path(dotted).as_table();
}

bool inside_repo(const RepoPath& dir, const std::string& path) {
  return static_cast<bool>(RepoPath::parse(dir.is_root() ? path : dir.str() + "/" + path));
}

void add_path_edges(const toml::table* deps, const std::string& file, const RepoPath& dir,
                    bool workspace_too, InferredService& out) {
  if (deps == nullptr) {
    return;
  }
  for (const auto& [key, value] : *deps) {
    const toml::table* entry = value.as_table();
    if (entry == nullptr) {
      continue;  // a version
    }
    auto path = string_of(entry->get("path"));
    const toml::node* ws = entry->get("workspace");
    const bool local = (path && inside_repo(dir, *path)) ||
                       (workspace_too && ws != nullptr && ws->value_or(false));
    if (local) {
      out.edges.push_back(
          InferredEdge{python_name(key.str()), {pos_of(key.source(), file), kPythonRule}});
    }
  }
}

}  // namespace

std::string python_name(std::string_view name) {
  std::string out;
  bool in_run = false;
  for (char c : name) {
    if (c == '-' || c == '_' || c == '.') {
      if (!in_run) {
        out += '-';
      }
      in_run = true;
      continue;
    }
    in_run = false;
    out += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  }
  return out;
}

Result<std::optional<UvWorkspace>> uv_workspace(std::string_view text) {
  auto doc = parse_toml(text, kManifest, kPythonRule);
  if (!doc) {
    return tl::unexpected(doc.error());
  }
  const toml::table* ws = table_at(*doc, "tool.uv.workspace");
  if (ws == nullptr) {
    return std::optional<UvWorkspace>();
  }
  UvWorkspace out;
  auto members = dir_list(*ws, "members");
  if (!members) {
    return tl::unexpected(members.error());
  }
  auto exclude = dir_list(*ws, "exclude");
  if (!exclude) {
    return tl::unexpected(exclude.error());
  }
  out.members = std::move(*members);
  out.exclude = std::move(*exclude);
  out.root_project = doc->get_as<toml::table>("project") != nullptr;
  return std::optional(std::move(out));
}

Result<std::optional<InferredService>> python_project(std::string_view text,
                                                      const std::string& file,
                                                      const RepoPath& dir) {
  auto doc = parse_toml(text, file, kPythonRule);
  if (!doc) {
    return tl::unexpected(doc.error());
  }
  const toml::table* named = table_at(*doc, "project");
  const std::string where = named != nullptr ? "project" : "tool.poetry";
  if (named == nullptr || !named->contains("name")) {
    named = table_at(*doc, "tool.poetry");
  }
  if (named == nullptr || !named->contains("name")) {
    return std::optional<InferredService>();
  }
  auto name_it = named->find("name");
  const SourcePos name_pos = pos_of(name_it->first.source(), file);
  auto name = string_of(&name_it->second);
  if (!name || name->empty()) {
    return input_error(at(name_pos, "'" + where + ".name' must be the project's name (a string)"));
  }
  const std::string service_name = python_name(*name);
  if (auto problem = graph::service_name_problem(service_name)) {
    return input_error(
        at(name_pos, "a workspace project's name is its service's name: " + *problem));
  }
  InferredService service{service_name, dir, {name_pos, kPythonRule}, {}, {}};
  add_path_edges(table_at(*doc, "tool.uv.sources"), file, dir, true, service);
  add_path_edges(table_at(*doc, "tool.poetry.dependencies"), file, dir, false, service);
  add_path_edges(table_at(*doc, "tool.poetry.dev-dependencies"), file, dir, false, service);
  if (const toml::table* groups = table_at(*doc, "tool.poetry.group")) {
    for (const auto& [group, body] : *groups) {
      if (const toml::table* g = body.as_table()) {
        add_path_edges(g->get_as<toml::table>("dependencies"), file, dir, false, service);
      }
    }
  }
  return std::optional(std::move(service));
}

std::optional<std::map<RepoPath, std::string>> uv_lock_trees(
    std::string_view lock_text, const std::vector<std::pair<RepoPath, std::string>>& projects) {
  auto doc = parse_toml(lock_text, "uv.lock", kPythonRule);
  if (!doc) {
    return std::nullopt;
  }
  const toml::array* packages = doc->get_as<toml::array>("package");
  if (packages == nullptr) {
    return std::nullopt;
  }
  struct Dep {
    std::string name, version;
  };
  struct Package {
    std::string name, version, source, hash;
    bool registry = false;
    std::vector<Dep> deps;
  };
  auto deps_of = [](const toml::array* list, std::vector<Dep>& out) {
    if (list == nullptr) {
      return;
    }
    for (const toml::node& d : *list) {
      if (const toml::table* t = d.as_table()) {
        out.push_back(Dep{python_name(string_of(t->get("name")).value_or("")),
                          string_of(t->get("version")).value_or("")});
      }
    }
  };
  // Every group of a table of groups (`optional-dependencies`, `dev-dependencies`).
  auto group_deps = [&](const toml::table* groups, std::vector<Dep>& out) {
    if (groups == nullptr) {
      return;
    }
    for (const auto& [group, list] : *groups) {
      deps_of(list.as_array(), out);
    }
  };
  std::vector<Package> all;
  std::multimap<std::string, std::size_t> by_name;
  for (const toml::node& node : *packages) {
    const toml::table* t = node.as_table();
    if (t == nullptr) {
      return std::nullopt;
    }
    Package p;
    p.name = python_name(string_of(t->get("name")).value_or(""));
    p.version = string_of(t->get("version")).value_or("");
    if (const toml::table* source = t->get_as<toml::table>("source")) {
      for (const auto& [kind, where] : *source) {  // a table keeps its keys sorted
        p.source += std::string(kind.str()) + "=" + string_of(&where).value_or("?") + ";";
      }
      p.registry = source->contains("registry");
    }
    if (const toml::table* sdist = t->get_as<toml::table>("sdist")) {
      p.hash = string_of(sdist->get("hash")).value_or("");
    }
    if (const toml::array* wheels = t->get_as<toml::array>("wheels");
        p.hash.empty() && wheels != nullptr && !wheels->empty() && wheels->front().is_table()) {
      p.hash = string_of(wheels->front().as_table()->get("hash")).value_or("");
    }
    deps_of(t->get_as<toml::array>("dependencies"), p.deps);
    group_deps(t->get_as<toml::table>("optional-dependencies"), p.deps);
    group_deps(t->get_as<toml::table>("dev-dependencies"), p.deps);
    by_name.emplace(p.name, all.size());
    all.push_back(std::move(p));
  }
  std::set<std::string> workspace_names;
  for (const auto& project : projects) {
    workspace_names.insert(project.second);
  }
  auto resolve = [&](const Dep& dep) -> std::optional<std::size_t> {
    auto [lo, hi] = by_name.equal_range(dep.name);
    for (auto it = lo; it != hi; ++it) {
      if (dep.version.empty() || all[it->second].version == dep.version) {
        return it->second;
      }
    }
    return std::nullopt;
  };
  std::vector<LockPackage> graph;
  for (const Package& p : all) {
    LockPackage node{p.name,
                     p.name + " " + p.version + " " + p.source + " " + p.hash,
                     !p.registry && workspace_names.contains(p.name),
                     {}};
    for (const Dep& dep : p.deps) {
      node.deps.emplace_back(resolve(dep), dep.name + " " + dep.version);
    }
    graph.push_back(std::move(node));
  }
  return lock_trees(graph, projects);
}

}  // namespace ripple::rules
