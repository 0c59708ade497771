#pragma once

// Internal to the git adapter: the building blocks of a fast status pass, shared by
// worktree_status (what changed, for `affected`) and file_listing (every file's id, for
// `hash`).

#include <sys/stat.h>

#include <string>
#include <vector>

#include "cache/stat_cache.h"
#include "orchestrator/content_hasher.h"
#include "orchestrator/file_record.h"
#include "orchestrator/git/detail.h"

namespace ripple::git::detail {

struct Entry {
  std::string path;  // relative to the prefix
  const git_index_entry* raw;
};

struct IndexSnapshot {
  IndexPtr index;
  std::vector<Entry> entries;  // stage 0, below the prefix, in path order
  std::vector<std::string> conflicted;  // paths with unresolved conflicts
  std::vector<std::string> intent_to_add;
  struct timespec index_mtime{};
  std::string root;          // absolute work-tree directory of the prefix, ending in '/'
  std::string prefix_slash;  // "" or "prefix/"
  bool filemode = true;      // core.filemode
};

Result<IndexSnapshot> load_index(git_repository* repo, const std::string& prefix);

enum class FileState { clean, modified, deleted };

struct TrackedState {
  FileState state = FileState::clean;
  FileSource source = FileSource::index;
  std::string id;  // the current content id when it had to be computed (hex)
  std::uint32_t mode = 0;
};

// Compares every tracked file with the index, in parallel. A file whose stat data matches and
// is not racily clean is clean without being read; otherwise its id comes from `cache` (may be
// null) or `hasher`, and files with filters configured are re-checked through libgit2.
// Fails only on internal errors; an unreadable file is reported as an error by the hasher.
Result<std::vector<TrackedState>> check_tracked(git_repository* repo, const IndexSnapshot& snap,
                                                cache::StatCache* cache,
                                                const ContentHasher& hasher);

// Untracked, not ignored files below the prefix (relative to it), in no particular order.
std::vector<std::string> untracked_files(git_repository* repo, const IndexSnapshot& snap);

// lstat data in the stat cache's terms; false when the file is gone.
bool stat_file(const std::string& full, cache::FileStat& out, struct stat& st);

}  // namespace ripple::git::detail
