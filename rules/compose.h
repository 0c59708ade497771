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
// Pure.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "graph/support/error.h"
#include "rules/inferred.h"

namespace ripple::rules {

inline constexpr const char* kComposeRule = "compose";

// The Compose file names ripple looks for at the workspace root, in Compose's order.
const std::vector<std::string>& compose_file_names();

// A `.env` file: NAME=value lines, `export ` allowed, '#' comments, values unquoted, in single
// quotes (taken as they are) or double quotes (\n, \" and \\ escapes).
std::map<std::string, std::string> parse_dotenv(std::string_view text);

struct ComposeService {
  InferredService service;
  std::string image;       // empty when the block has no `image:`
  std::string context;     // workspace-relative, "" for the root
  std::string dockerfile;  // workspace-relative
};

struct ComposeFile {
  std::vector<ComposeService> services;  // in the file's order
  std::vector<Diagnostic> warnings;
};

// The services `text` (the Compose file at `file`, workspace-relative, in directory `dir`)
// builds, with `env` for substitution. An input error at file:line:col for a file that does not
// parse, a `build` of the wrong shape, or a `${VAR:?}` unset.
Result<ComposeFile> compose_services(std::string_view text, const std::string& file,
                                     const std::map<std::string, std::string>& env);

// Each built service's part of a Compose file: its block as canonical text, and the names of the
// variables it uses. Nothing when `text` does not parse (the caller treats the change as it would
// without the rule).
struct ComposePart {
  std::string block;
  std::vector<std::string> variables;
};
std::optional<std::map<std::string, ComposePart>> compose_parts(std::string_view text);

}  // namespace ripple::rules
