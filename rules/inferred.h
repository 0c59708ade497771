#pragma once

// What an inference rule found (docs/inference.md): services with the directory they live in,
// their edges to other services, each with where it was read (file:line) and by which rule, so
// that `graph --explain` and errors can point at the line that made them. Rules are pure: they
// read text handed to them and return these; the orchestrator finds and reads the files.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "graph/support/error.h"
#include "graph/support/repo_path.h"

namespace ripple::rules {

// Where a fact came from: the file and line that say it, and the rule that read it.
struct Provenance {
  SourcePos pos;
  std::string rule;
};

struct InferredEdge {
  // The other service as the file names it (a package name for the node rule); the
  // orchestrator resolves it to a service.
  std::string target;
  Provenance from;
};

// The image a Compose `build:` or a skaffold artifact makes.
struct InferredImage {
  std::string name;        // the repository as the file names it, without tag; "" for none
  std::string dockerfile;  // workspace-relative
  std::string context;     // workspace-relative, "" for the root
  std::map<std::string, std::string> build_args;
  std::string target;  // "" for the last stage
  SourcePos pos;       // what made it (the Compose service's key, the artifact)
};

struct InferredService {
  std::string name;
  RepoPath dir;
  Provenance from;  // where the name was read (a package.json's "name")
  std::vector<InferredEdge> edges;
  // Workspace-relative globs the service reads outside its directory too (what its Dockerfile
  // copies), each with where it was read; its own directory is always an input.
  std::vector<Located<std::string>> inputs;
  // The image it builds, when a Compose `build:` or a skaffold artifact says so: what its
  // `image` task builds unless its service.yaml has an `image:` (docs/images.md).
  std::optional<InferredImage> image = std::nullopt;
};

}  // namespace ripple::rules
