#pragma once

// Internal to the git adapter: the merge-base of two commits in a shallow clone.
//
// libgit2 1.5 does not read .git/shallow: its merge-base walk asks for the parents of the
// clone's boundary commits, which the clone does not have, and fails ("object not found") even
// when the merge-base is right there — so `git fetch --deepen=N`, the fix a shallow clone is
// told to use, never helped. This walk treats the commits listed in <commondir>/shallow as
// having no parents, as git does, and otherwise paints down from both commits in commit-time
// order as git's merge-base does.
//
// Nothing (no error) when the two commits share no ancestor inside the clone: the merge-base is
// beyond the boundary, or there is none. Environment error when a commit that should be there
// cannot be read. When there are several best common ancestors (criss-cross merges), the most
// recent by commit time.

#include <optional>

#include "graph/support/error.h"
#include "orchestrator/git/libgit2_handles.h"

namespace ripple::git {

Result<std::optional<git_oid>> shallow_merge_base(git_repository* repo, const git_oid& a,
                                                  const git_oid& b);

}  // namespace ripple::git
