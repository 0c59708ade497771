#include "cache/local_store.h"

#include <fcntl.h>
#include <rocksdb/db.h>
#include <rocksdb/options.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>

#include "cache/local_store_impl.h"
#include "cache/stat_cache.h"

namespace ripple::cache {
namespace {

constexpr std::int64_t kTouchGranularityNs = 3600LL * 1'000'000'000;  // one hour

std::string encode_ns(std::int64_t ns) { return std::string(reinterpret_cast<char*>(&ns), 8); }
std::int64_t decode_ns(const std::string& s) {
  std::int64_t ns = 0;
  if (s.size() == 8) {
    std::memcpy(&ns, s.data(), 8);
  }
  return ns;
}

// Every digest an entry names: its outputs' and its logs'.
}  // namespace

tl::unexpected<Error> db_error(const std::string& what, const rocksdb::Status& s) {
  return environment_error("local cache: " + what + ": " + s.ToString());
}

bool LocalStore::Impl::damaged(const rocksdb::Status& s) {
  if (!damage || !s.IsCorruption()) {
    return false;
  }
  damage->report(s.ToString());
  return true;
}

void LocalStore::Impl::flush_touches() {
  std::lock_guard lock(touch_mutex);
  if (!touches.empty() && !local->read_only()) {
    (void)local->write(touches, "recording access times");  // best effort
    touches.clear();
  }
}

Result<std::optional<std::string>> LocalStore::Impl::read(Family f, const std::string& key,
                                                          const char* what) {
  if (!readable()) {
    return std::optional<std::string>();
  }
  std::string bytes;
  rocksdb::Status s = db().Get(rocksdb::ReadOptions(), cf(f), key, &bytes);
  if (s.IsNotFound() || damaged(s)) {
    return std::optional<std::string>();
  }
  if (!s.ok()) {
    return db_error(std::string("reading ") + what + " " + key, s);
  }
  return std::optional<std::string>(std::move(bytes));
}

// --- as the spill of its entries' blobs ---

bool LocalStore::stopped() const { return impl_->writer && impl_->writer->stopped(); }
const BlobFiles& LocalStore::blob_files() const { return impl_->files; }

Result<std::optional<BlobDigest>> LocalStore::written(const BlobFiles::Written& written) {
  if (written) {
    return std::optional<BlobDigest>(*written);
  }
  if (written.error().source || !impl_->writer) {
    return tl::unexpected(written.error().error);
  }
  // The cache's disk: a run stops storing, with one warning.
  impl_->writer->stop(written.error().error.message);
  return std::optional<BlobDigest>();
}

// --- opening ---

LocalStore::LocalStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
LocalStore::~LocalStore() { flush(); }

void LocalStore::flush() {
  if (impl_->writer) {
    impl_->writer->finish();
  } else {
    impl_->flush_touches();
  }
}

Result<std::unique_ptr<LocalStore>> LocalStore::open(const std::string& dir,
                                                     std::chrono::milliseconds lock_timeout,
                                                     const Notify& on_wait) {
  auto local = LocalDb::open_writable(dir, lock_timeout, on_wait);
  if (!local) {
    return tl::unexpected(local.error().error);
  }
  auto impl = std::make_unique<Impl>(dir);
  impl->local = std::move(*local);
  return std::unique_ptr<LocalStore>(new LocalStore(std::move(impl)));
}

Result<std::unique_ptr<LocalStore>> LocalStore::open_read_only(const std::string& dir) {
  auto local = LocalDb::open_read_only(dir);
  if (!local) {
    return tl::unexpected(local.error().error);
  }
  if (!*local) {
    return environment_error(
        "cannot read the local cache at " + dir +
        ": there is none yet, or one from an older ripple (a `ripple run` makes or "
        "upgrades it)");
  }
  auto impl = std::make_unique<Impl>(dir);
  impl->local = std::move(*local);
  return std::unique_ptr<LocalStore>(new LocalStore(std::move(impl)));
}

Result<std::unique_ptr<LocalStore>> LocalStore::open_for_run(const std::string& dir,
                                                             std::chrono::milliseconds lock_timeout,
                                                             Notify on_wait, Notify on_warning) {
  auto impl = std::make_unique<Impl>(dir);
  impl->damage = std::make_unique<DamageLatch>(dir, lock_timeout, on_warning);
  auto without = [&](const Error& e) -> Result<std::unique_ptr<LocalStore>> {
    if (on_warning) {
      on_warning(e.message + "; this run goes on without the local cache");
    }
    return std::unique_ptr<LocalStore>();
  };
  auto local = LocalDb::open_read_only(dir);
  if (!local && local.error().why != OpenFailure::damaged) {
    return without(local.error().error);
  }
  if (!local || !*local) {
    // No cache yet, one without a family we now have, one that reads as damaged, or a reader
    // that kept racing writers' file deletions: take the lock for a moment. The writable open
    // creates what is missing; while it is held no writer changes a file under the reader
    // opening, so damage it reports is damage, and the cache is set aside for a fresh one.
    if (access((dir + "/CURRENT").c_str(), F_OK) != 0) {
      if (auto room = check_room(dir, 0); !room) {
        return without(room.error());  // creating one on a full disk would leave files behind
      }
    }
    auto held = LocalDb::open_writable(dir, lock_timeout, on_wait);
    if (!held && held.error().why == OpenFailure::damaged) {
      if (!impl->damage->report(held.error().status)) {
        return std::unique_ptr<LocalStore>();  // the latch warned: going on without it
      }
      held = LocalDb::open_writable(dir, lock_timeout, on_wait);
    }
    if (!held && held.error().why == OpenFailure::locked) {
      return tl::unexpected(held.error().error);
    }
    if (!held && !local) {
      // Read as damaged, and not to be opened for writing (a directory this user may not
      // write): neither confirmed nor set aside.
      if (on_warning) {
        on_warning(damage_warning(dir, local.error().status, tl::unexpected(held.error().error)));
      }
      return std::unique_ptr<LocalStore>();
    }
    if (!held) {
      return without(held.error().error);
    }
    held->reset();
    local = LocalDb::open_read_only(dir);
  }
  if (!local) {
    return without(local.error().error);
  }
  if (!*local) {
    return without(
        Error{ErrorKind::internal, "local cache at " + dir + ": no cache after creating it"});
  }
  impl->local = std::move(*local);
  impl->writer = std::make_unique<StoreWriter>(dir, lock_timeout, std::move(on_wait),
                                               std::move(on_warning), *impl->damage);
  return std::unique_ptr<LocalStore>(new LocalStore(std::move(impl)));
}

// --- lookups ---

Fetched<Hit> LocalStore::get(const std::string& key, const std::string& task) {
  auto bytes = impl_->read(Family::ac, key, "entry");
  if (!bytes) {
    return tl::unexpected(Failure{Failure::Kind::unavailable, bytes.error().message});
  }
  if (!bytes->has_value()) {
    return tl::unexpected(Failure::miss());
  }
  auto record = decode_action(**bytes);
  if (!record) {
    return tl::unexpected(Failure::miss());  // corrupt: a miss; verify reports it
  }
  // Like a filesystem's relatime: an access time younger than kTouchGranularityNs and a latest
  // key already equal to this one are not written again, so a fully cached run writes nothing.
  const std::int64_t now = now_ns();
  std::string seen;
  const bool fresh =
      impl_->db().Get(rocksdb::ReadOptions(), impl_->cf(Family::atime), key, &seen).ok() &&
      now - decode_ns(seen) < kTouchGranularityNs;
  std::string latest;
  const bool same_latest =
      task.empty() ||
      (impl_->db().Get(rocksdb::ReadOptions(), impl_->cf(Family::latest), task, &latest).ok() &&
       latest == key);
  if (!fresh || !same_latest) {
    Batch touch{{Family::atime, key, encode_ns(now)}};
    if (!task.empty()) {
      touch.push_back({Family::latest, task, key});
    }
    if (impl_->writer) {
      impl_->writer->touch(std::move(touch));
    } else if (!impl_->local->read_only()) {
      std::lock_guard lock(impl_->touch_mutex);
      impl_->touches.insert(impl_->touches.end(), touch.begin(), touch.end());
    }
  }
  return Hit{std::move(*record), Tier::local, {}};
}

bool LocalStore::has(const std::string& key) {
  auto bytes = impl_->read(Family::ac, key, "entry");
  return bytes && bytes->has_value() && decode_action(**bytes).has_value();
}

Result<std::optional<std::string>> LocalStore::notes(const std::string& key) {
  return impl_->read(Family::notes, key, "notes of");
}

Result<std::optional<std::string>> LocalStore::latest_key(const std::string& task) {
  impl_->flush_touches();
  return impl_->read(Family::latest, task, "latest key of");
}

Result<std::vector<std::string>> LocalStore::keys_with_prefix(const std::string& prefix,
                                                              std::size_t limit) {
  std::vector<std::string> out;
  std::unique_ptr<rocksdb::Iterator> it(
      impl_->db().NewIterator(rocksdb::ReadOptions(), impl_->cf(Family::notes)));
  for (it->Seek(prefix); it->Valid() && out.size() < limit && it->key().starts_with(prefix);
       it->Next()) {
    out.push_back(it->key().ToString());
  }
  if (!it->status().ok()) {
    return db_error("listing keys", it->status());
  }
  return out;
}

Fetched<BlobReader> LocalStore::open_blob(const BlobDigest& digest) {
  // Large blobs are files (blob_files.h); small ones are in RocksDB, or files when they were
  // spilled there (local_store.h); a cache from before files may hold a large one in RocksDB.
  const bool large = digest.size > static_cast<std::int64_t>(kInlineBlobMax);
  if (large) {
    if (auto reader = impl_->files.open(digest)) {
      return std::move(*reader);
    }
  }
  auto bytes = impl_->read(Family::cas, digest.hash, "blob");
  if (!bytes) {
    return tl::unexpected(Failure{Failure::Kind::unavailable, bytes.error().message});
  }
  if (bytes->has_value()) {
    if (!(digest_of(**bytes) == digest)) {
      // Never handed out; verify reports it.
      return tl::unexpected(
          Failure{Failure::Kind::corrupt, "local cache: blob " + digest.hash + " is damaged"});
    }
    return BlobReader::of_bytes(std::move(**bytes));
  }
  if (!large && impl_->readable()) {
    if (auto reader = impl_->files.open(digest)) {
      return std::move(*reader);
    }
  }
  return tl::unexpected(Failure::miss());
}

Fetched<std::vector<BlobDigest>> LocalStore::find_missing(std::span<const BlobDigest> digests) {
  std::vector<BlobDigest> missing;
  for (const BlobDigest& d : digests) {
    if (impl_->files.has(d)) {
      continue;
    }
    auto bytes = impl_->read(Family::cas, d.hash, "blob");
    if (!bytes) {
      return tl::unexpected(Failure{Failure::Kind::unavailable, bytes.error().message});
    }
    if (!bytes->has_value() || static_cast<std::int64_t>((*bytes)->size()) != d.size) {
      missing.push_back(d);
    }
  }
  return missing;
}

// --- storing ---

Status LocalStore::put(const std::string& key, const ActionRecord& record,
                       const std::vector<std::string>& blobs, const std::string& task,
                       const std::string& notes) {
  EntryBlobs gathered = entry_blobs();
  for (const std::string& blob : blobs) {
    auto added = gathered.add(blob);
    if (!added) {
      return tl::unexpected(added.error());
    }
    if (!added->has_value()) {
      return {};  // a run's store that stopped storing
    }
  }
  return put(key, record, std::move(gathered), task, notes);
}

Status LocalStore::put(const std::string& key, const ActionRecord& record, EntryBlobs blobs,
                       const std::string& task, const std::string& notes) {
  if (impl_->writer && impl_->writer->stopped()) {
    return {};
  }
  if (!impl_->writer && impl_->local->read_only()) {
    return internal_error("local cache: storing entry " + key + " in a store opened read-only");
  }
  // Over the writer's queue budget: this entry's small blobs go to files too (local_store.h).
  if (impl_->writer && !blobs.in_memory().empty() &&
      impl_->writer->queued_bytes() + blobs.in_memory_bytes() > kQueueInlineMax) {
    if (auto st = blobs.spill_in_memory(); !st || stopped()) {
      return st;
    }
  }
  // Checked: every blob the record names was handed in (or is a blob file already).
  std::map<std::string, const std::string*> by_hash;
  for (const std::string& blob : blobs.in_memory()) {
    by_hash.emplace(digest_of(blob).hash, &blob);
  }
  Batch batch;
  std::vector<BlobDigest> files;
  for (const BlobDigest& d : named_blobs(record)) {
    auto it = by_hash.find(d.hash);
    if (it != by_hash.end() && static_cast<std::int64_t>(it->second->size()) == d.size) {
      batch.push_back({Family::cas, d.hash, *it->second});
    } else if (impl_->files.has(d)) {
      files.push_back(d);
    } else {
      return internal_error("local cache: entry " + key + " names blob " + d.hash +
                            " that was not handed in");
    }
  }
  batch.push_back({Family::ac, key, encode_action(record)});
  batch.push_back({Family::atime, key, encode_ns(now_ns())});
  if (!task.empty()) {
    batch.push_back({Family::notes, key, notes});
    batch.push_back({Family::latest, task, key});
  }
  if (impl_->writer) {
    impl_->writer->add(key, std::move(batch), std::move(files));
    return {};
  }
  if (auto room = check_room(impl_->dir, 2 * LocalDb::size_of(batch)); !room) {
    return room;
  }
  return impl_->local->write(batch, "storing entry " + key);
}

}  // namespace ripple::cache
