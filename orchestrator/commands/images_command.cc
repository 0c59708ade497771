#include "orchestrator/commands/images_command.h"

#include <nlohmann/json.hpp>
#include <ostream>

#include "graph/image_task.h"
#include "graph/task_graph.h"
#include "orchestrator/affected_scan.h"
#include "orchestrator/command_setup.h"
#include "orchestrator/images/images_gitops.h"
#include "orchestrator/images/registry_client.h"
#include "orchestrator/input_scan.h"
#include "orchestrator/inputs/task_inputs.h"
#include "orchestrator/inputs/task_key.h"
#include "orchestrator/keep_until_exit.h"
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
  const char* status() const { return to_build() ? "build" : registry ? "reused" : "unchanged"; }
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

  if (options.check_registry || options.write) {
    std::vector<ImageRef> refs;
    for (const ImageLine& line : lines) {
      auto ref = parse_image_ref(line.reference);
      if (!ref) {
        return fail(ref.error());
      }
      refs.push_back(std::move(*ref));
    }
    std::vector<RegistryAnswer> answers = check_registry(refs, ctx.env, ctx.fs);
    bool trouble = false;
    for (std::size_t i = 0; i < lines.size(); ++i) {
      if (answers[i].state == RegistryAnswer::State::error) {
        ctx.reporter.error(answers[i].error);
        trouble = true;
      }
      lines[i].registry = std::move(answers[i]);
    }
    if (trouble) {
      ctx.reporter.error(
          "--check-registry: cannot tell which images the registry has; nothing "
          "listed (fix the registry or its credentials, or leave the check out)");
      return 3;
    }
  }

  std::vector<GitOpsImage> gitops;
  for (const ImageLine& line : lines) {
    const graph::ServiceSpec& s = ws.service(line.service);
    const std::string status = line.status();
    gitops.push_back(GitOpsImage{image_update(s.name, s.image->name, line.reference, line.tag,
                                              line.registry ? line.registry->digest : ""),
                                 status == "reused" || status == "built"});
  }
  if (options.format == ImagesFormat::kustomize || options.format == ImagesFormat::helm ||
      options.format == ImagesFormat::argocd) {
    const GitOpsKind kind = options.format == ImagesFormat::kustomize ? GitOpsKind::kustomize
                            : options.format == ImagesFormat::helm    ? GitOpsKind::helm
                                                                      : GitOpsKind::argocd;
    if (auto st = print_gitops_fragment(ctx, kind, ws, gitops); !st) {
      return fail(st.error());
    }
  } else if (options.format == ImagesFormat::json) {
    nlohmann::ordered_json images = nlohmann::ordered_json::array();
    for (const ImageLine& line : lines) {
      const graph::ServiceSpec& s = ws.service(line.service);
      nlohmann::ordered_json image;
      image["service"] = s.name;
      image["name"] = s.image->name;
      image["tag"] = line.tag;
      image["reference"] = line.reference;
      image["dockerfile"] = line.dockerfile;
      image["context"] = line.context;
      image["status"] = line.status();
      if (line.affected) {
        image["reason"] = graph::reason_name(line.affected->reason);
      }
      if (line.registry && !line.registry->digest.empty()) {
        image["digest"] = line.registry->digest;
      }
      image["extra_tags"] = s.image->extra_tags;
      images.push_back(std::move(image));
    }
    nlohmann::ordered_json doc;
    doc["version"] = 1;
    doc["images"] = std::move(images);
    ctx.out << doc.dump(2) << "\n";
  } else {
    std::size_t width = 0;
    for (const ImageLine& line : lines) {
      width = std::max(width, ws.service(line.service).name.size());
    }
    for (const ImageLine& line : lines) {
      const std::string& name = ws.service(line.service).name;
      const std::string status = line.status();
      ctx.out << name << std::string(width - name.size() + 2, ' ') << status
              << std::string(11 - status.size(), ' ') << line.reference;
      if (line.to_build()) {
        ctx.out << "  "
                << (line.affected ? reason_text(ws, *line.affected) : "not in the registry");
      }
      ctx.out << "\n";
    }
  }
  if (options.write) {
    if (auto st = write_gitops(ctx, root, ws, gitops); !st) {
      return fail(st.error());
    }
  }
  std::size_t to_build = 0;
  for (const ImageLine& line : lines) {
    to_build += line.to_build() ? 1 : 0;
  }
  ctx.reporter.info(std::to_string(to_build) + " of " + std::to_string(lines.size()) +
                    " images to build");
  keep_until_exit(run);
  return 0;
}

}  // namespace ripple
