#include "orchestrator/commands/images_command.h"

#include <map>
#include <ostream>

#include "graph/image_task.h"
#include "graph/task_graph.h"
#include "orchestrator/affected_scan.h"
#include "orchestrator/command_setup.h"
#include "orchestrator/images/image_formats.h"
#include "orchestrator/images/images_gitops.h"
#include "orchestrator/images/registry_client.h"
#include "orchestrator/input_scan.h"
#include "orchestrator/inputs/task_inputs.h"
#include "orchestrator/inputs/task_key.h"
#include "orchestrator/keep_until_exit.h"
#include "orchestrator/run/run_tasks.h"
#include "orchestrator/service_parts.h"

namespace ripple {
namespace {

struct ImageLine {
  ServiceId service;
  std::string reference;
  std::string tag;
  std::string dockerfile;                            // workspace-relative
  std::string context;                               // workspace-relative
  const graph::AffectedService* affected = nullptr;  // nothing: unchanged
  std::optional<RegistryAnswer> registry;            // with --check-registry

  bool to_build() const {
    return registry ? registry->state == RegistryAnswer::State::absent : affected != nullptr;
  }
};

// `path` (relative to the service directory `dir`) made workspace-relative, or an input error at
// `pos` when it does not exist as `kind`.
Result<std::string> existing(const CommandContext& ctx, const std::string& root,
                             const RepoPath& dir, const std::string& path, FileKind kind,
                             const char* what, const SourcePos& pos) {
  auto joined = RepoPath::parse(dir.str().empty() ? path : dir.str() + "/" + path);
  if (!joined) {
    return input_error(at(
        pos, std::string("image.") + what + " '" + path + "' must be a path inside the workspace"));
  }
  const std::string shown = joined->str().empty() ? "." : joined->str();
  if (ctx.fs.kind(path_join(root, joined->str())) != kind) {
    return input_error(at(pos, std::string("image.") + what + " '" + path + "' (" + shown +
                                   ") does not exist; fix the path in `image:`"));
  }
  return shown;
}

std::string reason_text(const graph::Workspace& ws, const graph::AffectedService& s) {
  std::string text = graph::reason_name(s.reason);
  if (s.reason == graph::Reason::dependency && !s.chain.empty()) {
    text += " → " + ws.service(s.chain.back()).name;
  } else if (!s.paths.empty()) {
    text += " (" + s.paths.front() + (s.path_count > 1 ? ", …" : "") + ")";
  }
  return text;
}

}  // namespace

int run_images_command(const CommandContext& ctx, const ImagesOptions& options) {
  auto fail = [&](const Error& e) { return report_failure(ctx, e); };
  auto run = load_and_detect(ctx, options.detection, true);
  if (!run) {
    return fail(run.error());
  }
  const graph::Workspace& ws = run->loaded.workspace;
  const std::string& root = run->loaded.root;
  if (auto deploy = check_deploy(ws); !deploy) {
    return fail(deploy.error());
  }
  std::vector<ServiceId> with_image;
  for (ServiceId id : ws.graph().topo_order()) {
    if (ws.service(id).image) {
      with_image.push_back(id);
    }
  }
  std::vector<ImageLine> lines;
  for (ServiceId id : with_image) {
    const graph::ServiceSpec& s = ws.service(id);
    auto dockerfile =
        existing(ctx, root, s.dir, s.image->dockerfile, FileKind::file, "dockerfile", s.image->pos);
    if (!dockerfile) {
      return fail(dockerfile.error());
    }
    auto context =
        existing(ctx, root, s.dir, s.image->context, FileKind::directory, "context", s.image->pos);
    if (!context) {
      return fail(context.error());
    }
    lines.push_back(ImageLine{id, "", "", *dockerfile, *context, nullptr, std::nullopt});
  }
  for (const graph::AffectedService& a : run->report.set.services) {
    for (ImageLine& line : lines) {
      if (a.id && *a.id == line.service) {
        line.affected = &a;
      }
    }
  }

  const std::vector<std::string> image_task = {graph::kImageTask};
  auto tasks = graph::TaskGraph::build(ws, with_image, image_task);
  if (!tasks) {
    return fail(tasks.error());
  }
  if (tasks->size() > 0) {
    std::optional<BackgroundListing> ahead;
    if (run->report.files) {
      ahead.emplace(std::move(*run->report.files));
    }
    auto inputs = scan_inputs(ctx, run->loaded, options.detection.include_worktree,
                              InputDetail::files, ahead ? &*ahead : nullptr);
    if (!inputs) {
      return fail(inputs.error());
    }
    const auto own_inputs = compute_task_inputs(ws, *tasks, *inputs);
    const std::vector<KeyParts> parts = service_parts(ws, work_tree_reader(ctx.fs, root));
    const std::vector<TaskKey> keys =
        compute_task_keys(ws, *tasks, *inputs, own_inputs, ctx.env, parts);
    for (graph::TaskId task : tasks->topo_order()) {
      const graph::TaskNode& node = tasks->node(task);
      for (ImageLine& line : lines) {
        if (node.service == line.service && node.name == graph::kImageTask) {
          line.tag = graph::content_tag(keys[task.value].key);
          line.reference = graph::image_reference(ws.config().images,
                                                  ws.service(line.service).image->name, line.tag);
        }
      }
    }
    keep_until_exit(inputs);
  }

  if (options.check_registry || options.push || options.write) {
    std::vector<std::string> references;
    for (const ImageLine& line : lines) {
      references.push_back(line.reference);
    }
    const bool acting = options.push || options.write;
    auto answers = ask_registry(
        references, ctx.env, ctx.fs, ctx.reporter,
        std::string(options.push    ? "--push"
                    : options.write ? "--write"
                                    : "--check-registry") +
            ": cannot tell which images the registry has; nothing " +
            (acting ? "built, written or listed (fix the registry or its credentials)"
                    : "listed (fix the registry or its credentials, or leave the check out)"));
    if (!answers) {
      return fail(answers.error());
    }
    for (std::size_t i = 0; i < lines.size(); ++i) {
      lines[i].registry = std::move((*answers)[i]);
    }
  }

  std::map<std::string, PushedImage> pushed;
  if (options.push) {
    // The images the registry lacks, built and pushed by the run's image layer
    // (run/image_executor.h), which finds the images they depend on in the registry.
    RunOptions build;
    build.tasks = {graph::kImageTask};
    build.selection = SelectionMode::only;
    for (const ImageLine& line : lines) {
      if (line.to_build()) {
        build.only.push_back(ws.service(line.service).name);
      }
    }
    build.detection = options.detection;
    build.jobs = options.jobs;
    build.push = true;
    build.pushed = &pushed;
    for (const ImageLine& line : lines) {
      build.registry_answers.emplace(line.reference, *line.registry);  // asked once
    }
    build.command_line = "ripple images --push";
    if (!build.only.empty()) {
      if (const int code = run_tasks(ctx, build); code != 0) {
        return code;
      }
    }
  }

  std::vector<ImageListing> listing;
  for (const ImageLine& line : lines) {
    const graph::ServiceSpec& s = ws.service(line.service);
    ImageListing image;
    image.service = s.name;
    image.name = s.image->name;
    image.tag = line.tag;
    image.reference = line.reference;
    image.repository = line.reference.substr(0, line.reference.rfind(':'));
    image.dockerfile = line.dockerfile;
    image.context = line.context;
    image.status = line.to_build() ? ImageStatus::build
                   : line.registry ? ImageStatus::reused
                                   : ImageStatus::unchanged;
    if (line.affected) {
      image.reason = graph::reason_name(line.affected->reason);
      image.why = reason_text(ws, *line.affected);
    } else {
      image.why = "not in the registry";
    }
    if (line.registry) {
      image.digest = line.registry->digest;
    }
    if (auto it = pushed.find(s.name); it != pushed.end() && it->second.built) {
      if (it->second.reference != line.reference) {
        return fail(Error{ErrorKind::environment,
                          "the workspace changed while the images were built: " + s.name +
                              " built as " + it->second.reference + ", listed as " +
                              line.reference + "; run again on a work tree nothing edits"});
      }
      image.status = ImageStatus::built;
      image.digest = it->second.digest;
    }
    image.extra_tags = s.image->extra_tags;
    listing.push_back(std::move(image));
  }

  // The GitOps writers see the images the registry holds (reused, or built by the push).
  std::vector<GitOpsImage> gitops;
  for (const ImageListing& image : listing) {
    gitops.push_back(GitOpsImage{
        image_update(image.service, image.name, image.reference, image.tag, image.digest),
        image.status == ImageStatus::reused || image.status == ImageStatus::built});
  }
  switch (options.format) {
    case ImagesFormat::text:
      ctx.out << format_images_text(listing);
      break;
    case ImagesFormat::json:
      ctx.out << format_images_json(listing);
      break;
    case ImagesFormat::github_matrix:
      ctx.out << format_images_github_matrix(listing);
      break;
    case ImagesFormat::github_output:
      ctx.out << format_images_github_output(listing);
      break;
    case ImagesFormat::skaffold:
      ctx.out << format_images_skaffold(listing);
      break;
    case ImagesFormat::compose:
      ctx.out << format_images_compose(listing);
      break;
    case ImagesFormat::kustomize:
    case ImagesFormat::helm:
    case ImagesFormat::argocd: {
      const GitOpsKind kind = options.format == ImagesFormat::kustomize ? GitOpsKind::kustomize
                              : options.format == ImagesFormat::helm    ? GitOpsKind::helm
                                                                        : GitOpsKind::argocd;
      if (auto st = print_gitops_fragment(ctx, kind, ws, gitops); !st) {
        return fail(st.error());
      }
      break;
    }
  }
  if (options.write) {
    if (auto st = write_gitops(ctx, root, ws, gitops); !st) {
      return fail(st.error());
    }
  }
  std::size_t to_build = 0;
  std::size_t built = 0;
  for (const ImageListing& image : listing) {
    to_build += image.to_build() ? 1 : 0;
    built += image.status == ImageStatus::built ? 1 : 0;
  }
  ctx.reporter.info(options.push ? std::to_string(built) + " of " + std::to_string(listing.size()) +
                                       " images built and pushed"
                                 : std::to_string(to_build) + " of " +
                                       std::to_string(listing.size()) + " images to build");
  keep_until_exit(run);
  return 0;
}

}  // namespace ripple
