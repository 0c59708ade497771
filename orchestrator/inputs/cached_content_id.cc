#include "orchestrator/inputs/cached_content_id.h"

namespace ripple {

Result<ContentId> cached_content_id(cache::StatCache* cache, std::string_view key,
                                    const cache::FileStat& stat, const ContentHasher& hasher,
                                    const std::string& path, bool symlink) {
  if (cache != nullptr) {
    if (auto id = cache->lookup(key, stat)) {
      return ContentId{std::move(*id), FileSource::stat_cache};
    }
  }
  const std::int64_t read_at = cache::now_ns();
  auto id = hasher.content_id(path, symlink);
  if (!id) {
    return tl::unexpected(id.error());
  }
  if (cache != nullptr) {
    cache->remember(key, stat, read_at, *id);
  }
  return ContentId{std::move(*id), FileSource::read};
}

}  // namespace ripple
