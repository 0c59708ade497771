#pragma once

// A Dockerfile build as what a service reads (docs/inference.md, the dockerfile rule): the
// rule (rules/dockerfile.h) says which context paths the Dockerfile reads; this side turns them
// into workspace-relative input patterns, finds the effective .dockerignore
// (rules/dockerignore.h) and warns of sources that do not exist.

#include <optional>
#include <string>
#include <vector>

#include "graph/support/error.h"
#include "orchestrator/platform/filesystem.h"
#include "rules/dockerfile.h"

namespace ripple {

struct DockerBuild {
  std::string dockerfile;  // workspace-relative
  std::string context;     // workspace-relative, "" for the workspace root
};

struct IgnoreFile {
  std::string path;  // workspace-relative
  std::string text;
};

// The effective .dockerignore of `build` under `root` (absolute): "<Dockerfile>.dockerignore",
// else "<context>/.dockerignore"; nothing when neither is a file. An environment error when the
// one found cannot be read.
Result<std::optional<IgnoreFile>> read_dockerignore(const Filesystem& fs, const std::string& root,
                                                    const DockerBuild& build);

// Workspace-relative input patterns for what `reads` (of build.dockerfile) reads, in order: the
// Dockerfile; its whole context ("context/**") or each source ("context/src",
// "context/src/**"). With `ignore`, its patterns follow (rules::dockerignore_inputs: '!'
// excludes), and then the Dockerfile and the ignore file themselves again: BuildKit reads both
// whatever the ignore file lists, and an edit to either changes the build.
std::vector<Located<std::string>> docker_build_inputs(const rules::DockerfileReads& reads,
                                                      const DockerBuild& build,
                                                      const std::optional<IgnoreFile>& ignore);

// A warning for each source of `reads` without a wildcard that is not in the context (docker
// fails at build time; ripple does not fail at plan time).
void warn_missing_sources(const Filesystem& fs, const std::string& root,
                          const rules::DockerfileReads& reads, const DockerBuild& build,
                          std::vector<Diagnostic>& warnings);

}  // namespace ripple
