#pragma once

// "Look up the stat cache, else read and hash the file and remember its id": the one way every
// listing (the git work-tree scan, its untracked files, the walk outside git) identifies a file
// whose id it cannot take from the index.

#include <string>
#include <string_view>

#include "cache/file_stat.h"
#include "cache/stat_cache.h"
#include "graph/support/error.h"
#include "orchestrator/inputs/content_hasher.h"
#include "orchestrator/inputs/file_record.h"

namespace ripple {

struct ContentId {
  std::string id;
  FileSource source = FileSource::read;  // stat_cache or read
};

// The id of the file at absolute `path` whose stat data is `stat`: the one `cache` (may be null)
// remembers under `key` for that stat data, else `hasher`'s, which is then remembered (the read
// time is taken before the read, for the racy-timestamp guard). The hasher's error when the file
// cannot be read. Safe from several threads when `cache` and `hasher` are.
Result<ContentId> cached_content_id(cache::StatCache* cache, std::string_view key,
                                    const cache::FileStat& stat, const ContentHasher& hasher,
                                    const std::string& path, bool symlink);

}  // namespace ripple
