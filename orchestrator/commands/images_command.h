#pragma once

// `ripple images` (docs/images.md): every image of the workspace, with its content-addressed
// reference (graph/image_task.h) and whether the change must rebuild it (`build`: its service is
// affected, with the reason) or not (`unchanged`); with the registry's answer, whether the
// registry has it (`reused`) or not (`build`); with --push, the images the registry lacks built
// and pushed by `ripple run image --push` (`built`, with their digests). In the formats of
// images/image_formats.h.

#include <string>

#include "orchestrator/change_detection.h"
#include "orchestrator/context.h"

namespace ripple {

enum class ImagesFormat {
  text,
  json,
  github_matrix,
  github_output,
  skaffold,
  compose,
  kustomize,  // the GitOps fragments of every image (images_gitops.h), printed, not written
  helm,
  argocd,
};

struct ImagesOptions {
  AffectedOptions detection;
  ImagesFormat format = ImagesFormat::text;
  // Ask each image's registry whether it holds the tag (images/registry_client.h): `reused`
  // (with its digest) when it does, `build` when it does not, whatever the change.
  bool check_registry = false;
  // Build and push, in dependency order and in parallel (`jobs` at once, 0: one per core), every
  // image whose tag the registry lacks; implies check_registry.
  bool push = false;
  int jobs = 0;
  // Point the GitOps files of `deploy:` at the images the registry holds (images_gitops.h);
  // implies check_registry.
  bool write = false;
};

// Input errors (exit 2): an image whose Dockerfile or context does not exist (at its `image:`),
// an unknown builder. Environment errors (exit 3): as `ripple affected`'s, and with
// check_registry a registry that does not answer 200 or 404 (each named with its status). With
// push, a failed build or push is the run's exit code (1), and nothing is listed.
// `deploy:` naming an unknown service or one without an image is an input error, and so are
// the GitOps files' errors with `write` (images/gitops_write.h).
int run_images_command(const CommandContext& ctx, const ImagesOptions& options);

}  // namespace ripple
