#include "orchestrator/change_detection.h"

#include <algorithm>

#include "graph/config_parser.h"
#include "graph/glob.h"
#include "orchestrator/affected_format.h"
#include "orchestrator/part_changes.h"

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
  auto parts = part_changes(ws, scan->changes, vcs, fs, loaded.root);
  AffectedReport report{graph::compute_affected(ws, scan->changes, removed, parts),
                        std::move(scan->changes), std::move(*base), std::move(scan->files)};
  return report;
}

}  // namespace ripple
