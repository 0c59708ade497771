#include "orchestrator/commands/init_command.h"

#include <algorithm>
#include <ostream>
#include <set>

#include "graph/support/text.h"
#include "orchestrator/command_setup.h"
#include "orchestrator/graph_format.h"
#include "orchestrator/inferred_services.h"
#include "orchestrator/init_yaml.h"
#include "orchestrator/package_scripts.h"
#include "orchestrator/platform/atomic_file.h"
#include "orchestrator/workspace_loader.h"
#include "rules/compose.h"
#include "rules/discovery.h"
#include "rules/dockerfile.h"

namespace ripple {
namespace {

// What init writes for the workspace `loaded`: its rules' findings, its services: entries and
// the scripts its packages define.
Result<InitPlan> plan_for(const CommandContext& ctx, const LoadedWorkspace& loaded) {
  auto enabled = rules::enabled_rules(loaded.workspace.config());
  if (!enabled) {
    return tl::unexpected(enabled.error());
  }
  // The rules run again on their own to count what each found: the loaded workspace has them
  // merged (one service can be a package and a Compose build at once).
  auto inferred = infer_services(ctx.fs, loaded.root, *enabled);
  if (!inferred) {
    return tl::unexpected(inferred.error());
  }
  InitPlan plan;
  for (const std::string& rule : rules::known_rules()) {
    std::size_t n = 0;
    if (std::find(enabled->begin(), enabled->end(), rule) != enabled->end()) {
      for (const rules::InferredService& s : inferred->services) {
        // The dockerfile rule finds no service of its own: it adds inputs to Compose's.
        n += rule == rules::kDockerfileRule
                 ? (s.from.rule == rules::kComposeRule && !s.inputs.empty() ? 1 : 0)
                 : (s.from.rule == rule ? 1 : 0);
      }
    }
    plan.found.emplace_back(rule, n);
  }
  for (const auto& entry : loaded.workspace.config().services) {
    plan.services.push_back(entry.value);
  }
  const std::set<std::string> wanted(std::begin(kInitScripts), std::end(kInitScripts));
  std::set<std::string> defined;
  for (const graph::ServiceSpec& s : loaded.workspace.services()) {
    const std::set<std::string> here =
        package_scripts(ctx.fs, path_join(loaded.root, s.dir.str()), wanted);
    defined.insert(here.begin(), here.end());
  }
  for (const char* script : kInitScripts) {
    if (defined.count(script) > 0) {
      plan.scripts.emplace_back(script);
    }
  }
  return plan;
}

}  // namespace

int run_init_command(const CommandContext& ctx, const InitOptions& options) {
  auto root = workspace_root_for(ctx);
  if (!root) {
    return report_failure(ctx, root.error());
  }
  const std::string target = path_join(*root, kRootConfigName);
  if (!options.to_stdout && !options.force && ctx.fs.kind(target) != FileKind::missing) {
    return report_failure(
        ctx, Error{ErrorKind::input, target + " already exists; ripple init leaves it as it is. "
                                              "Pass --force to overwrite it, or --stdout to print "
                                              "what init would write"});
  }
  // load_workspace, not load_workspace_at: init writes ripple.yaml and nothing else, not even
  // the state directory with its snapshot of parsed configs.
  auto loaded = load_workspace(ctx.fs, *root);
  if (!loaded) {
    return report_failure(ctx, loaded.error());
  }
  for (const auto& w : loaded->warnings) {
    ctx.reporter.warning(w.message);
  }
  auto plan = plan_for(ctx, *loaded);
  if (!plan) {
    return report_failure(ctx, plan.error());
  }
  const std::string text = format_init_yaml(*plan);
  const std::string listing = format_graph_explain(loaded->workspace);
  if (options.to_stdout) {
    ctx.reporter.raw(listing);
    ctx.out << text;
    return 0;
  }
  ctx.out << listing;
  if (auto st = write_file_atomically(target, text); !st) {
    return report_failure(ctx, st.error());
  }
  std::vector<std::string> on;
  for (const auto& [rule, n] : plan->found) {
    if (n > 0) {
      on.push_back(rule);
    }
  }
  const std::size_t count = loaded->workspace.services().size();
  ctx.reporter.info(
      "wrote " + target + ": " + std::to_string(count) + (count == 1 ? " service" : " services") +
      (on.empty() ? std::string(", no rule found any") : ", found by " + join(on, ", ")) +
      "; commit it on its own (a change to ripple.yaml affects every service)");
  return 0;
}

}  // namespace ripple
