#pragma once

// File identity outside git (DESIGN.md §4): walks the workspace, honouring .gitignore files,
// and gives every file an xxh3-128 content id, through the stat cache.

#include <string>
#include <vector>

#include "cache/stat_cache.h"
#include "graph/support/error.h"
#include "orchestrator/inputs/content_hasher.h"
#include "orchestrator/inputs/file_record.h"

namespace ripple {

// xxh3-128 of a file's bytes (streamed) or of a symlink's text. Thread-safe.
class Xxh3FileHasher final : public ContentHasher {
 public:
  Result<std::string> content_id(const std::string& path, bool symlink) const override;
};

// Every file below `root` (absolute), except .git/, .ripple/ and what .gitignore files
// exclude; ids from `cache` (may be null) or `hasher`, in parallel. Sorted by path.
Result<std::vector<FileRecord>> walk_files(const std::string& root, cache::StatCache* cache,
                                           const ContentHasher& hasher);

}  // namespace ripple
