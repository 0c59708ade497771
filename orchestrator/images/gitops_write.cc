#include "orchestrator/images/gitops_write.h"

#include <algorithm>
#include <map>

#include "graph/support/text.h"
#include "orchestrator/images/yaml_edit.h"
#include "orchestrator/platform/atomic_file.h"

namespace ripple {
namespace {

std::optional<std::string> or_nothing(const std::string& digest) {
  return digest.empty() ? std::nullopt : std::optional<std::string>(digest);
}

std::string kustomize_name(const graph::ServiceDeploy& deploy, const ImageUpdate& update) {
  return deploy.kustomize && deploy.kustomize->name ? *deploy.kustomize->name : update.name;
}

Result<std::string> write_kustomize(std::string_view text, const std::string& file,
                                    const std::string& name, const ImageUpdate& update) {
  return yaml_set_fields(
      text, file, {YamlStep{"images", name}},
      {YamlField{"newName", update.repository, false}, YamlField{"newTag", update.tag, true},
       YamlField{"digest", or_nothing(update.digest), false}});
}

Result<std::string> write_helm(std::string_view text, const std::string& file,
                               const std::vector<std::string>& path, const ImageUpdate& update) {
  std::vector<YamlStep> steps;
  for (const std::string& key : path) {
    steps.push_back(YamlStep{key, std::nullopt});
  }
  return yaml_set_fields(
      text, file, steps,
      {YamlField{"repository", update.repository, false}, YamlField{"tag", update.tag, true},
       YamlField{"digest", or_nothing(update.digest), false}});
}

Result<std::string> write_argocd(std::string_view text, const std::string& file,
                                 const std::string& name, const ImageUpdate& update) {
  std::string value = name + "=" + update.repository + ":" + update.tag;
  if (!update.digest.empty()) {
    value += "@" + update.digest;
  }
  return yaml_set_list_scalar(
      text, file, {YamlStep{"kustomize", std::nullopt}, YamlStep{"images", std::nullopt}}, name,
      value);
}

std::string argocd_file(const graph::ArgoCdTarget& target) {
  const std::string name = ".argocd-source-" + target.app + ".yaml";
  return target.dir == "." ? name : target.dir + "/" + name;
}

bool wanted(const std::vector<GitOpsKind>& kinds, GitOpsKind kind) {
  return std::find(kinds.begin(), kinds.end(), kind) != kinds.end();
}

}  // namespace

Result<std::vector<FileChange>> plan_gitops_changes(const graph::DeployConfig& deploy,
                                                    const std::vector<ImageUpdate>& updates,
                                                    const FileReader& read,
                                                    const std::vector<GitOpsKind>& kinds) {
  std::vector<FileChange> files;  // in the order first touched
  std::map<std::string, std::size_t> index;
  // The file's entry, read on first use; `required` files must exist.
  auto file_for = [&](const std::string& path, bool required, const SourcePos& pos,
                      const std::string& what) -> Result<FileChange*> {
    if (auto it = index.find(path); it != index.end()) {
      return &files[it->second];
    }
    std::optional<std::string> text = read(path);
    if (!text && required) {
      return input_error(at(pos, what + " file '" + path +
                                     "' does not exist; create it or fix the path in `deploy:`"));
    }
    index[path] = files.size();
    files.push_back(FileChange{path, text.value_or(""), text.value_or(""), {}});
    return &files.back();
  };
  auto apply = [&](FileChange& file, const ImageUpdate& update,
                   Result<std::string> edited) -> Status {
    if (!edited) {
      return tl::unexpected(edited.error());
    }
    if (*edited != file.new_text) {
      file.new_text = std::move(*edited);
      file.services.push_back(update.service);
    }
    return {};
  };
  for (const ImageUpdate& update : updates) {
    for (const graph::ServiceDeploy& target : deploy) {
      if (target.service.value != update.service) {
        continue;
      }
      if (target.kustomize && wanted(kinds, GitOpsKind::kustomize)) {
        auto file = file_for(target.kustomize->file, true, target.kustomize->pos, "kustomization");
        if (!file) {
          return tl::unexpected(file.error());
        }
        FileChange& f = **file;
        if (auto st =
                apply(f, update,
                      write_kustomize(f.new_text, f.path, kustomize_name(target, update), update));
            !st) {
          return tl::unexpected(st.error());
        }
      }
      if (target.helm && wanted(kinds, GitOpsKind::helm)) {
        auto file = file_for(target.helm->file, true, target.helm->pos, "Helm values");
        if (!file) {
          return tl::unexpected(file.error());
        }
        FileChange& f = **file;
        if (auto st = apply(f, update, write_helm(f.new_text, f.path, target.helm->path, update));
            !st) {
          return tl::unexpected(st.error());
        }
      }
      if (target.argocd && wanted(kinds, GitOpsKind::argocd)) {
        auto file = file_for(argocd_file(*target.argocd), false, target.argocd->pos, "");
        if (!file) {
          return tl::unexpected(file.error());
        }
        FileChange& f = **file;
        if (auto st =
                apply(f, update,
                      write_argocd(f.new_text, f.path, kustomize_name(target, update), update));
            !st) {
          return tl::unexpected(st.error());
        }
      }
    }
  }
  std::vector<FileChange> changed;
  for (FileChange& file : files) {
    if (file.new_text != file.old_text) {
      changed.push_back(std::move(file));
    }
  }
  return changed;
}

Result<std::string> gitops_fragment(GitOpsKind kind, const graph::DeployConfig& deploy,
                                    const std::vector<ImageUpdate>& updates) {
  std::string text;
  for (const ImageUpdate& update : updates) {
    const graph::ServiceDeploy* target = nullptr;
    for (const graph::ServiceDeploy& d : deploy) {
      if (d.service.value == update.service) {
        target = &d;
      }
    }
    const graph::ServiceDeploy none{};
    const graph::ServiceDeploy& t = target ? *target : none;
    Result<std::string> next = text;
    if (kind == GitOpsKind::kustomize) {
      next = write_kustomize(text, "kustomize", kustomize_name(t, update), update);
    } else if (kind == GitOpsKind::helm) {
      const std::vector<std::string> path =
          t.helm ? t.helm->path : std::vector<std::string>{update.service, "image"};
      next = write_helm(text, "helm", path, update);
    } else {
      next = write_argocd(text, "argocd", kustomize_name(t, update), update);
    }
    if (!next) {
      return next;
    }
    text = std::move(*next);
  }
  return text;
}

Status check_deploy_services(const graph::DeployConfig& deploy,
                             const std::vector<std::string>& services,
                             const std::vector<std::string>& with_image) {
  for (const graph::ServiceDeploy& target : deploy) {
    const std::string& name = target.service.value;
    if (std::find(services.begin(), services.end(), name) == services.end()) {
      return input_error(at(target.service.pos, "deploy: unknown service '" + name + "'" +
                                                    did_you_mean(name, services) +
                                                    "; use a service name from `ripple graph`"));
    }
    if (std::find(with_image.begin(), with_image.end(), name) == with_image.end()) {
      return input_error(
          at(target.service.pos, "deploy: service '" + name +
                                     "' has no image; give it an `image:` in its service.yaml or "
                                     "remove it from `deploy:`"));
    }
  }
  return {};
}

Status apply_file_changes(const std::string& root, const std::vector<FileChange>& changes) {
  for (const FileChange& change : changes) {
    if (auto st = write_file_atomically(root + "/" + change.path, change.new_text); !st) {
      return st;
    }
  }
  return {};
}

}  // namespace ripple
