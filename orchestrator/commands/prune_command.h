#pragma once

// `ripple docker prune SERVICE... --out DIR [--format text|json]`: the minimal build context for
// some services (docs/images.md, "Minimal build contexts: ripple docker prune"), the
// language-neutral form of `turbo prune --docker`. Copies the files prune_set.h chooses into
// DIR/json/ (manifests and lockfiles) and DIR/full/ (everything), as pruned_tree.h lays them out,
// and says on stderr what it wrote: `ripple: pruned checkout (+2 dependencies): 14 files in
// json/, 212 in full/`; with --format json, the lists on stdout as well.
//
// Input errors (exit 2), each before anything is written: an unknown service (with a
// did-you-mean); DIR not a directory, or not empty; DIR inside the workspace where the files
// written would become inputs of a service or global inputs (the fix: an `ignore:` glob for it,
// or a DIR outside the workspace); a symlink whose target is not in the set.

#include <string>
#include <vector>

#include "orchestrator/context.h"

namespace ripple {

enum class PruneFormat { text, json };

struct PruneOptions {
  std::vector<std::string> services;
  std::string out;  // relative to ctx.start_dir, or absolute
  PruneFormat format = PruneFormat::text;
};

int run_prune_command(const CommandContext& ctx, const PruneOptions& options);

}  // namespace ripple
