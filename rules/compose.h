#pragma once

// The `compose` inference rule (docs/inference.md): the services a Compose file builds here.
// - Each service with `build:` is a service named by its key; `build` as a string (the context)
//   or a map (`context`, `dockerfile`, `args`, `target`, `additional_contexts`); `image:` is its
//   image name. `additional_contexts: {x: "service:other"}` is an edge to `other`. `depends_on`
//   is start order at run time, never an edge.
// - `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?message}` and `$VAR` in the values read
//   are substituted from the variables handed in (the project's `.env`), as Compose does; `$$` is
//   a '$'. `${VAR:?message}` with VAR unset or empty is an error naming VAR.
// - Its directory is its build context, relative to the Compose file's directory, except when
//   the context is the workspace root or is shared with another service: then the directory of
//   its Dockerfile (a context shared by many builds says nothing of which files each reads; until
//   the dockerfile rule reads COPY sources, the Dockerfile's directory stands for them).
// - Its part of the Compose file is its own block (anchors and `<<` merges resolved), and of the
//   `.env` file the values of the variables that block uses: compose_parts() gives both, so that
//   a change to the file affects only the services whose part changed.
// - Override files and `include:` (docs/inference.md): the project's layers (the Compose file,
//   then its override file) are read as one, each service's blocks merged as Compose merges them
//   (a later layer's value wins; `build` merged key by key, `build: path` being its context;
//   `additional_contexts` by name), paths relative to the first layer's directory. Each
//   `include:` entry names another project (its files and env file), read the same way by the
//   caller.
// Pure.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "graph/support/error.h"
#include "rules/compose_env.h"  // parse_dotenv: the project's .env
#include "rules/inferred.h"

namespace ripple::rules {

inline constexpr const char* kComposeRule = "compose";

// The Compose file names ripple looks for at the workspace root, in Compose's order.
const std::vector<std::string>& compose_file_names();

// The override file names Compose reads after the Compose file when one exists (the first that
// does), in Compose's order.
const std::vector<std::string>& compose_override_names();

struct ComposeService {
  InferredService service;
  std::string image;       // empty when the block has no `image:`
  std::string context;     // workspace-relative, "" for the root
  std::string dockerfile;  // workspace-relative; empty for `dockerfile_inline`
  std::map<std::string, std::string> build_args;  // `build.args` with a value
  std::string target;                             // `build.target`
};

// Another project an `include:` entry names: its files (workspace-relative; the Compose file,
// then the files that override it) and its env files (`env_file`, else the `.env` beside its
// first file), whose variables are read over the including project's.
struct ComposeInclude {
  std::vector<std::string> files;
  std::vector<std::string> env_files;
  SourcePos pos;  // the entry
};

struct ComposeFile {
  std::vector<ComposeService> services;  // in the order they first appear
  std::vector<ComposeInclude> includes;  // every layer's, in order
  std::vector<Diagnostic> warnings;
};

// One file of a project: its text and its workspace-relative path.
struct ComposeLayer {
  std::string text;
  std::string file;
};

// The services a project's `layers` (the Compose file first, then its overrides) build, with
// `env` for substitution. An input error at file:line:col for a file that does not parse, a
// `build` or `include` of the wrong shape, a path outside the workspace, or a `${VAR:?}` unset.
Result<ComposeFile> compose_services(const std::vector<ComposeLayer>& layers,
                                     const std::map<std::string, std::string>& env);
// The same for a project of one file.
Result<ComposeFile> compose_services(std::string_view text, const std::string& file,
                                     const std::map<std::string, std::string>& env);

// Each service's part of one Compose file (a layer): its block as canonical text, the names of
// the variables it uses, and whether the block has a `build` (a service is built when any of its
// layers' blocks has one). Nothing when `text` does not parse (the caller treats the change as it
// would without the rule).
struct ComposePart {
  std::string block;
  std::vector<std::string> variables;
  bool builds = false;
};
std::optional<std::map<std::string, ComposePart>> compose_parts(std::string_view text);

}  // namespace ripple::rules
