#include "orchestrator/change_detection.h"

#include <algorithm>
#include <set>

#include "graph/config_parser.h"
#include "graph/glob.h"
#include "orchestrator/affected_format.h"
#include "rules/compose.h"
#include "rules/discovery.h"
#include "rules/node_lockfile.h"
#include "rules/node_workspaces.h"

namespace ripple {
namespace {

// A service.yaml deleted since the base, in a directory the `services:` globs cover and that is
// no service at head, is a removed service. Its name comes from the base's service.yaml.
std::vector<graph::RemovedService> find_removed(const graph::Workspace& ws,
                                                const graph::ChangeSet& changes, const Vcs& vcs) {
  std::vector<graph::RemovedService> out;
  for (const graph::ChangedFile& file : changes.files) {
    if (file.kind != graph::ChangeKind::deleted || file.path.name() != kServiceConfigName) {
      continue;
    }
    RepoPath dir = file.path.parent();
    bool still_there = false;
    for (const auto& s : ws.services()) {
      still_there = still_there || s.dir == dir;
    }
    bool listed = false;
    for (const auto& entry : ws.config().services) {
      auto pattern = RepoPath::parse(entry.value);
      listed = listed || (pattern && graph::glob::match(pattern->str(), dir.str()));
    }
    if (still_there || !listed) {
      continue;
    }
    std::string name(dir.name());
    if (auto text = vcs.read_at(changes.merge_base, file.path); text && *text) {
      if (auto cfg = graph::parse_service_config(**text, file.path.str()); cfg && cfg->name) {
        name = cfg->name->value;
      }
    }
    if (ws.graph().find(name)) {
      continue;  // moved to another directory, not removed
    }
    out.push_back(graph::RemovedService{name, dir, file.path});
  }
  return out;
}

// The lockfiles the node rule reads part by part: which services' installed dependencies a
// change to one touched (rules/node_lockfile.h). A lockfile whose versions cannot be read that
// way stays a file no service owns.
// A file's two versions: at the base, and at the head (the work tree when it is compared).
// Nothing for a side where it does not exist; false when a side cannot be read.
bool read_both(const graph::ChangeSet& changes, const graph::ChangedFile& file, const Vcs& vcs,
               const Filesystem& fs, const std::string& root, std::optional<std::string>& before,
               std::optional<std::string>& after) {
  auto old_text = vcs.read_at(changes.merge_base, file.path);
  if (!old_text) {
    return false;
  }
  before = std::move(*old_text);
  after.reset();
  if (changes.includes_worktree) {
    if (fs.kind(path_join(root, file.path.str())) == FileKind::missing) {
      return true;
    }
    auto text = fs.read_file(path_join(root, file.path.str()));
    if (!text) {
      return false;
    }
    after = std::move(*text);
    return true;
  }
  auto new_text = vcs.read_at(changes.head, file.path);
  if (!new_text) {
    return false;
  }
  after = std::move(*new_text);
  return true;
}

// The Compose file's and .env's parts (rules/compose.h): the services whose block changed, or
// whose variables' values did. Services are found by their Compose names.
void compose_part_changes(const graph::Workspace& ws, const graph::ChangeSet& changes,
                          const Vcs& vcs, const Filesystem& fs, const std::string& root,
                          std::vector<graph::PartChange>& out) {
  auto service = [&](const std::string& name) { return ws.graph().find(name); };
  std::optional<std::string> compose_name;
  for (const std::string& name : rules::compose_file_names()) {
    if (fs.kind(path_join(root, name)) == FileKind::file) {
      compose_name = name;
      break;
    }
  }
  for (const graph::ChangedFile& file : changes.files) {
    const bool is_compose = compose_name && file.path.str() == *compose_name;
    if (!is_compose && file.path.str() != ".env") {
      continue;
    }
    std::optional<std::string> before;
    std::optional<std::string> after;
    if (!read_both(changes, file, vcs, fs, root, before, after)) {
      continue;
    }
    graph::PartChange part{file.path, {}};
    if (is_compose) {
      auto old_parts = rules::compose_parts(before.value_or(""));
      auto new_parts = rules::compose_parts(after.value_or(""));
      if (!old_parts || !new_parts) {
        continue;
      }
      std::set<std::string> touched;
      for (const auto& [name, p] : *new_parts) {
        auto was = old_parts->find(name);
        if (was == old_parts->end() || was->second.block != p.block) {
          touched.insert(name);
        }
      }
      for (const auto& [name, p] : *old_parts) {
        if (new_parts->count(name) == 0) {
          touched.insert(name);
        }
      }
      for (const std::string& name : touched) {
        if (auto id = service(name)) {
          part.services.push_back(*id);
        }
      }
    } else {
      if (!compose_name) {
        continue;
      }
      auto text = fs.read_file(path_join(root, *compose_name));
      auto parts = text ? rules::compose_parts(*text) : std::nullopt;
      if (!parts) {
        continue;
      }
      const auto old_env = rules::parse_dotenv(before.value_or(""));
      const auto new_env = rules::parse_dotenv(after.value_or(""));
      for (const auto& [name, p] : *parts) {
        bool moved = false;
        for (const std::string& variable : p.variables) {
          auto a = old_env.find(variable);
          auto b = new_env.find(variable);
          moved = moved || (a == old_env.end()) != (b == new_env.end()) ||
                  (a != old_env.end() && a->second != b->second);
        }
        if (auto id = service(name); moved && id) {
          part.services.push_back(*id);
        }
      }
    }
    std::sort(part.services.begin(), part.services.end());
    out.push_back(std::move(part));
  }
}

std::vector<graph::PartChange> find_part_changes(const graph::Workspace& ws,
                                                 const graph::ChangeSet& changes, const Vcs& vcs,
                                                 const Filesystem& fs, const std::string& root) {
  std::vector<graph::PartChange> out;
  auto enabled = rules::enabled_rules(ws.config());
  if (!enabled) {
    return out;
  }
  auto on = [&](const char* rule) {
    return std::find(enabled->begin(), enabled->end(), rule) != enabled->end();
  };
  if (on(rules::kComposeRule)) {
    compose_part_changes(ws, changes, vcs, fs, root, out);
  }
  if (!on(rules::kNodeRule)) {
    return out;
  }
  for (const graph::ChangedFile& file : changes.files) {
    if (file.path.str() != "package-lock.json") {
      continue;
    }
    std::optional<std::string> before;
    std::optional<std::string> after;
    if (!read_both(changes, file, vcs, fs, root, before, after)) {
      continue;
    }
    std::vector<RepoPath> dirs;
    for (const auto& s : ws.services()) {
      dirs.push_back(s.dir);
    }
    auto changed = rules::npm_lock_changed_packages(
        before ? std::optional<std::string_view>(*before) : std::nullopt,
        after ? std::optional<std::string_view>(*after) : std::nullopt, dirs);
    if (!changed) {
      continue;
    }
    graph::PartChange part{file.path, {}};
    for (const auto& s : ws.services()) {
      if (std::find(changed->begin(), changed->end(), s.dir) != changed->end()) {
        part.services.push_back(*ws.graph().find(s.name));
      }
    }
    out.push_back(std::move(part));
  }
  return out;
}

}  // namespace

void report_unowned(Reporter& reporter, const graph::Workspace& ws, const graph::AffectedSet& set) {
  std::string unowned = format_unowned(set);
  if (unowned.empty() || ws.config().unowned == graph::UnownedPolicy::ignore) {
    return;
  }
  if (ws.config().unowned == graph::UnownedPolicy::warn) {
    reporter.warning(unowned + " (set 'unowned:' in ripple.yaml to ignore or all)");
  } else {
    reporter.info(unowned + "; every service is affected (unowned: all)");
  }
}

Result<AffectedReport> detect_affected(const LoadedWorkspace& loaded, const Vcs& vcs,
                                       const EnvLookup& env, const Filesystem& fs,
                                       const AffectedOptions& options, Reporter& reporter,
                                       std::optional<FileListing> listing) {
  const graph::Workspace& ws = loaded.workspace;
  auto fallback = [&](const Error& error) -> Result<AffectedReport> {
    if (!options.fallback_all || error.kind != ErrorKind::environment) {
      return tl::unexpected(error);
    }
    reporter.warning(error.message);
    reporter.warning("--fallback=all: treating every service as affected (reason no-base)");
    return AffectedReport{graph::all_services(ws, graph::Reason::no_base), std::nullopt,
                          std::nullopt, std::nullopt};
  };
  auto base = choose_base(options.base, env, fs, ws.config().base, vcs);
  if (!base) {
    return fallback(base.error());
  }
  ChangeQuery query{base->ref, options.head, options.include_worktree};
  auto scan = vcs.scan_changes(query, listing);
  if (!scan) {
    return fallback(scan.error());
  }
  auto removed = find_removed(ws, scan->changes, vcs);
  auto parts = find_part_changes(ws, scan->changes, vcs, fs, loaded.root);
  AffectedReport report{graph::compute_affected(ws, scan->changes, removed, parts),
                        std::move(scan->changes), std::move(*base), std::move(scan->files)};
  return report;
}

}  // namespace ripple
