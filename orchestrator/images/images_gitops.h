#pragma once

// The GitOps part of `ripple images` (docs/images.md, "GitOps write-back"): the `deploy:` check,
// the print-only formats kustomize|helm|argocd and `--write` (images/gitops_write.h).

#include <string>
#include <vector>

#include "graph/workspace.h"
#include "orchestrator/context.h"
#include "orchestrator/images/gitops_write.h"

namespace ripple {

// An image of the listing as the writers see it, and whether the registry holds its tag (the
// status `reused`, or `built` after a push): only those are written.
struct GitOpsImage {
  ImageUpdate update;
  bool in_registry = false;
};

// The image's update from its full reference "<registry>/<name>:<tag>".
ImageUpdate image_update(const std::string& service, const std::string& name,
                         const std::string& reference, const std::string& tag,
                         const std::string& digest);

// Input error (exit 2) for a `deploy:` entry naming a service the workspace does not have, or
// one without an image.
Status check_deploy(const graph::Workspace& ws);

// Prints the fragment of `kind` for every image to ctx.out.
Status print_gitops_fragment(const CommandContext& ctx, GitOpsKind kind, const graph::Workspace& ws,
                             const std::vector<GitOpsImage>& images);

// Writes the GitOps files of `deploy:` for the images the registry holds, atomically and only
// the files whose text changes; says on stderr which files it wrote ("ripple: wrote FILE
// (svc → tag)") or "nothing to write". Input errors as plan_gitops_changes'; environment errors
// for a file that cannot be read or written.
Status write_gitops(const CommandContext& ctx, const std::string& root, const graph::Workspace& ws,
                    const std::vector<GitOpsImage>& images);

}  // namespace ripple
