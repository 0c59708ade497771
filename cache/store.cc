#include "cache/store.h"

namespace ripple::cache {

Fetched<std::string> Store::get_blob(const BlobDigest& digest) {
  auto reader = open_blob(digest);
  if (!reader) {
    return tl::unexpected(reader.error());
  }
  std::string out;
  while (true) {
    auto chunk = reader->next();
    if (!chunk) {
      return tl::unexpected(Failure{Failure::Kind::corrupt, chunk.error().message});
    }
    if (chunk->empty()) {
      return out;
    }
    out.append(*chunk);
  }
}

}  // namespace ripple::cache
