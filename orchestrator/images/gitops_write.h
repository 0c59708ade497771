#pragma once

// The GitOps writers of `ripple images --write` (docs/images.md, "GitOps write-back"): from the
// `deploy:` mapping of ripple.yaml and the images' new references, the changes to make to the
// kustomizations, Helm values files and Argo CD parameter-override files. Pure: files are read
// through `FileReader`, and the changes are returned, not written (apply_file_changes writes).
//
// Every writer edits only the entries of the images it is given and keeps the rest of the file
// byte for byte (yaml_edit.h); a second run with the same images changes nothing.
//   kustomize: the `images:` entry `name` (the target's name, default the image name) gets
//              `newName` (the repository), `newTag` and `digest` (removed when not known, so that
//              an old digest never pins an old image).
//   helm:      the mapping at `path` gets `repository`, `tag` (always a quoted string) and
//              `digest` (removed when not known).
//   argocd:    DIR/.argocd-source-APP.yaml gets `kustomize.images` entries
//              "name=repository:tag@digest" (without "@digest" when not known), sorted by name.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "graph/deploy_config.h"
#include "graph/support/error.h"

namespace ripple {

// An image with its new reference.
struct ImageUpdate {
  std::string service;
  std::string name;        // the image name (`image.name`, default the service name)
  std::string repository;  // registry/name, without tag
  std::string tag;         // the content tag, r-…
  std::string digest;      // sha256:…; empty when not known
};

// A file to write: its workspace-relative path and its text before (empty for a new file) and
// after. Only files whose text changes are listed.
struct FileChange {
  std::string path;
  std::string old_text;
  std::string new_text;
  std::vector<std::string> services;  // whose images changed it, in the order of the updates
};

// The text of the workspace-relative file `path`, or nothing when it does not exist.
using FileReader = std::function<std::optional<std::string>(const std::string& path)>;

enum class GitOpsKind { kustomize, helm, argocd };

// The changes for the services of `updates` that `deploy` names (others are left out), for the
// writers of `kinds` (all three by default). Input errors: a kustomization or values file that
// does not exist (at its `deploy:` line) or is not YAML of the expected shape (at its own line).
Result<std::vector<FileChange>> plan_gitops_changes(const graph::DeployConfig& deploy,
                                                    const std::vector<ImageUpdate>& updates,
                                                    const FileReader& read,
                                                    const std::vector<GitOpsKind>& kinds = {
                                                        GitOpsKind::kustomize, GitOpsKind::helm,
                                                        GitOpsKind::argocd});

// The YAML fragment one writer would produce from nothing, for every update (`ripple images
// --format kustomize|helm|argocd`): kustomize's `images:` list, Helm values with each image at
// its deploy path (default `<service>.image`), Argo CD's override file.
Result<std::string> gitops_fragment(GitOpsKind kind, const graph::DeployConfig& deploy,
                                    const std::vector<ImageUpdate>& updates);

// Input error at the `deploy:` entry of a service the workspace does not have (with a
// suggestion) or whose service has no image.
Status check_deploy_services(const graph::DeployConfig& deploy,
                             const std::vector<std::string>& services,
                             const std::vector<std::string>& with_image);

// Writes each change's new text atomically under `root`. An environment error names the file.
Status apply_file_changes(const std::string& root, const std::vector<FileChange>& changes);

}  // namespace ripple
