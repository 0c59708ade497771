#pragma once

// The services Compose files and skaffold.yaml build (rules/compose.h, rules/skaffold.h), with
// what their Dockerfiles read (rules/dockerfile.h, orchestrator/dockerfile_inputs.h): part of
// infer_services().

#include <string>

#include "graph/support/error.h"
#include "orchestrator/inferred_services.h"
#include "orchestrator/platform/filesystem.h"

namespace ripple {

// The services of the root Compose file (with `compose`) and the root skaffold.yaml (with
// `skaffold`) into `out.services`, their images into `out.images`. With `dockerfiles` (the
// dockerfile rule on), each one's Dockerfile is read: its inputs (narrowed by the effective
// .dockerignore), and an edge to the service building an image it builds on. An input error at
// file:line:col for a file that does not parse.
Status infer_docker_builds(const Filesystem& fs, const std::string& root, bool compose,
                           bool skaffold, bool dockerfiles, InferredServices& out);

}  // namespace ripple
