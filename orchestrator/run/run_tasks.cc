#include "orchestrator/run/run_tasks.h"

#include <unistd.h>

#include <atomic>
#include <boost/filesystem.hpp>
#include <charconv>
#include <fstream>
#include <ostream>
#include <thread>

#include "cache/local_store.h"
#include "cache/tiered_store.h"
#include "graph/image_task.h"
#include "graph/support/text.h"
#include "graph/task_graph.h"
#include "orchestrator/affected_format.h"
#include "orchestrator/affected_scan.h"
#include "orchestrator/ci_environment.h"
#include "orchestrator/command_setup.h"
#include "orchestrator/images/registry_client.h"
#include "orchestrator/input_scan.h"
#include "orchestrator/inputs/key_notes.h"
#include "orchestrator/inputs/task_inputs.h"
#include "orchestrator/inputs/task_key.h"
#include "orchestrator/phase_timer.h"
#include "orchestrator/platform/interrupt.h"
#include "orchestrator/platform/orphans.h"
#include "orchestrator/platform/task_watchdog.h"
#include "orchestrator/run/live_status.h"
#include "orchestrator/run/log_printer.h"
#include "orchestrator/run/miss_explainer.h"
#include "orchestrator/run/plan_format.h"
#include "orchestrator/run/process_runner.h"
#include "orchestrator/run/run_report.h"
#include "orchestrator/run/run_summary.h"
#include "orchestrator/run/scheduler.h"
#include "orchestrator/run/task_executor.h"
#include "orchestrator/service_parts.h"
#include "orchestrator/version.h"

namespace ripple {
namespace {

LogOrder log_order(const CommandContext& ctx, std::optional<LogOrder> asked) {
  if (asked) {
    return *asked;
  }
  bool ci = detect_ci(ctx.env) != CiKind::none || ctx.env("GITHUB_ACTIONS").has_value();
  return !ci && isatty(STDERR_FILENO) ? LogOrder::stream : LogOrder::grouped;
}

// The live status line needs a terminal that is not a CI log.
bool live_status_wanted(const CommandContext& ctx) {
  return isatty(STDERR_FILENO) && detect_ci(ctx.env) == CiKind::none &&
         ctx.env("TERM").value_or("dumb") != "dumb";
}

// What a run is about, once planned: the workspace, the selection and the keyed tasks.
struct Plan {
  const CommandContext& ctx;
  const RunOptions& options;
  const LoadedWorkspace& loaded;
  const RunSelection& selection;
  const graph::TaskGraph& tasks;
  const std::vector<TaskKey>& keys;
  const InputIndex* inputs;  // null when there is no task to key
  std::span<const std::optional<ServiceInputs>> own_inputs;
  std::int64_t start_ms;
  std::chrono::steady_clock::time_point started;
  PhaseTimer& timer;  // ripple's phases, for --profile
  // With --push: the registry's answer for each image task, by TaskId.
  std::vector<std::optional<RegistryAnswer>> registry;

  const graph::TaskSpec& spec(graph::TaskId id) const {
    const graph::TaskNode& n = tasks.node(id);
    return loaded.workspace.service(n.service).tasks.at(n.name);
  }
  bool cacheable(graph::TaskId id) const {
    return !spec(id).run.empty() && spec(id).cache && options.cache != CacheUse::off;
  }
  std::size_t with_command() const {
    std::size_t n = 0;
    for (std::uint32_t i = 0; i < tasks.size(); ++i) {
      n += spec(graph::TaskId{i}).run.empty() ? 0 : 1;
    }
    return n;
  }
};

// Writes the run's summary to options.summary_file and the other report files (when asked);
// false, with an error reported, when one cannot be written whole.
bool write_summary(const Plan& plan, std::span<const TaskOutcome> outcomes, int exit_code) {
  RunRecord record{kVersion,
                   plan.options.command_line,
                   plan.loaded.root,
                   plan.selection,
                   plan.loaded.workspace,
                   plan.tasks,
                   plan.keys,
                   outcomes,
                   plan.start_ms,
                   now_ms(plan.ctx.clock),
                   exit_code,
                   plan.options.cache != CacheUse::off};
  // --profile, --junit and the GitHub step summary.
  const bool reports =
      write_report_files(plan.ctx, plan.options.reports, record, plan.timer.phases(), plan.started);
  if (plan.options.summary_file.empty()) {
    return reports;
  }
  const std::string text = format_run_summary(record);
  std::ofstream out(plan.options.summary_file, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  out.close();
  if (!out) {
    plan.ctx.reporter.error("cannot write the summary to " + plan.options.summary_file + ": " +
                            std::strerror(errno) +
                            "; check that its directory exists and has room");
    return false;
  }
  return reports;
}

// The task's log tail, its exit code and its log's path again at the end of the run; and, on
// GitHub Actions, an annotation per failure.
void report_failures(const Plan& plan, std::span<const TaskOutcome> outcomes) {
  const bool github = detect_ci(plan.ctx.env) == CiKind::github;
  for (graph::TaskId id : plan.tasks.topo_order()) {
    const TaskOutcome& o = outcomes[id.value];
    if (o.status != TaskOutcome::Status::failed) {
      continue;
    }
    const graph::TaskNode& n = plan.tasks.node(id);
    const std::string log = task_log_path(plan.loaded.workspace.service(n.service).name, n.name);
    plan.ctx.reporter.raw("ripple: " + format_failure(n.label, o, log));
    if (github) {
      std::string last = log_tail(o.log, 1);
      if (!last.empty()) {
        last.pop_back();
      }
      plan.ctx.reporter.raw(
          github_error(n.label, n.label + " failed (" + o.note + "); see " + log +
                                    (last.empty() ? std::string() : "; last line: " + last)));
    }
  }
}

int execute_plan(const Plan& plan) {
  const CommandContext& ctx = plan.ctx;
  const RunOptions& options = plan.options;
  const LoadedWorkspace& loaded = plan.loaded;
  const graph::Workspace& ws = loaded.workspace;
  const graph::TaskGraph& tasks = plan.tasks;
  const std::vector<TaskKey>& keys = plan.keys;
  PhaseTimer& timer = plan.timer;
  auto notes = [&](graph::TaskId id) {
    return make_key_notes(tasks, keys, *plan.inputs, plan.own_inputs, id);
  };
  auto cacheable = [&](graph::TaskId id) { return plan.cacheable(id); };
  bool any_cacheable = false;
  for (std::uint32_t i = 0; i < tasks.size() && !any_cacheable; ++i) {
    any_cacheable = cacheable(graph::TaskId{i});
  }
  RunStores stores;
  if (ctx.store != nullptr) {
    // A test's store stands in for the configured ones.
  } else if (options.cache != CacheUse::off && any_cacheable) {
    // The local cache is shared with other runs: lookups take no lock, results are written in
    // short sessions under it while tasks go on (cache/local_store.h). A remote is asked for
    // every planned key at once, and uploads go on beside the run (cache/http_store.h).
    auto opened = open_run_stores(ctx, loaded,
                                  StoreChoice{options.cache, options.remote_write,
                                              std::chrono::seconds(options.lock_timeout_seconds)});
    if (!opened) {
      return report_failure(ctx, opened.error());
    }
    stores = std::move(*opened);
  }
  cache::Store* store = stores.store.get();
  // Misses are explained by the local cache, from its key history.
  cache::Store* explained = stores.local;
  cache::KeyHistory* history = stores.local;
  if (ctx.store != nullptr && options.cache != CacheUse::off) {
    store = explained = ctx.store;
    history = ctx.key_history;
  }
  timer.lap("open the cache");
  if (store != nullptr && stores.remote != nullptr) {
    std::vector<std::string> wanted;
    for (std::uint32_t i = 0; i < tasks.size(); ++i) {
      if (cacheable(graph::TaskId{i})) {
        wanted.push_back(keys[i].key);
      }
    }
    store->prefetch(wanted);
    timer.lap("look up the remote cache");
  }
  std::optional<std::size_t> expected;
  if (options.cache != CacheUse::off) {
    expected = 0;
    for (std::uint32_t i = 0; i < tasks.size() && store != nullptr; ++i) {
      graph::TaskId id{i};
      *expected += cacheable(id) && store->has(keys[i].key) ? 1 : 0;
    }
  }
  ctx.reporter.info(format_header(plan.selection, plan.with_command(), expected));
  if (options.explain_misses) {
    if (explained == nullptr || history == nullptr) {
      ctx.reporter.warning("--explain-misses needs the local cache; it is off");
    } else {
      for (const MissExplanation& miss :
           explain_misses(*explained, *history, tasks, keys, cacheable, notes)) {
        ctx.reporter.raw("ripple: " + format_miss(tasks, keys, miss));
      }
    }
  }
  // On a terminal (not in CI), a status line under the logs says what is running.
  std::optional<LiveStatus> live;
  if (live_status_wanted(ctx)) {
    live.emplace(ctx.reporter, STDERR_FILENO, plan.with_command());
  }
  Reporter& out = live ? static_cast<Reporter&>(*live) : ctx.reporter;
  // Should ripple be killed outright, a watchdog process stops the tasks it leaves running.
  TaskWatchdog watchdog;
  PosixProcessRunner posix_runner(2000, &watchdog);
  ProcessRunner& runner = ctx.runner != nullptr ? *ctx.runner : posix_runner;
  LogPrinter printer(out, tasks, log_order(ctx, options.log_order), detect_ci(ctx.env));
  TaskExecutor executor(ExecutorSetup{.ws = ws,
                                      .tasks = tasks,
                                      .keys = keys,
                                      .root = loaded.root,
                                      .store = store,
                                      .runner = runner,
                                      .reporter = out,
                                      .printer = &printer,
                                      .notes = notes,
                                      .log_dir = loaded.root + "/.ripple/logs",
                                      .registry = plan.registry,
                                      .env = ctx.env,
                                      .fs = &ctx.fs});
  ScheduleOptions schedule;
  schedule.jobs = options.jobs > 0
                      ? options.jobs
                      : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  schedule.keep_going = options.keep_going;
  schedule.clock = ctx.clock;
  schedule.on_done = [&](graph::TaskId id, const TaskOutcome& o) {
    printer.finished(id, o);
    if (live && !plan.spec(id).run.empty()) {
      live->finished(id);
    }
  };
  schedule.on_start = [&](graph::TaskId id) {
    if (live && !plan.spec(id).run.empty()) {
      live->started(id, tasks.node(id).label);
    }
  };
  std::atomic<bool> cancel{false};
  // Ctrl-C, a CI's cancel, a closed terminal: all stop the run, so that no task is left running
  // without ripple.
  std::optional<StopSignals> stop_signals(std::in_place, cancel);
  timer.lap("prepare the run");
  std::optional<OrphanCatcher> orphans(std::in_place);
  std::vector<TaskOutcome> outcomes = run_schedule(tasks, executor, schedule, cancel);
  if (live) {
    live->stop();
  }
  watchdog.stop();  // a child of ours too: not one of the orphans below
  // Every task has ended: whatever is still a child of ours left its task's process group
  // (setsid) and would outlive the run.
  if (std::size_t left = orphans->stop_all(std::chrono::seconds(2)); left > 0) {
    ctx.reporter.warning("stopped " + std::to_string(left) +
                         (left == 1 ? " process" : " processes") +
                         " the tasks left running outside their process groups (setsid)");
  }
  orphans.reset();
  timer.lap("run tasks");
  if (options.pushed != nullptr && executor.images() != nullptr) {
    *options.pushed = executor.images()->pushed();
  }
  if (store != nullptr) {
    store->flush();  // every result stored, or warned about, before the run reports
    timer.lap("finish storing results");
  }
  // Only a signal is an interruption: fail-fast sets `cancel` too.
  const bool interrupted = stop_signals->received();
  stop_signals.reset();
  const RunTotals totals = count_outcomes(outcomes);
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - plan.started).count();
  ctx.reporter.info(format_footer(totals, wall));
  if (stores.remote != nullptr) {
    ctx.reporter.info(format_remote_counts(stores.remote->shown_url(), stores.remote->counts()));
  }
  if (interrupted) {
    ctx.reporter.info("interrupted: the tasks still running were stopped");
  } else {
    report_failures(plan, outcomes);
  }
  // Tasks a signal stopped count as failed above, but the run was interrupted.
  const int code = interrupted ? 130 : totals.failed > 0 ? 1 : 0;
  if (!write_summary(plan, outcomes, code)) {
    return code != 0 ? code : 3;
  }
  return code;
}

// Prints the plan instead of running it.
int print_plan(const Plan& plan) {
  const CommandContext& ctx = plan.ctx;
  std::vector<CacheExpectation> expected(plan.tasks.size(), CacheExpectation::miss);
  std::unique_ptr<cache::LocalStore> local;
  cache::Store* store = nullptr;
  // Only looked at: read-only, no lock (a plan can be printed while another ripple runs).
  if (plan.options.cache == CacheUse::off || plan.tasks.size() == 0) {
    // Nothing to predict.
  } else if (ctx.store != nullptr) {
    store = ctx.store;
  } else if (boost::filesystem::exists(local_cache_dir(plan.loaded))) {
    auto opened = cache::LocalStore::open_read_only(local_cache_dir(plan.loaded));
    if (opened) {
      local = std::move(*opened);
      store = local.get();
    } else {
      ctx.reporter.warning(opened.error().message + "; cache hits not predicted");
    }
  }
  std::size_t hits = 0;
  for (graph::TaskId id : plan.tasks.topo_order()) {
    if (plan.spec(id).run.empty()) {
      expected[id.value] = CacheExpectation::no_op;
    } else if (!plan.cacheable(id)) {
      expected[id.value] = CacheExpectation::never;
    } else if (store != nullptr && store->has(plan.keys[id.value].key)) {
      expected[id.value] = CacheExpectation::hit;
      ++hits;
    }
  }
  if (plan.tasks.size() > 0) {
    ctx.reporter.info(
        format_header(plan.selection, plan.with_command(),
                      plan.options.cache != CacheUse::off ? std::optional(hits) : std::nullopt));
  }
  ctx.out << (plan.options.dry_run == DryRun::json
                  ? format_plan_json(plan.loaded.workspace, plan.tasks, plan.keys, expected)
                  : format_plan_text(plan.loaded.workspace, plan.tasks, plan.keys, expected));
  return 0;
}

// With --push: whether the registry holds each image task's content tag, by TaskId (nothing for
// other tasks), asked for the ones the caller did not know yet. Before anything runs: a push
// that cannot work (a builder template without images.push) is an input error; a registry that
// cannot be asked, an environment error.
Result<std::vector<std::optional<RegistryAnswer>>> registry_answers(
    const CommandContext& ctx, const RunOptions& options, const graph::Workspace& ws,
    const graph::TaskGraph& tasks, const std::vector<TaskKey>& keys) {
  std::vector<std::optional<RegistryAnswer>> answers(tasks.size());
  std::vector<std::string> unknown;  // not asked by the caller yet
  std::vector<graph::TaskId> unknown_tasks;
  for (const auto& [task, reference] : image_task_references(ws, tasks, keys)) {
    if (auto command = graph::image_push_command(ws.config().images, reference, reference);
        !command) {
      return tl::unexpected(command.error());
    }
    if (auto known = options.registry_answers.find(reference);
        known != options.registry_answers.end()) {
      answers[task.value] = known->second;
    } else {
      unknown.push_back(reference);
      unknown_tasks.push_back(task);
    }
  }
  auto asked = ask_registry(unknown, ctx.env, ctx.fs, ctx.reporter,
                            "--push: cannot tell which images the registry has; nothing built "
                            "(fix the registry or its credentials)");
  if (!asked) {
    return tl::unexpected(asked.error());
  }
  for (std::size_t i = 0; i < unknown_tasks.size(); ++i) {
    answers[unknown_tasks[i].value] = std::move((*asked)[i]);
  }
  return answers;
}

}  // namespace

Result<int> parse_jobs(std::string_view text, unsigned cores) {
  auto bad = [&] {
    return input_error("-j " + std::string(text) +
                       ": give a number of tasks (4), 0 for one per core, or a share of the cores "
                       "(50%)");
  };
  const bool percent = !text.empty() && text.back() == '%';
  std::string_view digits = percent ? text.substr(0, text.size() - 1) : text;
  int n = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || n < 0) {
    return bad();
  }
  cores = std::max(1u, cores);
  if (percent) {
    if (n == 0) {
      return bad();
    }
    return std::max(1, static_cast<int>(static_cast<long>(cores) * n / 100));
  }
  return n == 0 ? static_cast<int>(cores) : n;
}

int run_tasks(const CommandContext& ctx, const RunOptions& options) {
  auto fail = [&](const Error& e) { return report_failure(ctx, e); };
  const std::int64_t start_ms = now_ms(ctx.clock);
  const auto started = std::chrono::steady_clock::now();
  PhaseTimer timer(ctx);
  RunSelection selection;
  selection.mode = options.selection.value_or(ctx.env("CI").has_value() ? SelectionMode::affected
                                                                        : SelectionMode::all);
  selection.head = options.detection.head.value_or("HEAD");

  // The services whose tasks were asked for.
  std::optional<LoadedWorkspace> loaded;
  std::optional<AffectedReport> report;
  std::vector<ServiceId>& services = selection.services;
  // The files are listed while the workspace loads; with change detection that looks at the
  // work tree, by the scan that finds the uncommitted changes (one walk for both).
  std::optional<BackgroundListing> ahead;
  if (selection.mode == SelectionMode::affected) {
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
    if (run->report.files) {
      ahead.emplace(std::move(*run->report.files));
    }
    for (const auto& s : run->report.set.services) {
      if (s.id) {
        services.push_back(*s.id);
      }
    }
    loaded = std::move(run->loaded);
    report = std::move(run->report);
    selection.affected = &*report;
    report_unowned(ctx.reporter, loaded->workspace, report->set);
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
    if (selection.mode == SelectionMode::all) {
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
  selection.total = ws.services().size();
  timer.lap("select services");

  auto tasks = graph::TaskGraph::build(ws, services, options.tasks);
  if (!tasks) {
    return fail(tasks.error());
  }
  if (selection.mode == SelectionMode::only && !tasks->lacking().empty()) {
    for (const std::string& task : options.tasks) {
      std::vector<std::string> lacking;
      for (const graph::Lacking& l : tasks->lacking()) {
        if (l.task == task) {
          lacking.push_back(ws.service(l.service).name);
        }
      }
      if (!lacking.empty()) {
        ctx.reporter.info("--only: " + join(lacking, ", ") +
                          (lacking.size() == 1 ? " has" : " have") + " no task '" + task +
                          "'; skipped");
      }
    }
  }
  timer.lap("task graph");

  // Nothing to key when no task is planned: no listing of the work tree, no cache.
  std::optional<InputIndex> inputs;
  std::vector<std::optional<ServiceInputs>> own_inputs;
  std::vector<TaskKey> keys;
  if (tasks->size() > 0) {
    auto scanned = scan_inputs(ctx, *loaded, options.detection.include_worktree, InputDetail::files,
                               ahead ? &*ahead : nullptr);
    if (!scanned) {
      return fail(scanned.error());
    }
    inputs = std::move(*scanned);
    timer.lap("inputs");
    own_inputs = compute_task_inputs(ws, *tasks, *inputs);
    const std::vector<KeyParts> parts = service_parts(ws, work_tree_reader(ctx.fs, loaded->root));
    keys = compute_task_keys(ws, *tasks, *inputs, own_inputs, ctx.env, parts);
    timer.lap("task keys");
  }
  std::vector<std::optional<RegistryAnswer>> registry;
  if (options.push && options.dry_run == DryRun::off && tasks->size() > 0) {
    auto asked = registry_answers(ctx, options, ws, *tasks, keys);
    if (!asked) {
      return fail(asked.error());
    }
    registry = std::move(*asked);
    timer.lap("ask the registry");
  }
  const Plan plan{ctx,
                  options,
                  *loaded,
                  selection,
                  *tasks,
                  keys,
                  inputs ? &*inputs : nullptr,
                  own_inputs,
                  start_ms,
                  started,
                  timer,
                  std::move(registry)};

  if (tasks->size() == 0) {
    // A docs-only change, a push with nothing new, or services without the task: success.
    if (selection.mode == SelectionMode::affected && services.empty()) {
      ctx.reporter.info(format_nothing_affected(report->set));
    } else {
      ctx.reporter.info(format_selection(selection) + "; no task to run: none of them defines " +
                        join(options.tasks, " or "));
    }
    if (options.dry_run != DryRun::off) {
      return print_plan(plan);
    }
    return write_summary(plan, {}, 0) ? 0 : 3;
  }
  if (options.dry_run != DryRun::off) {
    return print_plan(plan);
  }
  return execute_plan(plan);
}

}  // namespace ripple
