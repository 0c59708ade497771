#pragma once

// Internal to the git adapter: the index entries below the workspace prefix, as the status
// pass and input hashing need them. Read by index_file.h's reader when it can, by libgit2
// otherwise; both give the same entries.

#include <sys/stat.h>

#include <memory>
#include <string>
#include <vector>

#include "orchestrator/git/index_file.h"
#include "orchestrator/git/libgit2_handles.h"

namespace ripple::git {

struct IndexSnapshot {
  // What the entries' paths point into: the mapped index file, or libgit2's index when the
  // file needed libgit2.
  std::shared_ptr<const IndexFile::Storage> storage;
  IndexPtr index;
  std::vector<unsigned char> records;  // libgit2's entries, encoded as the file stores them
  // Stage 0, below the prefix, in path order; paths relative to the prefix (still followed by a
  // NUL in memory).
  std::vector<IndexEntry> entries;
  // Valid cache-tree nodes at or below the prefix, paths relative to it ("" is the prefix
  // itself); empty when libgit2 read the index or git left no cache tree.
  std::vector<CachedTree> trees;
  std::vector<std::string> conflicted;  // paths with unresolved conflicts
  std::vector<std::string> intent_to_add;
  struct timespec index_mtime {};
  std::string root;          // absolute work-tree directory of the prefix, ending in '/'
  std::string prefix_slash;  // "" or "prefix/"
  bool filemode = true;      // core.filemode
};

enum class IndexReader {
  automatic,  // index_file.h's reader, libgit2 when it declines
  libgit2,    // libgit2 only (tests compare the two)
};

// Reads the repository's index. An environment error when neither reader can.
Result<IndexSnapshot> load_index(git_repository* repo, const std::string& prefix,
                                 IndexReader reader = IndexReader::automatic);

}  // namespace ripple::git
