#pragma once

// The cargo and python rules' side of the world (rules/cargo.h, rules/pyproject.h): the root
// manifest read, its member globs expanded to directories (orchestrator/dir_glob.h), excluded
// ones dropped, and each member's manifest read and handed to the pure rule. A glob that matches
// no directory with a manifest, and a member without a name, are warnings; a manifest that is
// not TOML is an input error naming file:line:col; one that cannot be read, an environment
// error. Manifests are read on every run (no StatSnapshot yet: a crate's edges depend on the
// root's `[workspace.dependencies]` too).

#include <string>

#include "graph/support/error.h"
#include "orchestrator/inferred_services.h"
#include "orchestrator/platform/filesystem.h"

namespace ripple {

// A Cargo workspace under `root` (absolute): its crates, appended to `out`.
Status infer_cargo(const Filesystem& fs, const std::string& root, InferredServices& out);

// A uv workspace under `root` (absolute): its projects, appended to `out`.
Status infer_python(const Filesystem& fs, const std::string& root, InferredServices& out);

}  // namespace ripple
