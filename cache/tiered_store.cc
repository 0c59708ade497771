#include "cache/tiered_store.h"

#include <map>

namespace ripple::cache {

TieredStore::TieredStore(std::unique_ptr<LocalStore> local, std::unique_ptr<HttpStore> remote)
    : local_(std::move(local)), remote_(std::move(remote)) {}

TieredStore::~TieredStore() { flush(); }

void TieredStore::prefetch(std::span<const std::string> keys) {
  if (!local_) {
    remote_->prefetch(keys);
    return;
  }
  std::vector<std::string> not_local;
  for (const std::string& k : keys) {
    if (!local_->has(k)) {
      not_local.push_back(k);
    }
  }
  remote_->prefetch(not_local);
}

bool TieredStore::has(const std::string& key) {
  return (local_ && local_->has(key)) || remote_->has(key);
}

Fetched<Hit> TieredStore::get(const std::string& key, const std::string& task) {
  if (local_) {
    auto hit = local_->get(key, task);
    if (hit || !hit.error().is_miss()) {
      return hit;
    }
  }
  // The remote's trouble is a miss here: the remote warned about it once, and is off now.
  if (!local_) {
    auto hit = remote_->get(key);
    return hit ? hit : tl::unexpected(Failure::miss());
  }
  auto record = remote_->get_entry(key);
  if (!record) {
    return tl::unexpected(Failure::miss());
  }
  // Written back: every blob into the local cache (checked as it arrives), then the entry. A
  // blob the server lost is a miss.
  EntryBlobs blobs = local_->entry_blobs();
  const std::vector<BlobDigest> named = named_blobs(*record);
  auto missing = local_->find_missing(named);
  std::map<std::string, std::string> in_hand;
  for (const BlobDigest& d : missing ? *missing : named) {
    // A small blob the remote prefetched goes into the local cache with the entry (RocksDB, not
    // a file of its own) and to the restore with the hit.
    if (auto bytes = remote_->take_prefetched(d)) {
      auto added = blobs.add(*bytes);
      if (added && added->has_value()) {
        in_hand.emplace(d.hash, std::move(*bytes));
        continue;
      }
    }
    if (!remote_->readable()) {
      return tl::unexpected(Failure::miss());
    }
    if (auto got = remote_->fetch_into(d, blobs); !got) {
      if (got.error().is_miss()) {
        remote_->missed();
      }
      return tl::unexpected(Failure::miss());
    }
  }
  remote_->hit();
  // Not kept when the local store takes no more (its trouble was warned about): the blobs are in
  // its blob files all the same, and the restore reads them there.
  (void)local_->put(key, *record, std::move(blobs));
  return Hit{std::move(*record), Tier::remote, std::move(in_hand)};
}

Fetched<BlobReader> TieredStore::open_blob(const BlobDigest& digest) {
  if (local_) {
    auto reader = local_->open_blob(digest);
    if (reader || !reader.error().is_miss()) {
      return reader;
    }
  }
  auto reader = remote_->open_blob(digest);
  if (!reader) {
    return tl::unexpected(Failure::miss());
  }
  return reader;
}

Fetched<std::vector<BlobDigest>> TieredStore::find_missing(std::span<const BlobDigest> digests) {
  return local_ ? local_->find_missing(digests) : remote_->find_missing(digests);
}

EntryBlobs TieredStore::entry_blobs() {
  return local_ ? local_->entry_blobs() : remote_->entry_blobs();
}

Status TieredStore::put(const std::string& key, const ActionRecord& record, EntryBlobs blobs,
                        const std::string& task, const std::string& notes) {
  remote_->upload(key, record, blobs);
  return local_ ? local_->put(key, record, std::move(blobs), task, notes) : Status();
}

void TieredStore::flush() {
  if (local_) {
    local_->flush();
  }
  remote_->flush();
}

}  // namespace ripple::cache
