#include "orchestrator/workspace_loader.h"

#include <sys/stat.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "graph/config_codec.h"
#include "graph/config_parser.h"
#include "graph/glob.h"
#include "orchestrator/dir_glob.h"
#include "orchestrator/git/tracked_files.h"
#include "orchestrator/inferred_services.h"
#include "orchestrator/package_scripts.h"
#include "orchestrator/platform/parallel.h"
#include "orchestrator/platform/real_filesystem.h"
#include "orchestrator/service_dockerfiles.h"
#include "orchestrator/unowned_manifests.h"
#include "rules/discovery.h"
#include "rules/dockerfile.h"

namespace ripple {
namespace {

// Stat data of service.yaml files, taken while finding them, for the snapshot of parsed configs.
// With an empty snapshot (a fresh checkout: nothing can come from it) each file is also read in
// the same pass, so that it is opened once and its path resolved once.
struct FoundConfig {
  cache::FileStat stat;
  std::optional<Result<RegularFile>> read;  // when read while finding
};
struct ConfigStats {
  std::map<RepoPath, FoundConfig> found;
  bool read_now = false;
};

// Keeps the candidates holding a service.yaml (a file, or a link to one), checked in parallel:
// a glob like `packages/*` can name thousands. With `stats`, the check is a stat() whose data is
// kept for the snapshot of parsed configs (the filesystem is then a real one, see the header).
std::set<RepoPath> keep_services(const Filesystem& fs, const std::string& root,
                                 const std::set<RepoPath>& candidates, ConfigStats* stats) {
  std::vector<const RepoPath*> dirs;
  dirs.reserve(candidates.size());
  for (const RepoPath& dir : candidates) {
    dirs.push_back(&dir);
  }
  std::vector<char> keep(dirs.size(), 0);
  std::vector<std::optional<FoundConfig>> found(stats != nullptr ? dirs.size() : 0);
  std::optional<DirHandle> root_dir;
  if (stats != nullptr) {
    root_dir.emplace(root);
  }
  parallel_for(std::size_t{0}, dirs.size(), [&](std::size_t i) {
    if (stats != nullptr && stats->read_now) {
      const std::string rel = dirs[i]->join(kServiceConfigName).str();
      auto read = read_regular_file_at(root_dir->fd(), rel, path_join(root, rel));
      if (!read) {
        found[i] = FoundConfig{{}, Result<RegularFile>(tl::unexpected(read.error()))};
      } else if (*read) {
        found[i] = FoundConfig{(*read)->stat, Result<RegularFile>(std::move(**read))};
      }
      keep[i] = found[i] ? 1 : 0;
    } else if (stats != nullptr) {
      auto st = stat_path_at(root_dir->fd(), dirs[i]->join(kServiceConfigName).str());
      if (st) {
        found[i] = FoundConfig{*st, std::nullopt};
      }
      // Anything named service.yaml is kept: reading one that is not a regular file is an error
      // that names it, not a silent skip.
      keep[i] = st ? 1 : 0;
    } else {
      std::string file = path_join(path_join(root, dirs[i]->str()), kServiceConfigName);
      keep[i] = fs.kind(file) == FileKind::file ? 1 : 0;
    }
  });
  std::set<RepoPath> out;
  for (std::size_t i = 0; i < dirs.size(); ++i) {
    if (keep[i] != 0) {
      out.insert(out.end(), *dirs[i]);
      if (stats != nullptr) {
        stats->found[*dirs[i]] = std::move(*found[i]);
      }
    }
  }
  return out;
}

// Files that say a directory holds something buildable: a directory a `services:` glob matches
// that has one of these but no service.yaml is most likely a service someone forgot.
constexpr const char* kBuildManifests[] = {"Dockerfile", "package.json",   "go.mod",
                                           "Cargo.toml", "pyproject.toml", "Makefile"};

std::optional<std::string> build_manifest_in(const Filesystem& fs, const std::string& dir) {
  for (const char* name : kBuildManifests) {
    if (fs.kind(path_join(dir, name)) == FileKind::file) {
      return std::string(name);
    }
  }
  return std::nullopt;
}

Result<std::vector<RepoPath>> find_service_dirs(const Filesystem& fs, const std::string& root,
                                                const graph::RootConfig& config,
                                                std::vector<Diagnostic>& warnings,
                                                ConfigStats* stats) {
  DirGlobber finder(fs, root);
  std::set<RepoPath> found;
  // Directories a one-level glob matched that have a build manifest but no service.yaml, with
  // the entry that matched them. (`**` matches every directory below, build files of a service's
  // own subdirectories included, so its matches are not checked.)
  std::vector<std::tuple<const graph::LocatedString*, RepoPath, std::string>> forgotten;
  std::vector<std::string> excludes;
  // Service directories reached through a symbolic link, with the entry that named them.
  std::map<RepoPath, const graph::LocatedString*> linked;
  for (const auto& entry : config.services) {
    bool exclude = !entry.value.empty() && entry.value.front() == '!';
    std::string text = exclude ? entry.value.substr(1) : entry.value;
    auto normalised = RepoPath::parse(text);
    if (!normalised) {
      return input_error(at(entry.pos, "services entry '" + entry.value +
                                           "' must be a directory glob inside the workspace"));
    }
    if (auto st = graph::glob::validate(normalised->str().empty() ? "." : normalised->str()); !st) {
      return input_error(at(entry.pos, st.error().message));
    }
    if (exclude) {
      excludes.push_back(normalised->str());
      std::erase_if(found, [&](const RepoPath& dir) {
        return graph::glob::match(normalised->str(), dir.str());
      });
      continue;
    }
    if (!graph::glob::has_wildcard(normalised->str())) {
      std::string abs = path_join(root, normalised->str());
      if (fs.kind(abs) != FileKind::directory) {
        return input_error(
            at(entry.pos, "services entry '" + entry.value +
                              "' is not a directory; create it or remove the entry"));
      }
      if (fs.kind(path_join(abs, kServiceConfigName)) != FileKind::file) {
        return input_error(at(entry.pos, "services entry '" + entry.value + "' has no " +
                                             kServiceConfigName +
                                             "; create one (an empty file is a valid service) or "
                                             "remove the entry"));
      }
      found.insert(*normalised);
      std::string at = root;
      for (std::string_view part : split_segments(normalised->str())) {
        at = path_join(at, std::string(part));
        if (fs.is_symlink(at)) {
          linked.emplace(*normalised, &entry);
          break;
        }
      }
      continue;
    }
    std::set<RepoPath> candidates;
    if (auto st = finder.expand(RepoPath(), split_segments(normalised->str()), 0, candidates);
        !st) {
      return tl::unexpected(st.error());
    }
    std::set<RepoPath> matched = keep_services(fs, root, candidates, stats);
    for (const RepoPath& dir : matched) {
      if (finder.linked().count(dir) > 0) {
        linked.emplace(dir, &entry);
      }
    }
    if (normalised->str().find("**") == std::string::npos) {
      for (const RepoPath& dir : candidates) {
        if (matched.count(dir) == 0) {
          if (auto manifest = build_manifest_in(fs, path_join(root, dir.str()))) {
            forgotten.emplace_back(&entry, dir, *manifest);
          }
        }
      }
    }
    if (matched.empty()) {
      warnings.push_back(
          Diagnostic{at(entry.pos, "services glob '" + entry.value +
                                       "' matches no directory with a " + kServiceConfigName)});
    }
    found.insert(matched.begin(), matched.end());
  }
  // A service directory behind a link is the directory the link leads to: git tracks its files
  // there, so that is where changes and inputs are found. One outside the workspace could never
  // be seen changing: an error, not a stale cache hit.
  if (!linked.empty()) {
    const std::optional<std::string> real_root = fs.resolve(root);
    for (const auto& [dir, entry] : linked) {
      if (found.count(dir) == 0) {
        continue;  // excluded by a later '!' entry
      }
      const std::optional<std::string> real = fs.resolve(path_join(root, dir.str()));
      std::optional<RepoPath> inside;
      if (real && real_root && (*real == *real_root || real->starts_with(*real_root + "/"))) {
        if (auto rel =
                RepoPath::parse(real->substr(std::min(real->size(), real_root->size() + 1)))) {
          inside = std::move(*rel);
        }
      }
      if (!inside) {
        return input_error(at(entry->pos, "services entry '" + entry->value + "' reaches " +
                                              dir.str() + " through a symbolic link to " +
                                              real.value_or("a missing place") +
                                              ", outside the workspace: ripple could never see "
                                              "its changes; move the service into the workspace"));
      }
      found.erase(dir);
      found.insert(*inside);
    }
  }
  for (const auto& [entry, dir, manifest] : forgotten) {
    bool excluded = std::any_of(excludes.begin(), excludes.end(), [&](const std::string& g) {
      return graph::glob::match(g, dir.str());
    });
    if (!excluded && found.count(dir) == 0) {
      warnings.push_back(Diagnostic{at(
          entry->pos, "services glob '" + entry->value + "' matches " + dir.str() +
                          ", which has a " + manifest + " but no " + kServiceConfigName +
                          "; add one (an empty file is a valid service) or leave it out with '!" +
                          dir.str() + "'")});
    }
  }
  return std::vector<RepoPath>(found.begin(), found.end());
}

}  // namespace

Result<std::string> find_workspace_root(const Filesystem& fs, const std::string& start) {
  std::string dir = start;
  while (true) {
    if (fs.kind(path_join(dir, kRootConfigName)) == FileKind::file) {
      return dir;
    }
    if (dir == "/" || dir.empty()) {
      break;
    }
    std::size_t slash = dir.rfind('/');
    dir = slash == 0 ? "/" : dir.substr(0, slash);
  }
  // No ripple.yaml: the repository's root is the workspace, its services inferred.
  for (dir = start;;) {
    if (fs.kind(path_join(dir, ".git")) != FileKind::missing) {
      return dir;
    }
    if (dir == "/" || dir.empty()) {
      break;
    }
    std::size_t slash = dir.rfind('/');
    dir = slash == 0 ? "/" : dir.substr(0, slash);
  }
  return input_error("no " + std::string(kRootConfigName) + " and no git repository found from " +
                     start + " up to /; run ripple inside a workspace, pass -C DIR, or create a " +
                     kRootConfigName + " at the monorepo root");
}

std::string service_configs_snapshot_path(const std::string& state_dir) {
  return state_dir + "/service-configs.snapshot";
}

Result<LoadedWorkspace> load_workspace(const Filesystem& fs, const std::string& root,
                                       StatSnapshot* configs) {
  // Without a ripple.yaml (a repository's root, find_workspace_root), the defaults: no declared
  // services, every rule on.
  const bool configured = fs.kind(path_join(root, kRootConfigName)) != FileKind::missing;
  graph::RootConfig defaults;
  defaults.file = kRootConfigName;
  Result<graph::RootConfig> root_config = std::move(defaults);
  if (configured) {
    auto root_text = fs.read_file(path_join(root, kRootConfigName));
    if (!root_text) {
      return tl::unexpected(root_text.error());
    }
    root_config = graph::parse_root_config(*root_text, kRootConfigName);
    if (!root_config) {
      return tl::unexpected(root_config.error());
    }
  }
  auto rules = rules::enabled_rules(*root_config);
  if (!rules) {
    return tl::unexpected(rules.error());
  }
  std::vector<Diagnostic> warnings;
  ConfigStats stats;
  stats.read_now = configs != nullptr && configs->loaded_entries() == 0;
  auto dirs = find_service_dirs(fs, root, *root_config, warnings, configs ? &stats : nullptr);
  if (!dirs) {
    return tl::unexpected(dirs.error());
  }
  std::vector<graph::ServiceSource> sources;
  // Reading and parsing thousands of small service.yaml files is the bulk of loading a large
  // workspace; they are independent, so they are parsed in parallel. The first error in
  // directory order is reported, so the message does not depend on thread timing.
  std::vector<Result<graph::ServiceConfig>> parsed(dirs->size(), internal_error("not parsed"));
  std::optional<DirHandle> root_dir;
  if (configs != nullptr) {
    root_dir.emplace(root);  // real files: paths resolved from the root, not from '/'
  }
  parallel_for(std::size_t{0}, dirs->size(), [&](std::size_t i) {
    RepoPath file = (*dirs)[i].join(kServiceConfigName);
    std::string abs = path_join(root, file.str());
    // Stat first, then note the time, then read: a write after the stat changes the stat data
    // the entry is keyed on, and one within the racy window is never trusted.
    std::optional<cache::FileStat> st;
    if (configs != nullptr) {
      auto known = stats.found.find((*dirs)[i]);
      if (known != stats.found.end() && known->second.read) {
        // Read while finding it: parsed now, remembered if it has settled.
        auto& read = *known->second.read;
        if (!read) {
          parsed[i] = tl::unexpected(read.error());
          return;
        }
        parsed[i] = graph::parse_service_config(read->text, file.str());
        if (parsed[i] && cache::settled(read->stat, read->read_at_ns)) {
          if (auto bytes = graph::encode_service_config(*parsed[i])) {
            configs->remember(file.str(), read->stat, read->read_at_ns, std::move(*bytes));
          }
        }
        return;
      }
      st = known != stats.found.end() ? std::optional(known->second.stat)
                                      : stat_path_at(root_dir->fd(), file.str());
    }
    if (st) {
      if (auto bytes = configs->lookup(file.str(), *st)) {
        if (auto config = graph::decode_service_config(*bytes, file.str())) {
          parsed[i] = std::move(*config);
          return;
        }
      }
    }
    std::int64_t read_at = cache::now_ns();
    // Stat'ed already (real files, see the header): no fstat needed to size the read.
    auto text =
        st ? read_file_of_size(root_dir->fd(), file.str(), st->size, abs) : fs.read_file(abs);
    parsed[i] = text ? graph::parse_service_config(*text, file.str())
                     : Result<graph::ServiceConfig>(tl::unexpected(text.error()));
    if (st && parsed[i] && cache::settled(*st, read_at)) {
      if (auto bytes = graph::encode_service_config(*parsed[i])) {
        configs->remember(file.str(), *st, read_at, std::move(*bytes));
      }
    }
  });
  sources.reserve(dirs->size());
  for (std::size_t i = 0; i < dirs->size(); ++i) {
    if (!parsed[i]) {
      return tl::unexpected(parsed[i].error());
    }
    if (auto st = rules::check_service_rules(*parsed[i]); !st) {
      return tl::unexpected(st.error());
    }
    sources.push_back(graph::ServiceSource{(*dirs)[i], std::move(*parsed[i]), {}, {}});
  }
  // One read of the git index for the go rule's go.mod files and the check for manifests no
  // service owns (nothing outside git: the go rule walks, and the check is not made).
  const std::optional<std::vector<std::string>> tracked =
      git::tracked_files_named(root, kBuildManifestNames);
  auto inferred = infer_services(fs, root, *rules, configs, tracked ? &*tracked : nullptr);
  if (!inferred) {
    return tl::unexpected(inferred.error());
  }
  const std::set<RepoPath> built = merge_inferred(sources, inferred->services);
  warnings.insert(warnings.end(), inferred->warnings.begin(), inferred->warnings.end());
  if (std::find(rules->begin(), rules->end(), rules::kDockerfileRule) != rules->end()) {
    if (auto st = read_service_dockerfiles(fs, root, *root_config, built, inferred->images, sources,
                                           configs, warnings);
        !st) {
      return tl::unexpected(st.error());
    }
  }
  // Which of the files the templates' `where:` lists exist in each service directory.
  std::set<std::string> where_files;
  for (const auto& [name, task] : root_config->tasks) {
    if (task.where) {
      for (const auto& file : *task.where) {
        where_files.insert(file.value);
      }
    }
  }
  if (!where_files.empty()) {
    parallel_for(std::size_t{0}, sources.size(), [&](std::size_t i) {
      for (const std::string& file : where_files) {
        if (fs.kind(path_join(path_join(root, sources[i].dir.str()), file)) == FileKind::file) {
          sources[i].present.insert(file);
        }
      }
    });
  }
  // Which of the scripts the templates' `script:` names each service's package.json defines,
  // and the command that runs them.
  std::set<std::string> script_names;
  for (const auto& [name, task] : root_config->tasks) {
    if (task.script) {
      script_names.insert(task.script->value);
    }
  }
  if (!script_names.empty()) {
    const std::string manager = package_manager(fs, root);
    for (auto& [name, task] : root_config->tasks) {
      if (task.script) {
        task.run =
            graph::LocatedString{script_command(manager, task.script->value), task.script->pos};
      }
    }
    parallel_for(std::size_t{0}, sources.size(), [&](std::size_t i) {
      sources[i].scripts = package_scripts(fs, path_join(root, sources[i].dir.str()), script_names);
    });
  }
  auto workspace = graph::Workspace::assemble(std::move(*root_config), std::move(sources));
  if (!workspace) {
    return tl::unexpected(workspace.error());
  }
  if (workspace->services().empty()) {
    warnings.push_back(Diagnostic{
        configured ? std::string(kRootConfigName) +
                         ": the workspace has no services; list their directories under "
                         "'services:'"
                   : "no " + std::string(kRootConfigName) + " in " + root +
                         " and no services found by inference (docs/inference.md); create a " +
                         kRootConfigName + " that lists them under 'services:'"});
  }
  for (const auto& w : workspace->warnings()) {
    warnings.push_back(w);
  }
  if (tracked) {
    for (auto& w : unowned_manifest_warnings(fs, root, *tracked, *workspace, *rules)) {
      warnings.push_back(std::move(w));
    }
  }
  return LoadedWorkspace{root, std::move(*workspace), std::move(warnings)};
}

}  // namespace ripple
