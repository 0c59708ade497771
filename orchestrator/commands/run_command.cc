#include "orchestrator/commands/run_command.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <boost/filesystem.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <ostream>
#include <thread>

#include "cache/local_store.h"
#include "graph/support/text.h"
#include "graph/task_graph.h"
#include "orchestrator/command_support.h"
#include "orchestrator/commands/affected_command.h"
#include "orchestrator/input_scan.h"
#include "orchestrator/key_notes.h"
#include "orchestrator/phase_timer.h"
#include "orchestrator/run/log_printer.h"
#include "orchestrator/run/miss_explainer.h"
#include "orchestrator/run/process_runner.h"
#include "orchestrator/run/scheduler.h"
#include "orchestrator/run/task_executor.h"
#include "orchestrator/task_key.h"

namespace ripple {
namespace {

// Ctrl-C: the handler can only flip a flag; the scheduler and the process runner watch it.
std::atomic<bool>* g_interrupt = nullptr;
std::atomic<bool> g_signalled{false};
void on_interrupt(int) {
  g_signalled.store(true);
  if (g_interrupt != nullptr) {
    g_interrupt->store(true);
  }
}

std::string seconds_text(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f s", s);
  return buf;
}

LogOrder log_order(const CommandContext& ctx, const std::string& asked) {
  if (asked == "stream") {
    return LogOrder::stream;
  }
  if (asked == "grouped") {
    return LogOrder::grouped;
  }
  bool ci = ctx.env("CI").has_value() || ctx.env("GITHUB_ACTIONS").has_value();
  return !ci && isatty(STDERR_FILENO) ? LogOrder::stream : LogOrder::grouped;
}

int execute_plan(const CommandContext& ctx, const RunOptions& options,
                 const LoadedWorkspace& loaded, const graph::TaskGraph& tasks,
                 const std::vector<TaskKey>& keys, const InputIndex& inputs) {
  const graph::Workspace& ws = loaded.workspace;
  PhaseTimer timer(ctx);
  auto notes = [&](graph::TaskId id) { return make_key_notes(tasks, keys, inputs, id); };
  auto cacheable = [&](graph::TaskId id) {
    const graph::TaskNode& n = tasks.node(id);
    const graph::TaskSpec& spec = ws.service(n.service).tasks.at(n.name);
    return !spec.run.empty() && spec.cache;
  };
  std::unique_ptr<cache::LocalStore> store;
  if (options.cache != "off") {
    // Shared with other runs: lookups take no lock, results are written in short sessions under
    // it while tasks go on (cache/local_store.h).
    auto opened = open_run_cache(ctx, loaded, std::chrono::seconds(options.lock_timeout_seconds));
    if (!opened) {
      return report_failure(ctx, opened.error());
    }
    store = std::move(*opened);
  }
  timer.lap("open the local cache");
  if (options.explain_misses) {
    if (!store) {
      ctx.reporter.warning("--explain-misses needs the cache; it is off");
    } else {
      for (const MissExplanation& miss : explain_misses(*store, tasks, keys, cacheable, notes)) {
        ctx.reporter.raw("ripple: " + format_miss(tasks, keys, miss));
      }
    }
  }
  PosixProcessRunner runner;
  LogPrinter printer(ctx.reporter, tasks, log_order(ctx, options.log_order),
                     ctx.env("GITHUB_ACTIONS").has_value());
  TaskExecutor executor(ExecutorSetup{.ws = ws,
                                      .tasks = tasks,
                                      .keys = keys,
                                      .root = loaded.root,
                                      .store = store.get(),
                                      .runner = runner,
                                      .reporter = ctx.reporter,
                                      .printer = &printer,
                                      .notes = notes,
                                      .log_dir = loaded.root + "/.ripple/logs"});
  ScheduleOptions schedule;
  schedule.jobs = options.jobs > 0
                      ? options.jobs
                      : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  schedule.keep_going = options.keep_going;
  schedule.on_done = [&](graph::TaskId id, const TaskOutcome& o) { printer.finished(id, o); };
  std::atomic<bool> cancel{false};
  g_interrupt = &cancel;
  struct sigaction sa {};
  sa.sa_handler = on_interrupt;
  struct sigaction old_int {};
  struct sigaction old_term {};
  sigaction(SIGINT, &sa, &old_int);
  sigaction(SIGTERM, &sa, &old_term);  // CI cancels a job with SIGTERM: same as Ctrl-C
  auto started = std::chrono::steady_clock::now();
  timer.lap("prepare the run");
  std::vector<TaskOutcome> outcomes = run_schedule(tasks, executor, schedule, cancel);
  timer.lap("run tasks");
  if (store) {
    store->flush();  // every result stored, or warned about, before the run reports
    timer.lap("finish storing results");
  }
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  sigaction(SIGINT, &old_int, nullptr);
  sigaction(SIGTERM, &old_term, nullptr);
  g_interrupt = nullptr;
  // Only a signal is an interruption: fail-fast sets `cancel` too.
  const bool interrupted = g_signalled.load();

  std::size_t counts[4] = {0, 0, 0, 0};
  double saved = 0;
  bool any_failed = false;
  for (const TaskOutcome& o : outcomes) {
    ++counts[static_cast<int>(o.status)];
    saved += o.saved_seconds;
    any_failed = any_failed || o.status == TaskOutcome::Status::failed;
  }
  ctx.reporter.info(std::to_string(outcomes.size()) + " tasks in " + seconds_text(wall) + ": " +
                    std::to_string(counts[0]) + " ran, " + std::to_string(counts[1]) + " cached, " +
                    std::to_string(counts[2]) + " failed, " + std::to_string(counts[3]) +
                    " skipped; the cache saved " + seconds_text(saved));
  if (!options.summary_file.empty()) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (graph::TaskId id : tasks.topo_order()) {
      const TaskOutcome& o = outcomes[id.value];
      list.push_back({{"task", tasks.node(id).label},
                      {"key", keys[id.value].key},
                      {"status", status_name(o.status)},
                      {"cache", o.status == TaskOutcome::Status::cached ? "local" : ""},
                      {"seconds", o.seconds},
                      {"saved_seconds", o.saved_seconds},
                      {"exit_code", o.exit_code}});
    }
    nlohmann::ordered_json doc;
    doc["version"] = 1;
    doc["tasks"] = std::move(list);
    std::ofstream(options.summary_file)
        << doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  }
  if (interrupted) {
    return 130;  // tasks it stopped count as failed above, but the run was interrupted
  }
  return any_failed ? 1 : 0;
}

}  // namespace

int run_run_command(const CommandContext& ctx, const RunOptions& options) {
  auto fail = [&](const Error& e) { return report_failure(ctx, e); };
  PhaseTimer timer(ctx);
  std::string selection = options.selection;
  if (selection.empty()) {
    selection = ctx.env("CI").has_value() ? "affected" : "all";
  }

  // The services whose tasks were asked for.
  std::optional<LoadedWorkspace> loaded;
  std::vector<ServiceId> services;
  // The files are listed while the workspace loads; with change detection that looks at the
  // work tree, by the scan that finds the uncommitted changes (one walk for both).
  std::optional<FilesAhead> ahead;
  if (selection == "affected") {
    const bool worktree = options.detection.include_worktree;
    if (!worktree) {
      auto root = workspace_root_for(ctx);
      if (!root) {
        return fail(root.error());
      }
      ahead.emplace(ctx, *root, false);
    }
    auto run = load_and_detect(ctx, options.detection, worktree);
    if (!run) {
      return fail(run.error());
    }
    if (run->files) {
      ahead.emplace(std::move(*run->files));
    }
    for (const auto& s : run->report.set.services) {
      if (s.id) {
        services.push_back(*s.id);
      }
    }
    loaded = std::move(run->loaded);
  } else {
    auto root = workspace_root_for(ctx);
    if (!root) {
      return fail(root.error());
    }
    ahead.emplace(ctx, *root, options.detection.include_worktree);
    auto l = load_workspace_at(ctx, *root);
    if (!l) {
      return fail(l.error());
    }
    loaded = std::move(*l);
    const auto& g = loaded->workspace.graph();
    if (selection == "all") {
      services.assign(g.topo_order().begin(), g.topo_order().end());
    } else {
      std::vector<std::string> names;
      for (const auto& s : loaded->workspace.services()) {
        names.push_back(s.name);
      }
      for (const std::string& name : options.only) {
        auto id = g.find(name);
        if (!id) {
          return fail(Error{ErrorKind::input,
                            "--only: unknown service '" + name + "'" + did_you_mean(name, names)});
        }
        services.push_back(*id);
      }
    }
  }
  const graph::Workspace& ws = loaded->workspace;
  timer.lap("select services");

  auto tasks = graph::TaskGraph::build(ws, services, options.tasks);
  if (!tasks) {
    return fail(tasks.error());
  }
  timer.lap("task graph");
  auto inputs = scan_inputs(ctx, *loaded, options.detection.include_worktree, InputDetail::files,
                            ahead ? &*ahead : nullptr);
  if (!inputs) {
    return fail(inputs.error());
  }
  timer.lap("inputs");
  std::vector<TaskKey> keys = compute_task_keys(ws, *tasks, *inputs, ctx.env);
  timer.lap("task keys");

  if (options.dry_run.empty()) {
    return execute_plan(ctx, options, *loaded, *tasks, keys, *inputs);
  }

  // What the cache would answer: "hit", "miss", "never" (cache: false) or "no-op" (no command).
  std::vector<std::string> expected(tasks->size(), "miss");
  std::unique_ptr<cache::LocalStore> store;
  // Only looked at: read-only, no lock (a plan can be printed while another ripple runs).
  if (options.cache != "off" && boost::filesystem::exists(local_cache_dir(*loaded))) {
    auto opened = cache::LocalStore::open_read_only(local_cache_dir(*loaded));
    if (opened) {
      store = std::move(*opened);
    } else {
      ctx.reporter.warning(opened.error().message + "; cache hits not predicted");
    }
  }
  for (graph::TaskId id : tasks->topo_order()) {
    const graph::TaskNode& n = tasks->node(id);
    const graph::TaskSpec& spec = ws.service(n.service).tasks.at(n.name);
    if (spec.run.empty()) {
      expected[id.value] = "no-op";
    } else if (!spec.cache || options.cache == "off") {
      expected[id.value] = "never";
    } else if (store && store->has(keys[id.value].key)) {
      expected[id.value] = "hit";
    }
  }

  if (options.dry_run == "json") {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (graph::TaskId id : tasks->topo_order()) {
      const graph::TaskNode& n = tasks->node(id);
      const graph::TaskSpec& spec = ws.service(n.service).tasks.at(n.name);
      std::vector<std::string> deps;
      for (graph::TaskId d : n.deps) {
        deps.push_back(tasks->node(d).label);
      }
      list.push_back({{"task", n.label},
                      {"service", ws.service(n.service).name},
                      {"name", n.name},
                      {"dir", ws.service(n.service).dir.str()},
                      {"key", keys[id.value].key},
                      {"command", spec.run},
                      {"deps", deps},
                      {"outputs", spec.outputs},
                      {"requested", n.requested},
                      {"cache", expected[id.value]},
                      {"manifest", nlohmann::json::parse(keys[id.value].manifest)}});
    }
    nlohmann::ordered_json doc;
    doc["version"] = 1;
    doc["tasks"] = std::move(list);
    ctx.out << doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return 0;
  }
  for (graph::TaskId id : tasks->topo_order()) {
    const graph::TaskNode& n = tasks->node(id);
    const graph::TaskSpec& spec = ws.service(n.service).tasks.at(n.name);
    ctx.out << n.label << "  " << keys[id.value].key.substr(0, 16) << "  "
            << (spec.run.empty() ? "(no command)" : spec.run) << (n.requested ? "" : "  [dep]")
            << (expected[id.value] == "hit" ? "  (cached)" : "") << "\n";
  }
  return 0;
}

}  // namespace ripple
