#pragma once

// Internal to the git adapter: a reader of the git index file (gitformat-index) for the status
// pass. libgit2's git_index_read allocates every entry and its path separately and copies the
// file through read(); on a 110,000-entry index that is ~180 ms, against ~15 ms for a read-only
// mapping of the file with entries decoded in place.
//
// Deliberately partial: versions 2, 3 and 4, the optional extensions (the cache tree TREE is
// decoded, the rest skipped). Anything else — a split index ("link"), a sparse index ("sdir"),
// any other mandatory extension, an unknown version, a checksum that does not match, a
// truncated file — makes read_index_file() return nothing, and the caller falls back to
// libgit2, which either reads it or says what is wrong.

#include <sys/stat.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "orchestrator/git/detail.h"

namespace ripple::git::detail {

// One index entry, decoded; field names follow git_index_entry.
struct IndexEntry {
  // Owned by the IndexFile (or libgit2's index) it came from, and always followed by a NUL in
  // memory, so `path.data()` (or any suffix of it) can be handed to a system call as it is.
  std::string_view path;
  git_oid id;
  std::uint32_t mode = 0;
  std::uint32_t file_size = 0;
  std::uint32_t ino = 0;
  git_index_time mtime{};
  git_index_time ctime{};
  std::uint16_t flags = 0;           // stage in bits 12-13 (GIT_INDEX_ENTRY_STAGE)
  std::uint16_t flags_extended = 0;  // GIT_INDEX_ENTRY_INTENT_TO_ADD, _SKIP_WORKTREE
};

// A valid node of the cache tree: the tree id of directory `path` ("" for the root, no trailing
// slash), which covers `entry_count` index entries. Invalidated nodes are left out.
struct CachedTree {
  std::string path;
  std::int32_t entry_count = 0;
  git_oid id;
};

struct IndexFile {
  std::vector<IndexEntry> entries;  // in index order (path, then stage)
  std::vector<CachedTree> trees;    // valid cache-tree nodes, parents before children
  struct timespec mtime {};         // of the index file, for the racy-clean check
  struct Storage;
  std::shared_ptr<const Storage> storage;  // the mapping (and v4 paths) the views point into
};

// Reads the index file at `path`. Nothing when the file is missing or uses anything this reader
// does not handle (see above): the caller must then use libgit2.
std::optional<IndexFile> read_index_file(const std::string& path);

}  // namespace ripple::git::detail
