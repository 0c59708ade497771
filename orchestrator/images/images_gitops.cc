#include "orchestrator/images/images_gitops.h"

#include <map>

namespace ripple {
namespace {

std::vector<ImageUpdate> updates_of(const std::vector<GitOpsImage>& images, bool only_in_registry) {
  std::vector<ImageUpdate> updates;
  for (const GitOpsImage& image : images) {
    if (image.in_registry || !only_in_registry) {
      updates.push_back(image.update);
    }
  }
  return updates;
}

}  // namespace

ImageUpdate image_update(const std::string& service, const std::string& name,
                         const std::string& reference, const std::string& tag,
                         const std::string& digest) {
  std::string repository = reference;
  if (repository.size() > tag.size() && repository.ends_with(":" + tag)) {
    repository.resize(repository.size() - tag.size() - 1);
  }
  return ImageUpdate{service, name, repository, tag, digest};
}

Status check_deploy(const graph::Workspace& ws) {
  std::vector<std::string> services;
  std::vector<std::string> with_image;
  for (const graph::ServiceSpec& s : ws.services()) {
    services.push_back(s.name);
    if (s.image) {
      with_image.push_back(s.name);
    }
  }
  return check_deploy_services(ws.config().deploy, services, with_image);
}

Status print_gitops_fragment(const CommandContext& ctx, GitOpsKind kind, const graph::Workspace& ws,
                             const std::vector<GitOpsImage>& images) {
  auto text = gitops_fragment(kind, ws.config().deploy, updates_of(images, false));
  if (!text) {
    return tl::unexpected(text.error());
  }
  ctx.out << *text;
  return {};
}

Status write_gitops(const CommandContext& ctx, const std::string& root, const graph::Workspace& ws,
                    const std::vector<GitOpsImage>& images) {
  Status trouble;
  const FileReader read = [&](const std::string& path) {
    return read_if_file(ctx.fs, path_join(root, path), trouble);
  };
  const std::vector<ImageUpdate> updates = updates_of(images, true);
  auto changes = plan_gitops_changes(ws.config().deploy, updates, read);
  if (!trouble) {
    return trouble;
  }
  if (!changes) {
    return tl::unexpected(changes.error());
  }
  if (auto st = apply_file_changes(root, *changes); !st) {
    return st;
  }
  std::map<std::string, std::string> tags;
  for (const ImageUpdate& update : updates) {
    tags[update.service] = update.tag;
  }
  for (const FileChange& change : *changes) {
    std::string what;
    for (const std::string& service : change.services) {
      what += (what.empty() ? "" : ", ") + service + " → " + tags[service];
    }
    ctx.reporter.info("wrote " + change.path + " (" + what + ")");
  }
  if (changes->empty()) {
    ctx.reporter.info("--write: nothing to write (" + std::to_string(updates.size()) +
                      " images in the registry, their GitOps files already up to date)");
  }
  return {};
}

}  // namespace ripple
