#pragma once

// The `skaffold` inference rule (docs/inference.md): the images a root skaffold.yaml builds.
// Every YAML document of the file (`---`) counts; in each, `build.artifacts[]`:
// - `image` (required) is the image; the service is named by its last path element, tag aside
//   (`gcr.io/shop/cart` → `cart`);
// - `context` (default ".") is the build context, relative to the file's directory;
// - `docker.dockerfile` (or `kaniko.dockerfile`; default "Dockerfile") is relative to the
//   context; an artifact built by another builder (jib, ko, bazel, buildpacks, custom) has no
//   Dockerfile; their `buildArgs` with a literal value (not a `{{template}}`) and `target` are the
//   image's build args and target;
// - `requires[].image` names another artifact's image: an edge to that artifact's service.
// Its directory is its context, except when the context is the workspace root or shared with
// another artifact: then its Dockerfile's directory (as for Compose, rules/compose.h). Pure.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "graph/support/error.h"
#include "rules/inferred.h"

namespace ripple::rules {

inline constexpr const char* kSkaffoldRule = "skaffold";
inline constexpr const char* kSkaffoldFile = "skaffold.yaml";

struct SkaffoldArtifact {
  InferredService service;  // edges: its `requires`, by service name
  std::string image;
  std::string context;     // workspace-relative, "" for the root
  std::string dockerfile;  // workspace-relative; empty when another builder builds it
  std::map<std::string, std::string> build_args = {};  // docker/kaniko `buildArgs`, literal ones
  std::string target = {};                             // docker/kaniko `target`
};

// The artifacts of `text` (the skaffold.yaml at `file`, workspace-relative), across its
// documents, in order. An input error at file:line:col for a file that is not YAML, or of the
// wrong shape (`build` not a mapping, `artifacts` not a list, an artifact without a string
// `image`, a `context` or `dockerfile` that is not a path inside the workspace, `requires` not a
// list of mappings with an `image`), or two artifacts with one image.
Result<std::vector<SkaffoldArtifact>> skaffold_artifacts(std::string_view text,
                                                         const std::string& file);

}  // namespace ripple::rules
