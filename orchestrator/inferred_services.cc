#include "orchestrator/inferred_services.h"

#include <algorithm>
#include <map>
#include <set>

#include "graph/glob.h"
#include "orchestrator/dir_glob.h"
#include "orchestrator/docker_builds.h"
#include "orchestrator/git/tracked_files.h"
#include "orchestrator/platform/parallel.h"
#include "orchestrator/platform/real_filesystem.h"
#include "orchestrator/toml_workspaces.h"
#include "rules/cargo.h"
#include "rules/compose.h"
#include "rules/discovery.h"
#include "rules/dockerfile.h"
#include "rules/go_modules.h"
#include "rules/inferred_codec.h"
#include "rules/node_workspaces.h"
#include "rules/pyproject.h"
#include "rules/skaffold.h"

namespace ripple {
namespace {

using ManifestParser = Result<std::optional<rules::InferredService>> (*)(std::string_view text,
                                                                         const std::string& file,
                                                                         const RepoPath& dir);

// What `parse` finds in each directory's `manifest` (`present` says which directories have
// one): from the snapshot of parsed manifests while its stat data is unchanged (a real
// filesystem, as for service.yaml files), else read and parsed (and remembered once it has
// settled).
struct Manifests {
  std::vector<Result<std::optional<rules::InferredService>>> found;
  std::vector<char> present;
};
Manifests read_manifests(const Filesystem& fs, const std::string& root, StatSnapshot* configs,
                         const std::vector<RepoPath>& list, const std::string& manifest,
                         ManifestParser parse) {
  Manifests out{{list.size(), internal_error("not read")}, std::vector<char>(list.size(), 0)};
  std::optional<DirHandle> root_dir;
  if (configs != nullptr) {
    root_dir.emplace(root);
  }
  parallel_for(std::size_t{0}, list.size(), [&](std::size_t i) {
    const std::string file = list[i].join(manifest).str();
    if (configs == nullptr) {
      if (fs.kind(path_join(root, file)) != FileKind::file) {
        return;
      }
      out.present[i] = 1;
      auto text = fs.read_file(path_join(root, file));
      out.found[i] =
          text ? parse(*text, file, list[i])
               : Result<std::optional<rules::InferredService>>(tl::unexpected(text.error()));
      return;
    }
    const std::optional<cache::FileStat> st = stat_path_at(root_dir->fd(), file);
    if (!st) {
      return;
    }
    out.present[i] = 1;
    if (auto bytes = configs->lookup(file, *st)) {
      if (auto known = rules::decode_inferred(*bytes, file, list[i])) {
        out.found[i] = std::move(*known);
        return;
      }
    }
    const std::int64_t read_at = cache::now_ns();
    auto text = read_file_of_size(root_dir->fd(), file, st->size, path_join(root, file));
    out.found[i] =
        text ? parse(*text, file, list[i])
             : Result<std::optional<rules::InferredService>>(tl::unexpected(text.error()));
    if (out.found[i] && cache::settled(*st, read_at)) {
      configs->remember(file, *st, read_at, rules::encode_inferred(*out.found[i]));
    }
  });
  return out;
}

Status infer_node(const Filesystem& fs, const std::string& root, StatSnapshot* configs,
                  InferredServices& out) {
  Status trouble;
  const auto package_json = read_if_file(fs, path_join(root, "package.json"), trouble);
  const auto pnpm_yaml = read_if_file(fs, path_join(root, "pnpm-workspace.yaml"), trouble);
  if (!trouble) {
    return trouble;
  }
  auto globs = rules::node_package_globs(package_json, pnpm_yaml);
  if (!globs) {
    return tl::unexpected(globs.error());
  }
  if (!*globs) {
    return {};
  }
  DirGlobber globber(fs, root);
  std::set<RepoPath> dirs;
  // Each glob's matches, to warn of one that matches no package.
  std::vector<std::pair<const Located<std::string>*, std::set<RepoPath>>> matched;
  for (const auto& glob : (*globs)->globs) {
    const bool exclude = glob.value.starts_with('!');
    const std::string pattern = exclude ? glob.value.substr(1) : glob.value;
    auto normal = RepoPath::parse(pattern);
    if (!normal || !graph::glob::validate(normal->str().empty() ? "." : normal->str())) {
      out.warnings.push_back(
          Diagnostic{at(glob.pos, "workspace glob '" + glob.value +
                                      "' is not a directory glob inside the workspace; left out")});
      continue;
    }
    if (exclude) {
      std::erase_if(dirs,
                    [&](const RepoPath& d) { return graph::glob::match(normal->str(), d.str()); });
      continue;
    }
    std::set<RepoPath> candidates;
    if (auto st = globber.expand(normal->str(), candidates); !st) {
      return st;
    }
    dirs.insert(candidates.begin(), candidates.end());
    matched.emplace_back(&glob, std::move(candidates));
  }
  const std::vector<RepoPath> list(dirs.begin(), dirs.end());
  Manifests manifests =
      read_manifests(fs, root, configs, list, "package.json", rules::node_package);
  const auto& found = manifests.found;
  const std::vector<char>& is_package = manifests.present;
  for (const auto& [glob, candidates] : matched) {
    const bool any = std::any_of(candidates.begin(), candidates.end(), [&](const RepoPath& d) {
      auto it = std::lower_bound(list.begin(), list.end(), d);
      return it != list.end() && *it == d && is_package[it - list.begin()] != 0;
    });
    if (!any) {
      out.warnings.push_back(
          Diagnostic{at(glob->pos, "workspace glob '" + glob->value +
                                       "' matches no directory with a package.json")});
    }
  }
  for (std::size_t i = 0; i < list.size(); ++i) {  // the first error in directory order
    if (is_package[i] == 0) {
      continue;
    }
    if (!found[i]) {
      return tl::unexpected(found[i].error());
    }
    if (!*found[i]) {
      out.warnings.push_back(
          Diagnostic{list[i].join("package.json").str() +
                     ": a workspace package without a 'name' is not a service; give it a name"});
      continue;
    }
    out.services.push_back(std::move(**manifests.found[i]));
  }
  return {};
}

// Directories under `dir` (workspace-relative) holding a go.mod, as the go command looks for
// modules: never in vendor/, testdata/, node_modules/ or hidden directories, never through a
// symbolic link.
Status find_go_modules(const Filesystem& fs, const std::string& root, const RepoPath& dir,
                       std::vector<RepoPath>& out) {
  auto entries = fs.list_dir(path_join(root, dir.str()));
  if (!entries) {
    return tl::unexpected(entries.error());
  }
  for (const DirEntry& e : *entries) {
    if (e.name == "go.mod" && e.kind == FileKind::file) {
      out.push_back(dir);
      break;
    }
  }
  for (const DirEntry& e : *entries) {
    if (e.kind != FileKind::directory || e.name.starts_with('.') || e.name == "vendor" ||
        e.name == "testdata" || e.name == "node_modules") {
      continue;
    }
    if (auto st = find_go_modules(fs, root, dir.join(e.name), out); !st) {
      return st;
    }
  }
  return {};
}

// The directories of the go.mod files git tracks (git/tracked_files.h), as find_go_modules()
// would skip them, that `fs` has; nothing outside a git work tree, to walk instead. An untracked
// go.mod in a tracked tree is not seen until `git add`.
std::optional<std::vector<RepoPath>> tracked_go_modules(const Filesystem& fs,
                                                        const std::string& root,
                                                        const std::vector<std::string>* tracked) {
  std::optional<std::vector<std::string>> read;
  if (tracked == nullptr) {
    read = git::tracked_files_named(root, "go.mod");
    if (!read) {
      return std::nullopt;
    }
    tracked = &*read;
  }
  std::vector<RepoPath> out;
  for (const std::string& file : *tracked) {
    if (file != "go.mod" && !file.ends_with("/go.mod")) {
      continue;  // another manifest of the caller's list
    }
    auto path = RepoPath::parse(file);
    if (!path) {
      continue;
    }
    const RepoPath dir = path->parent();
    bool skipped = false;
    for (const std::string& part : split_segments(dir.str())) {
      skipped = skipped || part.starts_with('.') || part == "vendor" || part == "testdata" ||
                part == "node_modules";
    }
    if (!skipped && fs.kind(path_join(root, file)) == FileKind::file) {
      out.push_back(dir);
    }
  }
  return out;
}

Result<std::optional<rules::InferredService>> parse_go_mod(std::string_view text,
                                                           const std::string& file,
                                                           const RepoPath& dir) {
  auto module = rules::go_module(text, file, dir);
  if (!module) {
    return tl::unexpected(module.error());
  }
  return std::optional(std::move(*module));
}

// Go modules (rules/go_modules.h): go.work's `use` directories, else every go.mod.
Status infer_go(const Filesystem& fs, const std::string& root, StatSnapshot* configs,
                const std::vector<std::string>* tracked, InferredServices& out) {
  Status trouble;
  const auto work = read_if_file(fs, path_join(root, "go.work"), trouble);
  if (!trouble) {
    return trouble;
  }
  std::vector<RepoPath> list;
  std::vector<SourcePos> used_at;  // where go.work names each directory
  if (work) {
    auto uses = rules::go_work(*work, "go.work");
    if (!uses) {
      return tl::unexpected(uses.error());
    }
    out.warnings.insert(out.warnings.end(), uses->warnings.begin(), uses->warnings.end());
    for (const auto& use : uses->uses) {
      if (std::find(list.begin(), list.end(), use.value) == list.end()) {
        list.push_back(use.value);
        used_at.push_back(use.pos);
      }
    }
  } else if (auto found = tracked_go_modules(fs, root, tracked)) {
    list = std::move(*found);
  } else if (auto st = find_go_modules(fs, root, RepoPath(), list); !st) {
    return st;
  }
  Manifests manifests = read_manifests(fs, root, configs, list, "go.mod", parse_go_mod);
  std::vector<rules::InferredService> modules;
  for (std::size_t i = 0; i < list.size(); ++i) {  // the first error in directory order
    if (manifests.present[i] == 0) {
      if (i < used_at.size()) {
        out.warnings.push_back(Diagnostic{
            at(used_at[i], "go.work uses '" + list[i].str() + "', which has no go.mod; left out")});
      }
      continue;
    }
    if (!manifests.found[i]) {
      return tl::unexpected(manifests.found[i].error());
    }
    modules.push_back(std::move(**manifests.found[i]));
  }
  auto services = rules::go_services(std::move(modules));
  if (!services) {
    return tl::unexpected(services.error());
  }
  out.services.insert(out.services.end(), std::make_move_iterator(services->begin()),
                      std::make_move_iterator(services->end()));
  return {};
}

bool docker_made(const std::string& rule) {
  return rule == rules::kComposeRule || rule == rules::kSkaffoldRule;
}

// Drops the '!' patterns of a service's inputs (a .dockerignore's), and the patterns inside its
// directory that follow them ("**" has them).
void strip_exclusions(graph::ServiceSource& source) {
  if (!source.config.inputs) {
    return;
  }
  std::erase_if(*source.config.inputs, [](const graph::LocatedString& input) {
    return input.value.starts_with('!') || (!input.value.starts_with("../") && input.value != "**");
  });
}

// A workspace-relative glob as seen from `dir` ("pb/**" from "src/pay" is "../../pb/**").
std::string relative_to(const RepoPath& dir, const std::string& glob) {
  if (dir.str().empty()) {
    return glob;
  }
  if (glob.starts_with(dir.str() + "/")) {
    return glob.substr(dir.str().size() + 1);
  }
  std::string up = "../";
  for (char c : dir.str()) {
    up += c == '/' ? "../" : "";
  }
  return up + glob;
}

// `path` (workspace-relative) relative to `dir`: "." for the directory itself.
std::string path_from(const RepoPath& dir, const std::string& path) {
  if (path == dir.str()) {
    return ".";
  }
  std::string relative = relative_to(dir, path);
  while (relative.size() > 1 && relative.ends_with('/')) {
    relative.pop_back();
  }
  return relative.empty() ? "." : relative;
}

// The `image:` a Compose build or skaffold artifact gives the service in `dir` that has none.
graph::ImageConfig image_config(const RepoPath& dir, const rules::InferredImage& found) {
  graph::ImageConfig image;
  image.pos = found.pos;
  image.dockerfile = path_from(dir, found.dockerfile);
  image.context = path_from(dir, found.context);
  if (!found.name.empty()) {
    image.name = found.name;
  }
  image.build_args = found.build_args;
  if (!found.target.empty()) {
    image.target = found.target;
  }
  return image;
}

}  // namespace

Result<InferredServices> infer_services(const Filesystem& fs, const std::string& root,
                                        const std::vector<std::string>& enabled_rules,
                                        StatSnapshot* configs,
                                        const std::vector<std::string>* tracked) {
  InferredServices out;
  auto on = [&](const char* rule) {
    return std::find(enabled_rules.begin(), enabled_rules.end(), rule) != enabled_rules.end();
  };
  if (auto st = infer_docker_builds(fs, root, on(rules::kComposeRule), on(rules::kSkaffoldRule),
                                    on(rules::kDockerfileRule), out);
      !st) {
    return tl::unexpected(st.error());
  }
  if (on(rules::kNodeRule)) {
    if (auto st = infer_node(fs, root, configs, out); !st) {
      return tl::unexpected(st.error());
    }
  }
  if (on(rules::kGoRule)) {
    if (auto st = infer_go(fs, root, configs, tracked, out); !st) {
      return tl::unexpected(st.error());
    }
  }
  // Cargo and uv workspaces (orchestrator/toml_workspaces.h).
  for (const auto& [rule, infer] :
       {std::pair{rules::kCargoRule, &infer_cargo}, std::pair{rules::kPythonRule, &infer_python}}) {
    if (on(rule)) {
      if (auto st = infer(fs, root, out); !st) {
        return tl::unexpected(st.error());
      }
    }
  }
  return out;
}

std::set<RepoPath> merge_inferred(std::vector<graph::ServiceSource>& sources,
                                  const std::vector<rules::InferredService>& inferred) {
  std::set<RepoPath> built;
  std::map<RepoPath, std::size_t> declared;  // directories with a service.yaml
  for (std::size_t i = 0; i < sources.size(); ++i) {
    declared.emplace(sources[i].dir, i);
  }
  // Directories of the services the rules made: a service of another rule in the same directory
  // is the same service (compose's `web` built from apps/web is the package there); two of one
  // rule (two Compose builds from one directory) are two services.
  std::map<RepoPath, std::vector<std::pair<std::string, std::size_t>>> made;  // rule, source
  std::vector<std::size_t> source_of(inferred.size());
  std::vector<char> ignored(inferred.size(), 0);
  for (std::size_t i = 0; i < inferred.size(); ++i) {
    const rules::InferredService& s = inferred[i];
    if (auto it = declared.find(s.dir); it != declared.end()) {
      // Its service.yaml's `discover:` may leave this rule's findings out (its name still
      // resolves others' edges to it).
      source_of[i] = it->second;
      ignored[i] = !rules::rule_applies(sources[it->second].config.discover, s.from.rule);
      continue;
    }
    auto& here = made[s.dir];
    auto other = std::find_if(here.begin(), here.end(),
                              [&](const auto& m) { return m.first != s.from.rule; });
    if (other != here.end()) {
      // Another rule's service too: its other tasks read the whole directory, so what the
      // .dockerignore of a Compose build left out is an input again (a skaffold artifact built
      // from the same directory sends what the Compose build sends).
      if (!docker_made(other->first) || !docker_made(s.from.rule)) {
        strip_exclusions(sources[other->second]);
      }
      source_of[i] = other->second;
      continue;
    }
    graph::ServiceSource source;
    source.dir = s.dir;
    source.config.file = s.from.pos.file;
    source.config.name = graph::LocatedString{s.name, s.from.pos};
    if (!s.inputs.empty()) {
      // Its directory, and what it reads outside it, relative to the directory. (What lies
      // inside the directory, its Dockerfile too, is in "**" already, until a .dockerignore
      // exclusion: from there on the order decides, so every pattern is kept.)
      graph::LocatedStrings inputs{{"**", s.from.pos}};
      std::set<std::string> have{"**"};
      const std::string own = s.dir.str().empty() ? std::string() : s.dir.str() + "/";
      bool excluding = false;
      for (const auto& input : s.inputs) {
        const bool exclude = input.value.starts_with('!');
        const std::string glob = exclude ? input.value.substr(1) : input.value;
        excluding = excluding || exclude;
        if (!excluding && (glob == s.dir.str() || glob.starts_with(own))) {
          continue;
        }
        std::string relative = (exclude ? "!" : "") + relative_to(s.dir, glob);
        if (have.insert(relative).second || excluding) {
          inputs.push_back({std::move(relative), input.pos});
        }
      }
      source.config.inputs = std::move(inputs);
    }
    if (docker_made(s.from.rule)) {
      built.insert(s.dir);
    }
    here.emplace_back(s.from.rule, sources.size());
    source_of[i] = sources.size();
    sources.push_back(std::move(source));
  }
  // The images Compose builds and skaffold artifacts make, for the services without an `image:`.
  for (std::size_t i = 0; i < inferred.size(); ++i) {
    graph::ServiceSource& source = sources[source_of[i]];
    if (inferred[i].image && !source.config.image && !ignored[i]) {
      source.config.image = image_config(source.dir, *inferred[i].image);
    }
  }
  // The name each package's directory ends up with.
  auto final_name = [&](const graph::ServiceSource& source) {
    return source.config.name ? source.config.name->value : std::string(source.dir.name());
  };
  std::map<std::string, std::string> service_of_package;
  for (std::size_t i = 0; i < inferred.size(); ++i) {
    service_of_package.emplace(inferred[i].name, final_name(sources[source_of[i]]));
  }
  for (std::size_t i = 0; i < inferred.size(); ++i) {
    if (ignored[i]) {
      continue;
    }
    graph::ServiceSource& source = sources[source_of[i]];
    const std::string self = final_name(source);
    std::set<std::string> have;
    for (const auto& dep : source.config.deps) {
      have.insert(dep.value);
    }
    for (const rules::InferredEdge& edge : inferred[i].edges) {
      auto target = service_of_package.find(edge.target);
      if (target == service_of_package.end() || target->second == self) {
        continue;  // an external package, or itself
      }
      if (have.insert(target->second).second) {
        source.config.deps.push_back(graph::LocatedString{target->second, edge.from.pos});
      }
      // A Dockerfile's FROM / COPY --from= another's image, a Compose additional context
      // `service:`, a skaffold artifact's `requires`: its image builds on that one's.
      if (source.config.image &&
          (edge.from.rule == rules::kDockerfileRule || edge.from.rule == rules::kComposeRule ||
           edge.from.rule == rules::kSkaffoldRule)) {
        source.config.image->add_from(target->second, edge.from.pos);
      }
    }
  }
  return built;
}

}  // namespace ripple
