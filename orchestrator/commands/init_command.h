#pragma once

// `ripple init [--force] [--stdout]`: shows the services inference finds in the workspace (as
// `graph --explain` prints them) and writes a commented ripple.yaml at its root (the git
// repository's root when there is no ripple.yaml yet), the one file it writes (orchestrator/
// init_yaml.h says what is in it). Nothing else is created: not even ripple's state directory.
//
// An existing ripple.yaml is never replaced without --force: an input error (exit 2) naming it.
// With --stdout the text goes to stdout instead of the file (the listing then goes to stderr),
// whether a ripple.yaml exists or not.

#include "orchestrator/context.h"

namespace ripple {

struct InitOptions {
  bool force = false;      // overwrite an existing ripple.yaml
  bool to_stdout = false;  // print the file instead of writing it (--stdout, --dry-run)
};

// Returns the process exit code; errors and warnings go to ctx.reporter.
int run_init_command(const CommandContext& ctx, const InitOptions& options);

}  // namespace ripple
