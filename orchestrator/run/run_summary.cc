#include "orchestrator/run/run_summary.h"

#include <cmath>
#include <nlohmann/json.hpp>

namespace ripple {
namespace {

using Json = nlohmann::ordered_json;

std::int64_t ms(double seconds) { return static_cast<std::int64_t>(std::llround(seconds * 1000)); }

Json selection_json(const RunRecord& run) {
  const RunSelection& sel = run.selection;
  Json services = Json::array();
  if (sel.mode == SelectionMode::affected && sel.affected != nullptr) {
    for (const graph::AffectedService& s : sel.affected->set.services) {
      Json because = Json::array();
      if (s.reason == graph::Reason::dependency) {
        for (ServiceId id : s.chain) {
          because.push_back(run.ws.graph().name(id));
        }
      } else {
        for (const std::string& p : s.paths) {
          because.push_back(p);
        }
      }
      services.push_back({{"name", s.name},
                          {"dir", s.dir.str()},
                          {"reason", graph::reason_name(s.reason)},
                          {"because", std::move(because)}});
    }
  } else {
    const char* reason = sel.mode == SelectionMode::all ? "all" : "only";
    for (ServiceId id : sel.services) {
      const graph::ServiceSpec& spec = run.ws.service(id);
      services.push_back({{"name", spec.name},
                          {"dir", spec.dir.str()},
                          {"reason", reason},
                          {"because", Json::array()}});
    }
  }
  Json unowned = Json::array();
  if (sel.affected != nullptr) {
    for (const RepoPath& p : graph::unowned_files(sel.affected->set)) {
      unowned.push_back(p.str());
    }
  }
  const char* mode = sel.mode == SelectionMode::affected ? "affected"
                     : sel.mode == SelectionMode::all    ? "all"
                                                         : "only";
  return {{"mode", mode},
          {"total", sel.total},
          {"services", std::move(services)},
          {"unowned", std::move(unowned)}};
}

Json scm_json(const RunRecord& run) {
  const AffectedReport* a = run.selection.affected;
  if (a == nullptr || !a->changes || !a->base) {
    return nullptr;
  }
  return {{"type", "git"},
          {"sha", a->changes->head},
          {"base", a->base->ref},
          {"baseSource", a->base->source},
          {"mergeBase", a->changes->merge_base},
          {"worktree", a->changes->includes_worktree},
          {"changedFiles", a->changes->files.size()}};
}

Json task_json(const RunRecord& run, graph::TaskId id,
               const std::vector<std::vector<std::string>>& dependents) {
  const graph::TaskNode& n = run.tasks.node(id);
  const graph::ServiceSpec& service = run.ws.service(n.service);
  const graph::TaskSpec& spec = service.tasks.at(n.name);
  const TaskOutcome& o = run.outcomes[id.value];
  std::vector<std::string> deps;
  for (graph::TaskId d : n.deps) {
    deps.push_back(run.tasks.node(d).label);
  }
  Json cache = nullptr;
  if (o.status != TaskOutcome::Status::noop) {
    const bool hit = o.status == TaskOutcome::Status::cached;
    cache = {{"status", hit ? "HIT" : "MISS"},
             {"local", hit && !o.remote_hit},
             {"remote", hit && o.remote_hit},
             {"source", hit ? Json(o.remote_hit ? "REMOTE" : "LOCAL") : Json(nullptr)},
             {"timeSaved", hit ? ms(o.saved_seconds) : 0},
             {"enabled", run.cache_on && spec.cache}};
  }
  Json execution = nullptr;
  if (o.start_ms > 0) {
    execution = {{"startTime", o.start_ms},
                 {"endTime", o.end_ms},
                 {"exitCode", o.exit_code},
                 {"error", o.status == TaskOutcome::Status::failed ? Json(o.note) : Json(nullptr)}};
  }
  return {{"taskId", n.label},
          {"task", n.name},
          {"service", service.name},
          {"directory", service.dir.str()},
          {"hash", run.keys[id.value].key},
          {"command", spec.run},
          {"status", status_name(o.status)},
          {"requested", n.requested},
          {"cache", std::move(cache)},
          {"execution", std::move(execution)},
          {"note", o.status == TaskOutcome::Status::skipped ? Json(o.note) : Json(nullptr)},
          {"dependencies", deps},
          {"dependents", dependents[id.value]},
          {"outputs", spec.outputs},
          {"logFile", spec.run.empty() || o.status == TaskOutcome::Status::skipped
                          ? Json(nullptr)
                          : Json(task_log_path(service.name, n.name))}};
}

}  // namespace

std::string task_log_path(const std::string& service, const std::string& task) {
  return ".ripple/logs/" + service + "/" + task + ".log";
}

std::string format_run_summary(const RunRecord& run) {
  std::vector<std::vector<std::string>> dependents(run.tasks.size());
  for (graph::TaskId id : run.tasks.topo_order()) {
    for (graph::TaskId d : run.tasks.node(id).deps) {
      dependents[d.value].push_back(run.tasks.node(id).label);
    }
  }
  Json tasks = Json::array();
  for (graph::TaskId id : run.tasks.topo_order()) {
    tasks.push_back(task_json(run, id, dependents));
  }
  const RunTotals totals = count_outcomes(run.outcomes);
  Json services = Json::array();
  for (ServiceId id : run.selection.services) {
    services.push_back(run.ws.service(id).name);
  }
  Json doc;
  doc["version"] = kSummaryVersion;
  doc["rippleVersion"] = run.ripple_version;
  doc["execution"] = {{"command", run.command},
                      {"repoPath", run.root},
                      {"startTime", run.start_ms},
                      {"endTime", run.end_ms},
                      {"exitCode", run.exit_code},
                      {"attempted", totals.ran + totals.cached + totals.failed},
                      {"success", totals.ran + totals.cached},
                      {"cached", totals.cached},
                      {"ran", totals.ran},
                      {"failed", totals.failed},
                      {"skipped", totals.skipped},
                      {"timeSaved", ms(totals.saved_seconds)}};
  doc["scm"] = scm_json(run);
  doc["selection"] = selection_json(run);
  doc["services"] = std::move(services);
  doc["tasks"] = std::move(tasks);
  return doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace ripple
