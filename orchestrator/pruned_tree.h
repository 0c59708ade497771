#pragma once

// Writes a PruneSet (prune_set.h) out as turbo prune --docker lays its output out
// (docs/images.md, "Minimal build contexts"):
//   OUT/json/  the manifests and lockfiles of the set (manifest_files.h: is_manifest_file),
//   OUT/full/  every file of the set,
// both keeping the workspace-relative layout. Contracts:
// - the bytes are the work tree's as they are now (uncommitted edits included); a file is read
//   without following a link (a listed file that became a link is an error) and written with
//   write_file_beneath(), its mode git's (0755 for an executable, 0644 otherwise) less the umask;
// - a symlink is copied as a symlink, to full/ only, when its target, read lexically from the
//   link's directory, is a file of the set or a directory holding one; an absolute target, or
//   one outside the set, is an input error naming the link, found before anything is written;
// - OUT must be absent or empty (the command checks): it is created, with its parents, once
//   every link has been checked; json/ and full/ are created in it.

#include <cstddef>
#include <string>

#include "graph/support/error.h"
#include "orchestrator/prune_set.h"

namespace ripple {

struct PrunedCounts {
  std::size_t json = 0;  // files in OUT/json/
  std::size_t full = 0;  // files and links in OUT/full/
};

// Whether `file` goes to OUT/json/ as well: a manifest or lockfile that is not a symlink.
bool goes_to_json(const PrunedFile& file);

// `root` and `out` absolute.
Result<PrunedCounts> write_pruned_tree(const std::string& root, const PruneSet& set,
                                       const std::string& out);

}  // namespace ripple
