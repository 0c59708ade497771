#pragma once

// `deploy:` in ripple.yaml (docs/images.md, "GitOps write-back"): for each service with an image,
// the GitOps files `ripple images --write` points at its new content tag. Parsed with positions so
// that an unknown service or a bad value is reported at its line.

#include <optional>
#include <string>
#include <vector>

#include "graph/support/error.h"

namespace ripple::graph {

// `kustomize: FILE` or `kustomize: { file: FILE, name: NAME }`: an entry of the kustomization's
// `images:` list, matched by `name` (the image name the manifests use; default the image name).
struct KustomizeTarget {
  std::string file;  // workspace-relative
  std::optional<std::string> name;
  SourcePos pos;
};

// `helm: { file: FILE, path: a.b.image }`: the mapping at `path` of a Helm values file holds
// `repository`, `tag` (and `digest` when known).
struct HelmTarget {
  std::string file;  // workspace-relative
  std::vector<std::string> path;
  SourcePos pos;
};

// `argocd: { app: APP, dir: DIR }`: Argo CD's parameter-override file of the application,
// DIR/.argocd-source-APP.yaml (`kustomize.images` entries).
struct ArgoCdTarget {
  std::string app;
  std::string dir;  // workspace-relative; "." for the root
  SourcePos pos;
};

struct ServiceDeploy {
  Located<std::string> service;  // the service name as written
  std::optional<KustomizeTarget> kustomize;
  std::optional<HelmTarget> helm;
  std::optional<ArgoCdTarget> argocd;
};

using DeployConfig = std::vector<ServiceDeploy>;  // in the order written

}  // namespace ripple::graph
