#include "orchestrator/toml_workspaces.h"

#include <algorithm>
#include <functional>
#include <set>

#include "graph/glob.h"
#include "orchestrator/dir_glob.h"
#include "orchestrator/platform/parallel.h"
#include "orchestrator/platform/real_filesystem.h"
#include "rules/cargo.h"
#include "rules/pyproject.h"

namespace ripple {
namespace {

using ParseMember = std::function<Result<std::optional<rules::InferredService>>(
    std::string_view text, const std::string& file, const RepoPath& dir)>;

// What a workspace declares, for either rule: its member globs, which directories it leaves out,
// whether the root is a member too, and each member's manifest's name.
struct Members {
  const std::vector<Located<std::string>>& globs;
  std::function<bool(const RepoPath&)> excluded;
  bool root_member;
  std::string manifest;  // "Cargo.toml", "pyproject.toml"
};

Status infer_members(const Filesystem& fs, const std::string& root, const Members& members,
                     const ParseMember& parse, InferredServices& out) {
  DirGlobber globber(fs, root);
  std::set<RepoPath> dirs;
  if (members.root_member) {
    dirs.insert(RepoPath());
  }
  for (const auto& glob : members.globs) {
    auto normal = RepoPath::parse(glob.value);
    if (!normal || !graph::glob::validate(normal->str().empty() ? "." : normal->str())) {
      out.warnings.push_back(
          Diagnostic{at(glob.pos, "workspace member '" + glob.value +
                                      "' is not a directory glob inside the workspace; left out")});
      continue;
    }
    std::set<RepoPath> candidates;
    if (normal->is_root()) {
      candidates.insert(RepoPath());
    } else if (auto st = globber.expand(normal->str(), candidates); !st) {
      return st;
    }
    bool any = false;
    for (const RepoPath& d : candidates) {
      if (members.excluded(d) ||
          fs.kind(path_join(root, d.join(members.manifest).str())) != FileKind::file) {
        continue;
      }
      any = true;
      dirs.insert(d);
    }
    if (!any) {
      out.warnings.push_back(
          Diagnostic{at(glob.pos, "workspace member '" + glob.value +
                                      "' matches no directory with a " + members.manifest)});
    }
  }
  const std::vector<RepoPath> list(dirs.begin(), dirs.end());
  std::vector<Result<std::optional<rules::InferredService>>> found(list.size(),
                                                                   internal_error("not read"));
  parallel_for(std::size_t{0}, list.size(), [&](std::size_t i) {
    const std::string file = list[i].join(members.manifest).str();
    auto text = fs.read_file(path_join(root, file));
    found[i] = text ? parse(*text, file, list[i])
                    : Result<std::optional<rules::InferredService>>(tl::unexpected(text.error()));
  });
  for (std::size_t i = 0; i < list.size(); ++i) {  // the first error in directory order
    if (!found[i]) {
      return tl::unexpected(found[i].error());
    }
    if (!*found[i]) {
      if (!list[i].is_root()) {  // the root's manifest declares the workspace: no warning
        out.warnings.push_back(Diagnostic{list[i].join(members.manifest).str() +
                                          ": a workspace member without a name is not a "
                                          "service; give it a name"});
      }
      continue;
    }
    out.services.push_back(std::move(**found[i]));
  }
  return {};
}

// The root manifest's text, nothing when there is none.
Result<std::optional<std::string>> read_root(const Filesystem& fs, const std::string& root,
                                             const std::string& name) {
  const std::string path = path_join(root, name);
  if (fs.kind(path) != FileKind::file) {
    return std::optional<std::string>();
  }
  auto text = fs.read_file(path);
  if (!text) {
    return tl::unexpected(text.error());
  }
  return std::optional(std::move(*text));
}

}  // namespace

Status infer_cargo(const Filesystem& fs, const std::string& root, InferredServices& out) {
  auto text = read_root(fs, root, "Cargo.toml");
  if (!text) {
    return tl::unexpected(text.error());
  }
  if (!*text) {
    return {};
  }
  auto ws = rules::cargo_workspace(**text);
  if (!ws) {
    return tl::unexpected(ws.error());
  }
  if (!*ws) {
    return {};
  }
  const rules::CargoWorkspace& w = **ws;
  // Cargo's `exclude` entries are paths: a member at or under one is left out.
  std::vector<RepoPath> exclude;
  for (const auto& e : w.exclude) {
    if (auto p = RepoPath::parse(e.value)) {
      exclude.push_back(*p);
    }
  }
  Members members{w.members,
                  [&](const RepoPath& d) {
                    return std::any_of(exclude.begin(), exclude.end(), [&](const RepoPath& e) {
                      return !e.is_root() && e.contains(d);
                    });
                  },
                  w.root_package, "Cargo.toml"};
  return infer_members(
      fs, root, members,
      [&](std::string_view t, const std::string& file, const RepoPath& dir) {
        return rules::cargo_crate(t, file, dir, w.local_deps);
      },
      out);
}

Status infer_python(const Filesystem& fs, const std::string& root, InferredServices& out) {
  auto text = read_root(fs, root, "pyproject.toml");
  if (!text) {
    return tl::unexpected(text.error());
  }
  if (!*text) {
    return {};
  }
  auto ws = rules::uv_workspace(**text);
  if (!ws) {
    return tl::unexpected(ws.error());
  }
  if (!*ws) {
    return {};
  }
  const rules::UvWorkspace& w = **ws;
  // uv's `exclude` entries are globs, as its members are.
  Members members{w.members,
                  [&](const RepoPath& d) {
                    return std::any_of(w.exclude.begin(), w.exclude.end(), [&](const auto& e) {
                      return graph::glob::match(e.value, d.str());
                    });
                  },
                  w.root_project, "pyproject.toml"};
  return infer_members(fs, root, members, rules::python_project, out);
}

}  // namespace ripple
