#pragma once

// The `dockerfile` inference rule's reading of a Dockerfile (docs/inference.md): which files of
// the build context its instructions read, so that an image's inputs are what it copies, not
// every file beside it. Reads line continuations, comments, heredocs (whose bodies read no
// context file), ARG defaults and build args substituted into sources, multi-stage builds
// (`COPY --from=<stage or image>` reads no context file), `COPY`/`ADD` in shell and JSON form
// (URLs and git sources are not context files), and `RUN --mount=type=bind` without `from=`
// (the context, at `source=`, its root by default). Pure.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "graph/support/error.h"

namespace ripple::rules {

inline constexpr const char* kDockerfileRule = "dockerfile";

struct DockerfileReads {
  // Context-relative paths or globs, normalised ("src/pay", "pb/*.proto"), each with the line of
  // its instruction; a source that is the context itself sets whole_context instead.
  std::vector<Located<std::string>> sources;
  bool whole_context = false;
  // The images it builds on: `FROM` and `COPY --from=` / `RUN --mount=from=` references that are
  // not an earlier stage (nor `scratch`), ARGs substituted, as written ("shop/base:${TAG}" →
  // "shop/base:1.0"), each once, with its line. An image another service builds makes an edge.
  std::vector<Located<std::string>> images;
};

// An image reference without its tag or digest: "reg:5000/shop/base:1.0@sha256:ab" →
// "reg:5000/shop/base".
std::string image_repository(const std::string& reference);

// What the Dockerfile `text` (at `file`, for positions) reads from its context; `build_args`
// override ARG defaults.
DockerfileReads dockerfile_reads(std::string_view text, const std::string& file,
                                 const std::map<std::string, std::string>& build_args = {});

}  // namespace ripple::rules
