#pragma once

// A validated workspace: the root config, every service with its task templates merged in, and
// the sealed ServiceGraph. Built once per run from parsed config (no filesystem here: the
// orchestrator reads files and hands the parsed configs in) and shared `const` afterwards.

#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "graph/config.h"
#include "graph/service_graph.h"
#include "graph/support/error.h"
#include "graph/support/repo_path.h"
#include "graph/task_dep.h"

namespace ripple::graph {

struct TaskSpec {
  std::string name;
  std::string run;  // empty: nothing to execute (a grouping task)
  std::vector<TaskDep> deps;
  std::vector<std::string> outputs;
  std::vector<std::string> inputs;  // empty: the service's inputs
  std::vector<std::string> env;
  std::optional<int> timeout_seconds;
  bool cache = true;
  SourcePos pos;  // where the task was defined last (service.yaml over ripple.yaml)
};

struct ImageSpec {
  std::string dockerfile;  // relative to the service directory
  std::string context;     // relative to the service directory
  std::string name;
  std::map<std::string, std::string> build_args;
  std::optional<std::string> target;
  std::vector<std::string> platforms;
  std::vector<std::string> extra_tags;
  SourcePos pos;  // where `image:` was written
  // The services whose images it builds on (graph::ImageConfig::from).
  std::vector<LocatedString> from = {};
};

struct ServiceSpec {
  std::string name;
  RepoPath dir;
  std::string file;                // its service.yaml (or the file a rule read), workspace-relative
  SourcePos pos;                   // where its name was written (or its file's top)
  std::vector<ServiceId> deps;     // explicit deps, resolved
  std::vector<SourcePos> dep_pos;  // where each of `deps` was written
  std::vector<std::string> inputs;  // globs relative to dir; default {"**"}
  // Parts of shared files among its `inputs:`, "<workspace-relative file>#<selector>"
  // (rules/file_parts.h): the service reads those parts, not the whole files.
  std::vector<LocatedString> part_inputs;
  // The inference rules whose findings apply to it (its service.yaml's `discover:`); none: all.
  std::optional<std::vector<std::string>> rules;
  std::vector<std::string> env;
  std::map<std::string, TaskSpec> tasks;
  std::optional<ImageSpec> image;
};

// One service directory and its parsed service.yaml, as found by the loader.
struct ServiceSource {
  RepoPath dir;
  ServiceConfig config;
  // Of the files the templates' `where:` lists name, those that exist in `dir` (the loader
  // looks; the workspace stays pure).
  std::set<std::string> present;
  // Of the scripts the templates' `script:` names, those its package.json defines.
  std::set<std::string> scripts;
};

class Workspace {
 public:
  // Validates and assembles. Input errors (each naming file, line and column): duplicate service
  // names, deps on unknown services, malformed task deps, `svc#task` naming an unknown service or
  // task, a `task` dep naming a task the service lacks, invalid globs. Service cycles are not
  // errors: they become warnings().
  static Result<Workspace> assemble(RootConfig root, std::vector<ServiceSource> sources);

  const RootConfig& config() const { return root_; }
  const ServiceGraph& graph() const { return graph_; }
  std::span<const ServiceSpec> services() const { return services_; }
  const ServiceSpec& service(ServiceId id) const { return services_[id.value]; }
  // Every task name at least one service defines (its own or from a template), sorted.
  const std::vector<std::string>& task_names() const { return task_names_; }
  // Findings worth telling the user that do not stop the run.
  const std::vector<Diagnostic>& warnings() const { return warnings_; }

 private:
  RootConfig root_;
  std::vector<ServiceSpec> services_;  // indexed by ServiceId, sorted by name
  ServiceGraph graph_;
  std::vector<std::string> task_names_;
  std::vector<Diagnostic> warnings_;
};

// Input error when no service of `ws` defines `task`: "no service defines a task 'biuld' (did
// you mean 'build'?); tasks: build, test".
Status check_task_defined(const Workspace& ws, const std::string& task);

}  // namespace ripple::graph
