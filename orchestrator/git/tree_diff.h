#pragma once

// Internal to the git adapter. Differences between two trees, reading only the subtrees whose
// ids differ: the cost follows the size of the change, not the size of the repository.

#include "orchestrator/git/libgit2_handles.h"

namespace ripple::git {

// Adds to `out` every blob path that differs between `before` and `after` (either may be null:
// an absent tree), relative to `base`. A rename is a deletion plus an addition, so both sides
// count; a file that became a directory is a deletion plus additions.
Status diff_trees(git_repository* repo, const git_tree* before, const git_tree* after,
                  const std::string& base, ChangeMap& out);

}  // namespace ripple::git
