#include "cache/local_store.h"

#include <rocksdb/db.h>
#include <rocksdb/options.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <mutex>
#include <set>

#include "cache/local_db.h"
#include "cache/stat_cache.h"
#include "cache/store_writer.h"

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

tl::unexpected<Error> db_error(const std::string& what, const rocksdb::Status& s) {
  return environment_error("local cache: " + what + ": " + s.ToString());
}

// The writes of one entry, checked: every blob the record names is among `blobs`.
Result<Batch> entry_batch(const std::string& key, const ActionRecord& record,
                          const std::vector<std::string>& blobs, const std::string& task,
                          const std::string& notes) {
  std::map<std::string, const std::string*> by_hash;
  for (const std::string& blob : blobs) {
    by_hash.emplace(digest_of(blob).hash, &blob);
  }
  std::vector<BlobDigest> named;
  for (const OutputRecord& o : record.outputs) {
    named.push_back(o.digest);
  }
  named.push_back(record.stdout_digest);
  named.push_back(record.stderr_digest);
  Batch batch;
  std::set<std::string> added;
  for (const BlobDigest& d : named) {
    auto it = by_hash.find(d.hash);
    if (it == by_hash.end() || static_cast<std::int64_t>(it->second->size()) != d.size) {
      return internal_error("local cache: entry " + key + " names blob " + d.hash +
                            " that was not handed in");
    }
    if (added.insert(d.hash).second) {
      batch.push_back({Family::cas, d.hash, *it->second});
    }
  }
  batch.push_back({Family::ac, key, encode_action(record)});
  batch.push_back({Family::atime, key, encode_ns(now_ns())});
  if (!task.empty()) {
    batch.push_back({Family::notes, key, notes});
    batch.push_back({Family::latest, task, key});
  }
  return batch;
}

}  // namespace

struct LocalStore::Impl {
  // The writable instance of an exclusive store, or the reader of a read-only or shared one.
  std::unique_ptr<LocalDb> local;
  // A shared store's writer; null for the others.
  std::unique_ptr<StoreWriter> writer;
  // An exclusive store's access times and latest keys of hits, written in one batch when it
  // closes (a write per hit cost more than the lookup; a lost touch only makes pruning a little
  // less exact). A shared store hands them to its writer; a read-only one drops them.
  std::mutex touch_mutex;
  Batch touches;

  rocksdb::DB& db() { return local->db(); }
  rocksdb::ColumnFamilyHandle* cf(Family f) { return local->family(f); }

  void flush_touches() {
    std::lock_guard lock(touch_mutex);
    if (!touches.empty() && !local->read_only()) {
      (void)local->write(touches, "recording access times");  // best effort
      touches.clear();
    }
  }

  Result<std::optional<std::string>> read(Family f, const std::string& key, const char* what) {
    std::string bytes;
    rocksdb::Status s = db().Get(rocksdb::ReadOptions(), cf(f), key, &bytes);
    if (s.IsNotFound()) {
      return std::optional<std::string>();
    }
    if (!s.ok()) {
      return db_error(std::string("reading ") + what + " " + key, s);
    }
    return std::optional<std::string>(std::move(bytes));
  }
};

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
    return tl::unexpected(local.error());
  }
  auto impl = std::make_unique<Impl>();
  impl->local = std::move(*local);
  return std::unique_ptr<LocalStore>(new LocalStore(std::move(impl)));
}

Result<std::unique_ptr<LocalStore>> LocalStore::open_read_only(const std::string& dir) {
  auto local = LocalDb::open_read_only(dir);
  if (!local) {
    return tl::unexpected(local.error());
  }
  if (!*local) {
    return environment_error(
        "cannot read the local cache at " + dir +
        ": there is none yet, or one from an older ripple (a `ripple run` makes or "
        "upgrades it)");
  }
  auto impl = std::make_unique<Impl>();
  impl->local = std::move(*local);
  return std::unique_ptr<LocalStore>(new LocalStore(std::move(impl)));
}

Result<std::unique_ptr<LocalStore>> LocalStore::open_for_run(const std::string& dir,
                                                             std::chrono::milliseconds lock_timeout,
                                                             Notify on_wait, Notify on_warning) {
  auto local = LocalDb::open_read_only(dir);
  if (!local || !*local) {
    // No cache yet, one without a family we now have, or a reader that kept racing writers'
    // file deletions: take the lock for a moment. The writable open creates what is missing,
    // and while it is held no writer changes a file under the reader opening.
    auto held = LocalDb::open_writable(dir, lock_timeout, on_wait);
    if (!held) {
      return tl::unexpected(held.error());
    }
    local = LocalDb::open_read_only(dir);
  }
  if (!local) {
    return tl::unexpected(local.error());
  }
  if (!*local) {
    return internal_error("local cache at " + dir + ": no cache after creating it");
  }
  auto impl = std::make_unique<Impl>();
  impl->local = std::move(*local);
  impl->writer =
      std::make_unique<StoreWriter>(dir, lock_timeout, std::move(on_wait), std::move(on_warning));
  return std::unique_ptr<LocalStore>(new LocalStore(std::move(impl)));
}

Result<std::optional<ActionRecord>> LocalStore::get(const std::string& key,
                                                    const std::string& task) {
  std::string bytes;
  rocksdb::Status s = impl_->db().Get(rocksdb::ReadOptions(), impl_->cf(Family::ac), key, &bytes);
  if (s.IsNotFound()) {
    return std::optional<ActionRecord>();
  }
  if (!s.ok()) {
    return db_error("reading entry " + key, s);
  }
  auto record = decode_action(bytes);
  if (!record) {
    return std::optional<ActionRecord>();  // corrupt: a miss; verify reports it
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
  return std::optional<ActionRecord>(std::move(*record));
}

Status LocalStore::put(const std::string& key, const ActionRecord& record,
                       const std::vector<std::string>& blobs, const std::string& task,
                       const std::string& notes) {
  auto batch = entry_batch(key, record, blobs, task, notes);
  if (!batch) {
    return tl::unexpected(batch.error());
  }
  if (impl_->writer) {
    impl_->writer->add(key, std::move(*batch));
    return {};
  }
  if (impl_->local->read_only()) {
    return internal_error("local cache: storing entry " + key + " in a store opened read-only");
  }
  return impl_->local->write(*batch, "storing entry " + key);
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

bool LocalStore::has(const std::string& key) {
  std::string bytes;
  return impl_->db().Get(rocksdb::ReadOptions(), impl_->cf(Family::ac), key, &bytes).ok() &&
         decode_action(bytes).has_value();
}

Result<std::optional<std::string>> LocalStore::get_blob(const BlobDigest& digest) {
  std::string bytes;
  rocksdb::Status s =
      impl_->db().Get(rocksdb::ReadOptions(), impl_->cf(Family::cas), digest.hash, &bytes);
  if (s.IsNotFound()) {
    return std::optional<std::string>();
  }
  if (!s.ok()) {
    return db_error("reading blob " + digest.hash, s);
  }
  if (!(digest_of(bytes) == digest)) {
    return std::optional<std::string>();  // corrupt: never hand it out
  }
  return std::optional<std::string>(std::move(bytes));
}

Result<StoreStats> LocalStore::stats() {
  StoreStats out;
  std::unique_ptr<rocksdb::Iterator> ac(
      impl_->db().NewIterator(rocksdb::ReadOptions(), impl_->cf(Family::ac)));
  for (ac->SeekToFirst(); ac->Valid(); ac->Next()) {
    ++out.entries;
  }
  std::unique_ptr<rocksdb::Iterator> cas(
      impl_->db().NewIterator(rocksdb::ReadOptions(), impl_->cf(Family::cas)));
  for (cas->SeekToFirst(); cas->Valid(); cas->Next()) {
    ++out.blobs;
    out.blob_bytes += cas->value().size();
  }
  return out;
}

Result<VerifyReport> LocalStore::verify() {
  VerifyReport report;
  std::set<std::string> present;
  std::unique_ptr<rocksdb::Iterator> cas(
      impl_->db().NewIterator(rocksdb::ReadOptions(), impl_->cf(Family::cas)));
  for (cas->SeekToFirst(); cas->Valid(); cas->Next()) {
    ++report.blobs_checked;
    std::string hash = cas->key().ToString();
    if (digest_of(std::string_view(cas->value().data(), cas->value().size())).hash != hash) {
      report.problems.push_back("blob " + hash + ": content does not match its SHA-256");
    } else {
      present.insert(hash);
    }
  }
  std::unique_ptr<rocksdb::Iterator> ac(
      impl_->db().NewIterator(rocksdb::ReadOptions(), impl_->cf(Family::ac)));
  for (ac->SeekToFirst(); ac->Valid(); ac->Next()) {
    ++report.entries_checked;
    std::string key = ac->key().ToString();
    auto record = decode_action(std::string_view(ac->value().data(), ac->value().size()));
    if (!record) {
      report.problems.push_back("entry " + key + ": not a valid ActionResult");
      continue;
    }
    for (const OutputRecord& o : record->outputs) {
      if (present.count(o.digest.hash) == 0) {
        report.problems.push_back("entry " + key + ": output " + o.path + " has no blob");
      }
    }
  }
  return report;
}

Result<std::uint64_t> LocalStore::prune(std::uint64_t max_bytes) {
  impl_->flush_touches();
  // Blob sizes, and how many entries name each blob.
  std::map<std::string, std::uint64_t> blob_size;
  std::uint64_t bytes = 0;
  std::unique_ptr<rocksdb::Iterator> cas(
      impl_->db().NewIterator(rocksdb::ReadOptions(), impl_->cf(Family::cas)));
  for (cas->SeekToFirst(); cas->Valid(); cas->Next()) {
    blob_size[cas->key().ToString()] = cas->value().size();
    bytes += cas->value().size();
  }
  if (bytes <= max_bytes) {
    return std::uint64_t{0};
  }
  std::map<std::string, int> refs;
  std::vector<std::pair<std::int64_t, std::string>> by_age;  // oldest access first
  std::map<std::string, std::set<std::string>> named;        // entry → blobs it names
  std::unique_ptr<rocksdb::Iterator> ac(
      impl_->db().NewIterator(rocksdb::ReadOptions(), impl_->cf(Family::ac)));
  for (ac->SeekToFirst(); ac->Valid(); ac->Next()) {
    std::string key = ac->key().ToString();
    std::set<std::string>& blobs = named[key];
    if (auto r = decode_action(std::string_view(ac->value().data(), ac->value().size()))) {
      for (const auto& o : r->outputs) {
        blobs.insert(o.digest.hash);
      }
      blobs.insert(r->stdout_digest.hash);
      blobs.insert(r->stderr_digest.hash);
    }
    for (const std::string& b : blobs) {
      ++refs[b];
    }
    std::string t;
    impl_->db().Get(rocksdb::ReadOptions(), impl_->cf(Family::atime), key, &t);
    by_age.emplace_back(decode_ns(t), key);
  }
  std::sort(by_age.begin(), by_age.end());
  // Blobs that no entry names go first; then entries, oldest first, each with the blobs only it
  // still names. One batch: a kill mid-prune leaves the cache as it was.
  rocksdb::WriteBatch batch;
  for (const auto& [hash, size] : blob_size) {
    if (refs.count(hash) == 0) {
      batch.Delete(impl_->cf(Family::cas), hash);
      bytes -= size;
    }
  }
  std::uint64_t removed = 0;
  for (const auto& [age, key] : by_age) {
    if (bytes <= max_bytes) {
      break;
    }
    for (auto* cf : {impl_->cf(Family::ac), impl_->cf(Family::atime), impl_->cf(Family::notes)}) {
      batch.Delete(cf, key);
    }
    ++removed;
    for (const std::string& b : named[key]) {
      if (--refs[b] == 0 && blob_size.count(b) != 0) {
        batch.Delete(impl_->cf(Family::cas), b);
        bytes -= blob_size[b];
      }
    }
  }
  if (auto s = impl_->db().Write(rocksdb::WriteOptions(), &batch); !s.ok()) {
    return db_error("pruning", s);
  }
  return removed;
}

Status LocalStore::clear() {
  for (auto* cf : {impl_->cf(Family::ac), impl_->cf(Family::cas), impl_->cf(Family::atime),
                   impl_->cf(Family::notes), impl_->cf(Family::latest)}) {
    rocksdb::WriteBatch batch;
    std::unique_ptr<rocksdb::Iterator> it(impl_->db().NewIterator(rocksdb::ReadOptions(), cf));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      batch.Delete(cf, it->key());
    }
    if (auto s = impl_->db().Write(rocksdb::WriteOptions(), &batch); !s.ok()) {
      return db_error("clearing", s);
    }
  }
  return {};
}

Status LocalStore::put_raw_entry_for_test(const std::string& key, const std::string& bytes) {
  if (auto s = impl_->db().Put(rocksdb::WriteOptions(), impl_->cf(Family::ac), key, bytes);
      !s.ok()) {
    return db_error("writing raw entry", s);
  }
  return {};
}

}  // namespace ripple::cache
