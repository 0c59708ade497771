#pragma once

// `ripple images` (docs/images.md): every image of the workspace, with its content-addressed
// reference (graph/image_task.h) and whether the change must rebuild it (`build`: its service is
// affected, with the reason) or not (`unchanged`).

#include <string>

#include "orchestrator/change_detection.h"
#include "orchestrator/context.h"

namespace ripple {

enum class ImagesFormat { text, json };

struct ImagesOptions {
  AffectedOptions detection;
  ImagesFormat format = ImagesFormat::text;
};

// Input errors (exit 2): an image whose Dockerfile or context does not exist (at its `image:`),
// an unknown builder. Environment errors (exit 3): as `ripple affected`'s.
int run_images_command(const CommandContext& ctx, const ImagesOptions& options);

}  // namespace ripple
