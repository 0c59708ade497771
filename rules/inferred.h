#pragma once

// What an inference rule found (docs/inference.md): services with the directory they live in,
// their edges to other services, each with where it was read (file:line) and by which rule, so
// that `graph --explain` and errors can point at the line that made them. Rules are pure: they
// read text handed to them and return these; the orchestrator finds and reads the files.

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

struct InferredService {
  std::string name;
  RepoPath dir;
  Provenance from;  // where the name was read (a package.json's "name")
  std::vector<InferredEdge> edges;
  // Workspace-relative globs the service reads outside its directory too (what its Dockerfile
  // copies), each with where it was read; its own directory is always an input.
  std::vector<Located<std::string>> inputs;
};

}  // namespace ripple::rules
