#pragma once

// The local cache in front of a remote one (DESIGN.md §4, docs/remote-cache.md): lookups go to
// the local store first, then to the remote; a remote hit is written into the local store
// (its blobs downloaded into the local cache and checked first), so that the restore reads
// local files and the next run hits locally. Results are stored locally and uploaded.
//
// A remote that fails is off for the rest of the run (http_store.h), one warning; the local
// store goes on as if it were alone. Thread-safe.

#include <memory>

#include "cache/http_store.h"
#include "cache/local_store.h"
#include "cache/store.h"

namespace ripple::cache {

class TieredStore final : public Store {
 public:
  // `local` may be null (a run with `--cache remote`): the remote alone, its downloads staged.
  TieredStore(std::unique_ptr<LocalStore> local, std::unique_ptr<HttpStore> remote);
  ~TieredStore() override;

  Fetched<Hit> get(const std::string& key, const std::string& task = {}) override;
  bool has(const std::string& key) override;
  Fetched<BlobReader> open_blob(const BlobDigest& digest) override;
  Fetched<std::vector<BlobDigest>> find_missing(std::span<const BlobDigest> digests) override;
  EntryBlobs entry_blobs() override;
  Status put(const std::string& key, const ActionRecord& record, EntryBlobs blobs,
             const std::string& task = {}, const std::string& notes = {}) override;
  void flush() override;
  void prefetch(std::span<const std::string> keys) override;

  LocalStore* local() { return local_.get(); }
  HttpStore& remote() { return *remote_; }

 private:
  std::unique_ptr<LocalStore> local_;
  std::unique_ptr<HttpStore> remote_;
};

}  // namespace ripple::cache
