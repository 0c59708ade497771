// The ripple binary: parses arguments with CLI11 and hands each command to its own file.

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <iostream>
#include <map>
#include <thread>

#include "graph/support/text.h"
#include "orchestrator/commands/affected_command.h"
#include "orchestrator/commands/cache_command.h"
#include "orchestrator/commands/graph_command.h"
#include "orchestrator/commands/hash_command.h"
#include "orchestrator/commands/images_command.h"
#include "orchestrator/commands/init_command.h"
#include "orchestrator/commands/key_diff_command.h"
#include "orchestrator/commands/prune_command.h"
#include "orchestrator/commands/run_command.h"
#include "orchestrator/context.h"
#include "orchestrator/platform/huge_page_heap.h"
#include "orchestrator/platform/real_filesystem.h"
#include "orchestrator/version.h"

namespace {

using namespace ripple;

// The options every command that compares against a base shares.
void add_base_options(CLI::App* cmd, AffectedOptions& o, std::string& fallback, bool& no_worktree) {
  cmd->add_option("--base", o.base, "Compare against merge-base(REF, head) (default: see docs)")
      ->type_name("REF");
  cmd->add_option("--head", o.head, "Compare this commit instead of HEAD and the work tree")
      ->type_name("REF");
  cmd->add_flag("--no-uncommitted", no_worktree, "Leave out staged, unstaged and untracked files");
  cmd->add_option("--fallback", fallback,
                  "What to do when the base cannot be used: fail (default) or all")
      ->check(CLI::IsMember({"fail", "all"}));
}

void finish_base_options(AffectedOptions& o, const std::string& fallback, bool no_worktree) {
  o.fallback_all = fallback == "all";
  o.include_worktree = !no_worktree;
}

// Commands DESIGN.md plans that this ripple does not have yet.
constexpr const char* kPlannedCommands[] = {"report"};

// CLI11 answers a mistyped command with "A subcommand is required"; name it instead.
std::optional<std::string> unknown_command(CLI::App& app, int argc, char** argv) {
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands({})) {
    names.push_back(sub->get_name());
  }
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "-C") {
      ++i;
      continue;
    }
    if (arg.empty() || arg[0] == '-') {
      continue;
    }
    if (std::find(names.begin(), names.end(), arg) != names.end()) {
      return std::nullopt;
    }
    for (const char* planned : kPlannedCommands) {
      if (arg == planned) {
        return "'" + arg +
               "' is planned but not built yet (docs/cli.md, Planned commands); "
               "commands: " +
               join(names, ", ");
      }
    }
    return "unknown command '" + arg + "'" + did_you_mean(arg, names) +
           "; commands: " + join(names, ", ");
  }
  return std::nullopt;
}

// `arg` as a shell would need it written: as it is when it holds nothing special, else quoted.
std::string shell_word(const std::string& arg) {
  if (!arg.empty() && arg.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                            "0123456789-_=.,/:%@+") == std::string::npos) {
    return arg;
  }
  std::string out = "'";
  for (char c : arg) {
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  }
  return out + "'";
}

std::optional<std::string> process_env(const std::string& name) {
  const char* v = std::getenv(name.c_str());
  if (v == nullptr) {
    return std::nullopt;
  }
  return std::string(v);
}

}  // namespace

int main(int argc, char** argv) {
  const HugePageHeap heap(process_env("RIPPLE_HUGE_PAGES").value_or("") != "0");
  const HugePageHeap::WorkerAdvice workers(heap);
  try {
    CLI::App app{"ripple: change-aware build orchestrator for monorepos", "ripple"};
    app.set_version_flag("--version", std::string("ripple ") + kVersion);
    app.require_subcommand(1);
    app.fallthrough();  // global options such as -C may also follow the command
    std::string dir;
    app.add_option("-C", dir, "Run as if ripple was started in DIR")->type_name("DIR");

    GraphOptions graph_options;
    std::string graph_fallback = "fail";
    bool graph_no_worktree = false;
    CLI::App* graph = app.add_subcommand("graph", "Print the service dependency graph");
    graph->add_option("--format", graph_options.format, "Output format")
        ->check(CLI::IsMember({"text", "json", "dot"}))
        ->capture_default_str();
    graph->add_flag("--affected", graph_options.affected,
                    "Mark the services affected by the change (see `ripple affected`)");
    graph->add_flag("--explain", graph_options.explain,
                    "Say where each service and dependency was declared or found (file:line)");
    add_base_options(graph, graph_options.detection, graph_fallback, graph_no_worktree);

    AffectedCommandOptions affected_options;
    std::string affected_fallback = "fail";
    bool affected_no_worktree = false;
    CLI::App* affected =
        app.add_subcommand("affected", "List the services a change can touch, with reasons");
    const std::map<std::string, AffectedFormat> affected_formats{
        {"text", AffectedFormat::text},
        {"json", AffectedFormat::json},
        {"github-matrix", AffectedFormat::github_matrix},
        {"github-output", AffectedFormat::github_output}};
    affected
        ->add_option_function<std::string>(
            "--format",
            [&](const std::string& name) { affected_options.format = affected_formats.at(name); },
            "Output format")
        ->check(CLI::IsMember(affected_formats))
        ->default_str("text");
    affected
        ->add_option_function<std::vector<std::string>>(
            "--matrix-filter",
            [&](const std::vector<std::string>& texts) {
              for (const std::string& text : texts) {
                auto filter = parse_matrix_filter(text);
                if (!filter) {
                  throw CLI::ValidationError(filter.error().message);
                }
                affected_options.matrix_filters.push_back(*filter);
              }
            },
            "Keep only services with an image (image) or defining task T (task:T) in the "
            "github-matrix/github-output matrix; repeatable, all must hold")
        ->type_name("image|task:T");
    affected->add_flag("--explain", affected_options.explain,
                       "Say why each service is affected (text format)");
    affected->add_flag("--files", affected_options.files,
                       "Also list the changed files and what each affected (on stderr)");
    add_base_options(affected, affected_options.detection, affected_fallback, affected_no_worktree);

    ImagesOptions images_options;
    std::string images_fallback = "fail";
    bool images_no_worktree = false;
    CLI::App* images = app.add_subcommand(
        "images", "List every image with its content tag, and which the change must rebuild");
    const std::map<std::string, ImagesFormat> images_formats{
        {"text", ImagesFormat::text},
        {"json", ImagesFormat::json},
        {"github-matrix", ImagesFormat::github_matrix},
        {"github-output", ImagesFormat::github_output},
        {"skaffold", ImagesFormat::skaffold},
        {"compose", ImagesFormat::compose},
        {"kustomize", ImagesFormat::kustomize},
        {"helm", ImagesFormat::helm},
        {"argocd", ImagesFormat::argocd}};
    images
        ->add_option_function<std::string>(
            "--format",
            [&](const std::string& name) { images_options.format = images_formats.at(name); },
            "Output format")
        ->check(CLI::IsMember(images_formats))
        ->default_str("text");
    images->add_flag("--check-registry", images_options.check_registry,
                     "Ask each image's registry whether it has the tag: reused or build");
    images->add_flag("--push", images_options.push,
                     "Build and push every image the registry lacks (implies --check-registry)");
    images->add_flag("--write", images_options.write,
                     "Point the GitOps files of `deploy:` in ripple.yaml at the images the "
                     "registry has (implies --check-registry)");
    std::string images_jobs;
    images->add_option("-j,--jobs", images_jobs, "Images built at once: N, 0 (one per core) or P%")
        ->type_name("N");
    add_base_options(images, images_options.detection, images_fallback, images_no_worktree);

    HashOptions hash_options;
    CLI::App* hash =
        app.add_subcommand("hash", "Print each service's input digest (and its input files)");
    hash->add_option("services", hash_options.services, "Services to hash (default: all)")
        ->type_name("SERVICE");
    hash->add_flag("--files", hash_options.files,
                   "List every input with its id and where the id came from");
    bool hash_no_worktree = false;
    hash->add_flag("--no-uncommitted", hash_no_worktree,
                   "Take ids from the git index without looking at the work tree (a clean "
                   "checkout, e.g. a fresh CI clone)");
    hash->add_option("--format", hash_options.format, "Output format")
        ->check(CLI::IsMember({"text", "json"}))
        ->capture_default_str();
    std::string hash_task;
    hash->add_option("--task", hash_task,
                     "The digest task T's key stands on: its own inputs, or its service's")
        ->type_name("T");
    std::vector<std::string> diff_keys;
    hash->add_option("--diff", diff_keys,
                     "Compare two task keys stored in the local cache: which fields differ")
        ->expected(2)
        ->option_text("KEY_A KEY_B");

    RunOptions run_options;
    std::string run_fallback = "fail";
    bool run_no_worktree = false;
    bool run_affected = false;
    bool run_all = false;
    std::string run_dry_run;
    std::string run_cache;  // empty: the configured caches
    std::string run_log_order = "auto";
    CLI::App* run =
        app.add_subcommand("run", "Run tasks in dependency order, from the cache when it can");
    run->add_option("tasks", run_options.tasks, "Tasks to run, e.g. build test")
        ->required()
        ->type_name("TASK");
    auto* affected_flag =
        run->add_flag("--affected", run_affected, "Only affected services (default in CI)");
    auto* all_flag = run->add_flag("--all", run_all, "Every service (default outside CI)");
    auto* only_opt = run->add_option("--only", run_options.only, "Only these services: a,b")
                         ->delimiter(',')
                         ->type_name("S,..");
    affected_flag->excludes(all_flag)->excludes(only_opt);
    all_flag->excludes(only_opt);
    run->add_option("--dry-run", run_dry_run,
                    "Print the plan with task keys instead of running: text (the default) or json")
        ->expected(0, 1)
        ->check(CLI::IsMember({"text", "json"}))
        ->option_text("[=text|json]");
    add_base_options(run, run_options.detection, run_fallback, run_no_worktree);
    std::string run_jobs;
    run->add_option("-j,--jobs", run_jobs,
                    "Tasks at once, whatever the number of cores: N, 0 (one per core, the "
                    "default) or a share of the cores (50%)")
        ->type_name("N|N%");
    run->add_flag("--continue", run_options.keep_going,
                  "Keep running what does not depend on a failed task");
    run->add_option("--cache", run_cache,
                    "Which caches: local, remote, both, or off (default: local, plus the remote "
                    "when ripple.yaml sets cache.remote)")
        ->check(CLI::IsMember({"local", "remote", "both", "off"}));
    bool remote_write = false;
    bool remote_read_only = false;
    auto* remote_write_opt =
        run->add_flag("--remote-write", remote_write,
                      "Upload to the remote cache even on a pull/merge request run");
    run->add_flag("--remote-read-only", remote_read_only,
                  "Only read the remote cache, whatever its mode")
        ->excludes(remote_write_opt);
    run->add_option("--summary", run_options.summary_file,
                    "Write what happened to the run, task by task, as JSON to F (docs/summary.md)")
        ->type_name("F");
    run->add_option("--profile", run_options.reports.profile,
                    "Write the run as a Chrome trace (Perfetto, chrome://tracing) to F "
                    "(docs/reports.md)")
        ->type_name("F");
    run->add_option("--junit", run_options.reports.junit,
                    "Write the tasks as JUnit XML test cases to F (docs/reports.md)")
        ->type_name("F");
    run->add_option("--lock-timeout", run_options.lock_timeout_seconds,
                    "Seconds to wait for another ripple holding the cache")
        ->capture_default_str();
    run->add_option("--log-order", run_log_order,
                    "stream: lines as they come, prefixed service:task; grouped: each task's "
                    "log when it ends; auto (default): grouped in CI or off a terminal")
        ->check(CLI::IsMember({"stream", "grouped", "auto"}))
        ->capture_default_str();
    run->add_flag("--explain-misses", run_options.explain_misses,
                  "For each task the cache misses, say what changed since its last key");
    run->add_flag("--push", run_options.push,
                  "Image tasks: skip the images the registry has, push the ones built");

    CacheOptions cache_options;
    int lock_timeout_s = 300;
    CLI::App* cache_cmd = app.add_subcommand("cache", "Inspect and maintain the local cache");
    cache_cmd->require_subcommand(1);
    cache_cmd
        ->add_option("--lock-timeout", lock_timeout_s,
                     "Seconds to wait for another ripple holding the cache")
        ->capture_default_str();
    cache_cmd->add_subcommand("stats", "Entries, blobs and bytes");
    cache_cmd->add_subcommand("verify",
                              "Check every table file, blob and entry (exit 3 on damage)");
    CLI::App* prune = cache_cmd->add_subcommand("prune", "Drop least recently used entries");
    prune->add_option("--max-size", cache_options.max_size, "Keep at most SIZE (500M, 2G)")
        ->required();
    cache_cmd->add_subcommand("clear", "Remove everything, damaged or not");
    cache_cmd->add_subcommand("doctor",
                              "Check the local cache and the remote one: reach, credentials, "
                              "writes, status page");

    InitOptions init_options;
    CLI::App* init = app.add_subcommand(
        "init", "Show what inference finds and write a commented ripple.yaml at the root");
    init->add_flag("--force", init_options.force, "Overwrite an existing ripple.yaml");
    init->add_flag("--stdout,--dry-run", init_options.to_stdout,
                   "Print the ripple.yaml to stdout instead of writing it");

    PruneOptions prune_options;
    CLI::App* docker = app.add_subcommand("docker", "Docker helpers: minimal build contexts");
    docker->require_subcommand(1);
    CLI::App* docker_prune = docker->add_subcommand(
        "prune", "Copy what SERVICE's build reads into DIR/json (manifests) and DIR/full (all)");
    docker_prune->add_option("services", prune_options.services, "Services to prune for")
        ->required()
        ->type_name("SERVICE");
    docker_prune->add_option("--out", prune_options.out, "An empty or new directory")
        ->required()
        ->type_name("DIR");
    const std::map<std::string, PruneFormat> prune_formats{{"text", PruneFormat::text},
                                                           {"json", PruneFormat::json}};
    docker_prune
        ->add_option_function<std::string>(
            "--format",
            [&](const std::string& name) { prune_options.format = prune_formats.at(name); },
            "json: also list the files on stdout")
        ->check(CLI::IsMember(prune_formats))
        ->default_str("text");

    if (auto unknown = unknown_command(app, argc, argv)) {
      std::cerr << "ripple: error: " << *unknown << "\n";
      return 2;
    }
    try {
      app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
      int code = app.exit(e);
      return code == 0 ? 0 : 2;
    }
    finish_base_options(graph_options.detection, graph_fallback, graph_no_worktree);
    finish_base_options(affected_options.detection, affected_fallback, affected_no_worktree);
    finish_base_options(images_options.detection, images_fallback, images_no_worktree);

    RealFilesystem fs;
    StreamReporter reporter(std::cerr);
    // A relative -C, or none, needs the current directory; it may have been deleted under us.
    if (dir.empty() || dir.front() != '/') {
      std::error_code ec;
      (void)std::filesystem::current_path(ec);
      if (ec) {
        reporter.error("the current directory is gone (" + ec.message() +
                       "); cd to the workspace, or pass -C with an absolute path");
        return 2;
      }
    }
    // Every field named: -Wmissing-field-initializers (an error with RIPPLE_WERROR) flags `clock`.
    CommandContext ctx{fs,          reporter,   std::cout, absolute_path(dir.empty() ? "." : dir),
                       process_env, &heap,      nullptr,   nullptr,
                       nullptr,     WallClock()};
    if (!dir.empty() && fs.kind(ctx.start_dir) != FileKind::directory) {
      reporter.error("-C " + dir + ": no such directory");
      return 2;
    }
    // Whatever a command printed must have reached stdout: `affected > /dev/full` exiting 0
    // with nothing written would read as "nothing affected" to a CI step.
    auto written = [&](int code) {
      std::cout.flush();
      if (!std::cout) {
        reporter.error(std::string("cannot write the output to stdout: ") + std::strerror(errno) +
                       "; check where it goes (a full disk, a closed pipe)");
        return code == 0 ? 3 : code;
      }
      return code;
    };
    if (graph->parsed()) {
      return written(run_graph_command(ctx, graph_options));
    }
    if (affected->parsed()) {
      return written(run_affected_command(ctx, affected_options));
    }
    if (images->parsed()) {
      if (!images_jobs.empty()) {
        auto jobs = parse_jobs(images_jobs, std::thread::hardware_concurrency());
        if (!jobs) {
          std::cerr << "ripple: error: " << jobs.error().message << "\n";
          return 2;
        }
        images_options.jobs = *jobs;
      }
      return written(run_images_command(ctx, images_options));
    }
    if (hash->parsed()) {
      if (!diff_keys.empty()) {
        return written(run_key_diff_command(ctx, diff_keys[0], diff_keys[1]));
      }
      hash_options.include_worktree = !hash_no_worktree;
      if (!hash_task.empty()) {
        hash_options.task = hash_task;
      }
      return written(run_hash_command(ctx, hash_options));
    }
    if (docker_prune->parsed()) {
      return written(run_prune_command(ctx, prune_options));
    }
    if (init->parsed()) {
      return written(run_init_command(ctx, init_options));
    }
    if (cache_cmd->parsed()) {
      for (const char* name : {"stats", "verify", "prune", "clear", "doctor"}) {
        if (cache_cmd->get_subcommand(name)->parsed()) {
          cache_options.action = name;
        }
      }
      cache_options.lock_timeout = std::chrono::seconds(lock_timeout_s);
      return written(run_cache_command(ctx, cache_options));
    }
    if (run->parsed()) {
      finish_base_options(run_options.detection, run_fallback, run_no_worktree);
      if (run_affected) {
        run_options.selection = SelectionMode::affected;
      } else if (run_all) {
        run_options.selection = SelectionMode::all;
      } else if (only_opt->count() > 0) {
        run_options.selection = SelectionMode::only;
        std::erase(run_options.only, std::string());  // "a,,b" and a trailing comma
      }
      if (run->count("--dry-run") > 0) {
        run_options.dry_run = run_dry_run == "json" ? DryRun::json : DryRun::text;
      }
      run_options.cache = run_cache == "off"      ? CacheUse::off
                          : run_cache == "local"  ? CacheUse::local
                          : run_cache == "remote" ? CacheUse::remote
                          : run_cache == "both"   ? CacheUse::both
                                                  : CacheUse::configured;
      if (remote_write || remote_read_only) {
        run_options.remote_write = remote_write;
      }
      if (run_log_order != "auto") {
        run_options.log_order = run_log_order == "stream" ? LogOrder::stream : LogOrder::grouped;
      }
      if (!run_jobs.empty()) {
        auto jobs = parse_jobs(run_jobs, std::thread::hardware_concurrency());
        if (!jobs) {
          std::cerr << "ripple: error: " << jobs.error().message << "\n";
          return 2;
        }
        run_options.jobs = *jobs;
      }
      run_options.command_line = "ripple";
      for (int i = 1; i < argc; ++i) {
        run_options.command_line += " " + shell_word(argv[i]);
      }
      return written(run_run_command(ctx, run_options));
    }
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "ripple: internal error: " << e.what() << "\n";
    return 3;
  }
}
