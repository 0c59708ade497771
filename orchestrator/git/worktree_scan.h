#pragma once

// Internal to the git adapter: the building blocks of a fast status pass, shared by
// worktree_status (what changed, for `affected`) and file_listing (every file's id, for
// `hash`).

#include <sys/stat.h>

#include <memory>
#include <string>
#include <vector>

#include "cache/stat_cache.h"
#include "orchestrator/git/index_snapshot.h"
#include "orchestrator/git/libgit2_handles.h"
#include "orchestrator/inputs/content_hasher.h"
#include "orchestrator/inputs/file_record.h"
#include "orchestrator/platform/stat_snapshot.h"

namespace ripple::git {

enum class FileState { clean, modified, deleted };

// 16 bytes: one per tracked file, so the rare computed id lives behind a pointer.
struct TrackedState {
  FileState state = FileState::clean;
  FileSource source = FileSource::index;
  std::uint32_t mode = 0;
  std::unique_ptr<std::string> id;  // the current content id (hex) when it had to be computed
};

struct Scan {
  std::vector<TrackedState> tracked;   // by IndexSnapshot::entries
  std::vector<std::string> untracked;  // untracked, not ignored, relative to the prefix
};

// One pass over the work tree below the prefix, in parallel, directory by directory: each
// directory is opened once, listed (names the index does not know are untracked candidates)
// and its tracked files are stat'ed relative to the open directory, so the kernel resolves one
// path component per file rather than the whole path.
//
// A tracked file whose stat data matches the index and is not racily clean is clean without
// being read; otherwise its id comes from `cache` (may be null) or `hasher`, and files whose
// bytes differ are re-checked through libgit2's filters. Ignore rules are consulted only for
// names the index does not know; an ignored directory is never entered. Submodules are compared
// by their checked-out commit and never walked.
//
// With `listings` (may be null), a tracked directory whose stat data is unchanged since it was
// last listed, and was not racily fresh then, is not listed again: its remembered names are
// checked against the current index and ignore rules instead (git's "untracked cache", without
// remembering ignore decisions). Keys are directory paths relative to the prefix.
Result<Scan> scan_worktree(git_repository* repo, const IndexSnapshot& snap, cache::StatCache* cache,
                           const ContentHasher& hasher, StatSnapshot* listings = nullptr);

// Compares one tracked file, already lstat'ed as `st` (`fst` in the stat cache's terms), with
// its index entry, setting `out`: clean without a read when the stat data matches and is not
// racily clean; otherwise its id comes from `cache` (may be null) or `hasher`.
Status check_entry(const IndexSnapshot& snap, const IndexEntry& entry, const struct stat& st,
                   const cache::FileStat& fst, cache::StatCache* cache, const ContentHasher& hasher,
                   TrackedState& out);

// The passes that follow the per-file checks: submodules are compared by their checked-out
// commit, and files whose bytes differ are re-checked through libgit2's filters (autocrlf,
// .gitattributes), which may find them clean.
void finish_scan(git_repository* repo, const IndexSnapshot& snap, Scan& scan);

// The payload version of listing snapshots.
inline constexpr std::uint32_t kListingSnapshotVersion = 1;

// The stat cache key of a path whose id is a git blob id ("git:" + path), so that ids of
// another kind (xxh3 outside git) are never mistaken for it.
inline std::string stat_key(std::string_view path) { return std::string("git:").append(path); }

// lstat data in the stat cache's terms; false when the file is gone.
bool stat_file(const std::string& full, cache::FileStat& out, struct stat& st);

}  // namespace ripple::git
