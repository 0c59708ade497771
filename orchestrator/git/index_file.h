#pragma once

// Internal to the git adapter: a reader of the git index file (gitformat-index) for the status
// pass. libgit2's git_index_read allocates every entry and its path separately and copies the
// file through read(); on a 110,000-entry index that is ~180 ms, against ~15 ms for a read-only
// mapping of the file with entries decoded in place.
//
// Deliberately partial: versions 2, 3 and 4, the optional extensions (the cache tree TREE is
// decoded, the rest skipped). Anything else — a split index ("link"), a sparse index ("sdir"),
// any other mandatory extension, an unknown version, a truncated or malformed file (and, when
// asked to verify it, a checksum that does not match) — makes read_index_file() return nothing,
// and the caller falls back to libgit2, which either reads it or says what is wrong.
//
// The trailing SHA-1 is not verified by default, as git itself does not verify it when it reads
// the index (only `git fsck` does, since git 2.13): hashing 11 MB costs 14 ms of CPU on the
// 110,000-file benchmark, a sixth of a fresh-clone `hash --no-uncommitted`. Every length and
// offset is still checked against the file's size, so a damaged file cannot be read past.

#include <sys/stat.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "orchestrator/git/libgit2_handles.h"

namespace ripple::git {

inline constexpr std::size_t kIndexRecordSize = 62;  // ten 32-bit fields, the id, 16-bit flags
inline constexpr std::uint16_t kIndexExtendedFlag = 0x4000;

// One index entry: its path, and its fixed-size record as the index file stores it (big-endian),
// decoded on access, so that reading the index allocates nothing per entry. Accessors follow
// git_index_entry's field names.
struct IndexEntry {
  // Owned by the IndexFile (or the snapshot) it came from, and always followed by a NUL in
  // memory, so `path.data()` (or any suffix of it) can be handed to a system call as it is.
  std::string_view path;
  const unsigned char* record = nullptr;  // kIndexRecordSize bytes, 2 more when extended

  git_index_time ctime() const { return {static_cast<std::int32_t>(be32(0)), be32(4)}; }
  git_index_time mtime() const { return {static_cast<std::int32_t>(be32(8)), be32(12)}; }
  std::uint32_t ino() const { return be32(20); }
  std::uint32_t mode() const { return be32(24); }
  std::uint32_t file_size() const { return be32(36); }
  git_oid id() const {
    git_oid out;
    std::memcpy(out.id, record + 40, sizeof out.id);
    return out;
  }
  std::uint16_t flags() const { return static_cast<std::uint16_t>(be16(60)); }
  int stage() const { return (flags() & GIT_INDEX_ENTRY_STAGEMASK) >> GIT_INDEX_ENTRY_STAGESHIFT; }
  // GIT_INDEX_ENTRY_INTENT_TO_ADD, GIT_INDEX_ENTRY_SKIP_WORKTREE
  std::uint16_t flags_extended() const {
    return (flags() & kIndexExtendedFlag) != 0 ? static_cast<std::uint16_t>(be16(62)) : 0;
  }

 private:
  std::uint32_t be32(std::size_t at) const {
    const unsigned char* p = record + at;
    return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
           std::uint32_t{p[3]};
  }
  std::uint32_t be16(std::size_t at) const {
    return (std::uint32_t{record[at]} << 8) | std::uint32_t{record[at + 1]};
  }
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
// `verify_checksum`: also refuse a file whose trailing SHA-1 does not match its content.
std::optional<IndexFile> read_index_file(const std::string& path, bool verify_checksum = false);

}  // namespace ripple::git
