#include "graph/affected.h"

#include <algorithm>
#include <deque>

#include "graph/input_matcher.h"

namespace ripple::graph {
namespace {

constexpr const char* kRootConfig = "ripple.yaml";

struct Direct {
  std::optional<Reason> reason;
  std::vector<std::string> paths;
  std::size_t count = 0;
};

// A stronger reason replaces a weaker one's evidence; an equal one adds to it.
void note(Direct& d, Reason reason, const RepoPath& path) {
  if (!d.reason || reason < *d.reason) {
    d.reason = reason;
    d.paths.clear();
    d.count = 0;
  }
  if (reason == *d.reason) {
    if (d.paths.size() < kMaxEvidencePaths) {
      d.paths.push_back(path.str());
    }
    ++d.count;
  }
}

}  // namespace

const char* reason_name(Reason reason) {
  switch (reason) {
    case Reason::config:
      return "config";
    case Reason::global:
      return "global";
    case Reason::unowned:
      return "unowned";
    case Reason::changed:
      return "changed";
    case Reason::dependency:
      return "dependency";
    case Reason::removed:
      return "removed";
    case Reason::no_base:
      return "no-base";
  }
  return "changed";
}

AffectedSet compute_affected(const Workspace& ws, const ChangeSet& changes,
                             const std::vector<RemovedService>& removed,
                             const std::vector<PartChange>& parts) {
  const ServiceGraph& g = ws.graph();
  const std::size_t n = g.size();
  InputMatcher matcher(ws);
  std::vector<Direct> direct(n);
  std::vector<RepoPath> everyone_config;
  std::vector<RepoPath> everyone_global;
  std::vector<RepoPath> everyone_unowned;
  AffectedSet out;

  for (const ChangedFile& file : changes.files) {
    FileOutcome outcome{file.path, file.kind, FileOutcome::Kind::unowned, {}};
    if (file.path.str() == kRootConfig) {
      outcome.kind = FileOutcome::Kind::config;
      everyone_config.push_back(file.path);
    } else if (matcher.ignored(file.path)) {
      outcome.kind = FileOutcome::Kind::ignored;
    } else if (auto own = matcher.owner(file.path); matcher.output(file.path.str(), own)) {
      outcome.kind = FileOutcome::Kind::output;
      outcome.services = {*own};
    } else if (matcher.global(file.path)) {
      outcome.kind = FileOutcome::Kind::global;
      everyone_global.push_back(file.path);
    } else if (auto svc = matcher.config_of(file.path)) {
      outcome.kind = FileOutcome::Kind::service_config;
      outcome.services = {*svc};
      note(direct[svc->value], Reason::config, file.path);
    } else {
      outcome.services = matcher.services_for(file.path);
      if (!outcome.services.empty()) {
        outcome.kind = FileOutcome::Kind::input;
      } else if (auto owner = matcher.owner(file.path)) {
        outcome.kind = FileOutcome::Kind::excluded;
        outcome.services = {*owner};
      } else if (auto part = std::find_if(parts.begin(), parts.end(),
                                          [&](const PartChange& p) { return p.path == file.path; });
                 part != parts.end()) {
        outcome.kind = FileOutcome::Kind::shared;
        outcome.services = part->services;
        for (ServiceId id : outcome.services) {
          note(direct[id.value], Reason::changed, file.path);
        }
      }
      if (outcome.kind == FileOutcome::Kind::input) {
        for (ServiceId id : outcome.services) {
          note(direct[id.value], Reason::changed, file.path);
        }
      }
      if (outcome.kind == FileOutcome::Kind::unowned && ws.config().unowned == UnownedPolicy::all) {
        everyone_unowned.push_back(file.path);
      }
    }
    out.files.push_back(std::move(outcome));
  }
  for (std::size_t i = 0; i < n; ++i) {
    for (const RepoPath& p : everyone_global) {
      note(direct[i], Reason::global, p);
    }
    for (const RepoPath& p : everyone_unowned) {
      note(direct[i], Reason::unowned, p);
    }
    for (const RepoPath& p : everyone_config) {
      note(direct[i], Reason::config, p);
    }
  }

  // Multi-source breadth-first search from the directly affected services along dependents:
  // every service reached gets the shortest chain to a directly affected one.
  // Each service's chain length and root are its next hop's plus one and the same, so they are
  // known in the order services are reached, without walking any chain.
  std::vector<std::int64_t> next_hop(n, -1);
  std::vector<std::uint32_t> root(n);
  std::vector<std::size_t> length(n, 0);
  std::vector<bool> reached(n, false);
  std::deque<ServiceId> queue;
  for (std::uint32_t i = 0; i < n; ++i) {
    if (direct[i].reason) {
      reached[i] = true;
      root[i] = i;
      queue.push_back(ServiceId{i});
    }
  }
  while (!queue.empty()) {
    ServiceId at = queue.front();
    queue.pop_front();
    for (ServiceId dependent : g.dependents(at)) {
      if (!reached[dependent.value]) {
        reached[dependent.value] = true;
        next_hop[dependent.value] = at.value;
        root[dependent.value] = root[at.value];
        length[dependent.value] = length[at.value] + 1;
        queue.push_back(dependent);
      }
    }
  }

  out.mask = reached;
  for (ServiceId id : g.topo_order()) {
    if (!reached[id.value]) {
      continue;
    }
    const ServiceSpec& spec = ws.service(id);
    AffectedService a{spec.name, spec.dir, id, Reason::dependency, {}, 0, {}};
    if (direct[id.value].reason) {
      a.reason = *direct[id.value].reason;
      a.paths = std::move(direct[id.value].paths);
      a.path_count = direct[id.value].count;
    } else {
      a.chain_length = length[id.value];
      const std::size_t walk =
          a.chain_length <= kMaxChainShown ? a.chain_length : kMaxChainShown - 1;
      std::int64_t hop = next_hop[id.value];
      for (std::size_t k = 0; k < walk && hop >= 0; ++k, hop = next_hop[hop]) {
        a.chain.push_back(ServiceId{static_cast<std::uint32_t>(hop)});
      }
      if (a.chain_length > kMaxChainShown) {
        a.chain.push_back(ServiceId{root[id.value]});
      }
    }
    out.services.push_back(std::move(a));
  }
  std::vector<RemovedService> gone = removed;
  std::sort(gone.begin(), gone.end(),
            [](const RemovedService& a, const RemovedService& b) { return a.name < b.name; });
  for (const RemovedService& r : gone) {
    out.services.push_back(AffectedService{
        r.name, r.dir, std::nullopt, Reason::removed, {r.config_file.str()}, 1, {}});
  }
  return out;
}

std::vector<RepoPath> unowned_files(const AffectedSet& set) {
  std::vector<RepoPath> out;
  for (const FileOutcome& f : set.files) {
    if (f.kind == FileOutcome::Kind::unowned) {
      out.push_back(f.path);
    }
  }
  return out;
}

AffectedSet all_services(const Workspace& ws, Reason reason) {
  AffectedSet out;
  out.mask.assign(ws.graph().size(), true);
  for (ServiceId id : ws.graph().topo_order()) {
    const ServiceSpec& spec = ws.service(id);
    out.services.push_back(AffectedService{spec.name, spec.dir, id, reason, {}, 0, {}});
  }
  return out;
}

}  // namespace ripple::graph
