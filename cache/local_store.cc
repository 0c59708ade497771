#include "cache/local_store.h"

#include <rocksdb/db.h>
#include <rocksdb/options.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "cache/stat_cache.h"

namespace ripple::cache {
namespace {

constexpr const char* kAc = "ac";
constexpr const char* kCas = "cas";
constexpr const char* kAtime = "atime";
constexpr const char* kNotes = "notes";
constexpr const char* kLatest = "latest";
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

}  // namespace

struct LocalStore::Impl {
  std::unique_ptr<rocksdb::DB> db;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;  // all but the default family
  rocksdb::ColumnFamilyHandle* ac = nullptr;
  rocksdb::ColumnFamilyHandle* cas = nullptr;
  rocksdb::ColumnFamilyHandle* atime = nullptr;
  rocksdb::ColumnFamilyHandle* notes = nullptr;
  rocksdb::ColumnFamilyHandle* latest = nullptr;
  // Access times and latest keys of hits, written in one batch when the store closes (a write
  // per hit cost more than the lookup; a lost touch only makes pruning a little less exact).
  std::mutex touch_mutex;
  rocksdb::WriteBatch touches;
  bool read_only = false;
  std::string dir;  // where it was opened, to reopen it for writing
  struct PendingPut {
    std::string key;
    ActionRecord record;
    std::vector<std::string> blobs;
    std::string task;
    std::string notes;
  };
  std::mutex pending_mutex;
  std::vector<PendingPut> pending;  // puts made while read-only, written by make_writable()

  void flush_touches() {
    std::lock_guard lock(touch_mutex);
    if (touches.Count() > 0 && !read_only) {
      db->Write(rocksdb::WriteOptions(), &touches);  // best effort
      touches.Clear();
    }
  }

  Result<std::optional<std::string>> read(rocksdb::ColumnFamilyHandle* cf, const std::string& key,
                                          const char* what) {
    std::string bytes;
    rocksdb::Status s = db->Get(rocksdb::ReadOptions(), cf, key, &bytes);
    if (s.IsNotFound()) {
      return std::optional<std::string>();
    }
    if (!s.ok()) {
      return db_error(std::string("reading ") + what + " " + key, s);
    }
    return std::optional<std::string>(std::move(bytes));
  }

  ~Impl() {
    for (auto* h : handles) {
      if (db) {
        db->DestroyColumnFamilyHandle(h);
      }
    }
  }
};

LocalStore::LocalStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
LocalStore::~LocalStore() {
  if (impl_) {  // null once moved into another store (make_writable)
    impl_->flush_touches();
  }
}

namespace {

rocksdb::DBOptions db_options() {
  rocksdb::DBOptions options;
  options.create_if_missing = true;
  options.create_missing_column_families = true;
  options.keep_log_file_num = 2;
  options.info_log_level = rocksdb::InfoLogLevel::WARN_LEVEL;
  // RocksDB opens table files with 16 threads per column family by default: ~100 threads
  // started and joined on every open, longer than opening the few files a cache has.
  options.max_file_opening_threads = 1;
  return options;
}

std::vector<rocksdb::ColumnFamilyDescriptor> column_families() {
  rocksdb::ColumnFamilyOptions plain;
  rocksdb::ColumnFamilyOptions blobs;
  blobs.enable_blob_files = true;  // BlobDB: large values live in blob files, not the LSM tree
  blobs.min_blob_size = 4096;
  blobs.blob_compression_type = rocksdb::kZSTD;
  blobs.compression = rocksdb::kZSTD;
  return {{rocksdb::kDefaultColumnFamilyName, plain},
          {kAc, plain},
          {kCas, blobs},
          {kAtime, plain},
          {kNotes, blobs},
          {kLatest, plain}};
}

}  // namespace

std::unique_ptr<LocalStore> LocalStore::adopt(rocksdb::DB* raw,
                                              std::vector<rocksdb::ColumnFamilyHandle*> handles,
                                              bool read_only) {
  auto impl = std::make_unique<Impl>();
  impl->db.reset(raw);
  impl->read_only = read_only;
  impl->handles.assign(handles.begin() + 1, handles.end());
  raw->DestroyColumnFamilyHandle(handles[0]);
  impl->ac = handles[1];
  impl->cas = handles[2];
  impl->atime = handles[3];
  impl->notes = handles[4];
  impl->latest = handles[5];
  return std::unique_ptr<LocalStore>(new LocalStore(std::move(impl)));
}

Result<std::unique_ptr<LocalStore>> LocalStore::open_read_only(const std::string& dir) {
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s =
      rocksdb::DB::OpenForReadOnly(db_options(), dir, column_families(), &handles, &raw);
  if (!s.ok()) {
    return environment_error("cannot read the local cache at " + dir + ": " + s.ToString());
  }
  auto store = adopt(raw, std::move(handles), true);
  store->impl_->dir = dir;
  return store;
}

Result<std::unique_ptr<LocalStore>> LocalStore::open(
    const std::string& dir, std::chrono::milliseconds lock_timeout,
    const std::function<void(const std::string&)>& on_wait) {
  const rocksdb::DBOptions options = db_options();
  const std::vector<rocksdb::ColumnFamilyDescriptor> families = column_families();
  auto deadline = std::chrono::steady_clock::now() + lock_timeout;
  bool told = false;
  while (true) {
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* raw = nullptr;
    rocksdb::Status s = rocksdb::DB::Open(options, dir, families, &handles, &raw);
    if (s.ok()) {
      return adopt(raw, std::move(handles), false);
    }
    // Another process holds the database: RocksDB's LOCK file says so with an IO error.
    bool locked = s.IsIOError() && s.ToString().find("lock") != std::string::npos;
    if (!locked || std::chrono::steady_clock::now() >= deadline) {
      return environment_error(
          "cannot open the local cache at " + dir + ": " + s.ToString() +
          (locked ? " (another ripple is using it; wait for it, raise --lock-timeout, or use "
                    "another cache.dir)"
                  : ""));
    }
    if (!told && on_wait) {
      on_wait("waiting for another ripple to release the local cache at " + dir);
      told = true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

Result<std::optional<ActionRecord>> LocalStore::get(const std::string& key,
                                                    const std::string& task) {
  std::string bytes;
  rocksdb::Status s = impl_->db->Get(rocksdb::ReadOptions(), impl_->ac, key, &bytes);
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
  const bool fresh = impl_->db->Get(rocksdb::ReadOptions(), impl_->atime, key, &seen).ok() &&
                     now - decode_ns(seen) < kTouchGranularityNs;
  std::string latest;
  const bool same_latest =
      task.empty() ||
      (impl_->db->Get(rocksdb::ReadOptions(), impl_->latest, task, &latest).ok() && latest == key);
  if (!fresh || !same_latest) {
    std::lock_guard lock(impl_->touch_mutex);
    impl_->touches.Put(impl_->atime, key, encode_ns(now));
    if (!task.empty()) {
      impl_->touches.Put(impl_->latest, task, key);
    }
  }
  return std::optional<ActionRecord>(std::move(*record));
}

Status LocalStore::put(const std::string& key, const ActionRecord& record,
                       const std::vector<std::string>& blobs, const std::string& task,
                       const std::string& notes) {
  if (impl_->read_only) {
    std::lock_guard lock(impl_->pending_mutex);
    impl_->pending.push_back({key, record, blobs, task, notes});
    return {};
  }
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
  rocksdb::WriteBatch batch;
  std::set<std::string> added;
  for (const BlobDigest& d : named) {
    auto it = by_hash.find(d.hash);
    if (it == by_hash.end() || static_cast<std::int64_t>(it->second->size()) != d.size) {
      return internal_error("local cache: entry " + key + " names blob " + d.hash +
                            " that was not handed in");
    }
    if (added.insert(d.hash).second) {
      batch.Put(impl_->cas, d.hash, *it->second);
    }
  }
  batch.Put(impl_->ac, key, encode_action(record));
  batch.Put(impl_->atime, key, encode_ns(now_ns()));
  if (!task.empty()) {
    batch.Put(impl_->notes, key, notes);
    batch.Put(impl_->latest, task, key);
  }
  rocksdb::Status s = impl_->db->Write(rocksdb::WriteOptions(), &batch);
  if (!s.ok()) {
    return db_error("storing entry " + key, s);
  }
  return {};
}

Result<std::optional<std::string>> LocalStore::notes(const std::string& key) {
  return impl_->read(impl_->notes, key, "notes of");
}

Result<std::optional<std::string>> LocalStore::latest_key(const std::string& task) {
  impl_->flush_touches();
  return impl_->read(impl_->latest, task, "latest key of");
}

Result<std::vector<std::string>> LocalStore::keys_with_prefix(const std::string& prefix,
                                                              std::size_t limit) {
  std::vector<std::string> out;
  std::unique_ptr<rocksdb::Iterator> it(
      impl_->db->NewIterator(rocksdb::ReadOptions(), impl_->notes));
  for (it->Seek(prefix); it->Valid() && out.size() < limit && it->key().starts_with(prefix);
       it->Next()) {
    out.push_back(it->key().ToString());
  }
  if (!it->status().ok()) {
    return db_error("listing keys", it->status());
  }
  return out;
}

bool LocalStore::has_pending() const {
  std::lock_guard lock(impl_->pending_mutex);
  return !impl_->pending.empty();
}

Status LocalStore::make_writable(std::chrono::milliseconds lock_timeout,
                                 const std::function<void(const std::string&)>& on_wait) {
  if (!impl_->read_only) {
    return {};
  }
  std::vector<Impl::PendingPut> pending;
  {
    std::lock_guard lock(impl_->pending_mutex);
    pending.swap(impl_->pending);
  }
  const std::string dir = impl_->dir;
  impl_.reset();  // close the reader before the writer opens
  auto writer = open(dir, lock_timeout, on_wait);
  if (!writer) {
    // Stay usable: reopen for reading; what was pending is lost (the tasks just ran again).
    if (auto reader = open_read_only(dir)) {
      impl_ = std::move((*reader)->impl_);
    }
    return tl::unexpected(writer.error());
  }
  impl_ = std::move((*writer)->impl_);
  for (const auto& p : pending) {
    if (auto st = put(p.key, p.record, p.blobs, p.task, p.notes); !st) {
      return st;
    }
  }
  return {};
}

bool LocalStore::fresh(const std::string& key, const std::string& task) {
  std::string seen;
  std::string latest;
  // The entry's existence only: decoding it here would be done again by the get() that
  // restores it (and a corrupt entry then is a miss that gets stored again).
  std::string entry;
  return impl_->db->Get(rocksdb::ReadOptions(), impl_->ac, key, &entry).ok() &&
         impl_->db->Get(rocksdb::ReadOptions(), impl_->atime, key, &seen).ok() &&
         now_ns() - decode_ns(seen) < kTouchGranularityNs &&
         impl_->db->Get(rocksdb::ReadOptions(), impl_->latest, task, &latest).ok() && latest == key;
}

bool LocalStore::has(const std::string& key) {
  std::string bytes;
  return impl_->db->Get(rocksdb::ReadOptions(), impl_->ac, key, &bytes).ok() &&
         decode_action(bytes).has_value();
}

Result<std::optional<std::string>> LocalStore::get_blob(const BlobDigest& digest) {
  std::string bytes;
  rocksdb::Status s = impl_->db->Get(rocksdb::ReadOptions(), impl_->cas, digest.hash, &bytes);
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
  std::unique_ptr<rocksdb::Iterator> ac(impl_->db->NewIterator(rocksdb::ReadOptions(), impl_->ac));
  for (ac->SeekToFirst(); ac->Valid(); ac->Next()) {
    ++out.entries;
  }
  std::unique_ptr<rocksdb::Iterator> cas(
      impl_->db->NewIterator(rocksdb::ReadOptions(), impl_->cas));
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
      impl_->db->NewIterator(rocksdb::ReadOptions(), impl_->cas));
  for (cas->SeekToFirst(); cas->Valid(); cas->Next()) {
    ++report.blobs_checked;
    std::string hash = cas->key().ToString();
    if (digest_of(std::string_view(cas->value().data(), cas->value().size())).hash != hash) {
      report.problems.push_back("blob " + hash + ": content does not match its SHA-256");
    } else {
      present.insert(hash);
    }
  }
  std::unique_ptr<rocksdb::Iterator> ac(impl_->db->NewIterator(rocksdb::ReadOptions(), impl_->ac));
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
      impl_->db->NewIterator(rocksdb::ReadOptions(), impl_->cas));
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
  std::unique_ptr<rocksdb::Iterator> ac(impl_->db->NewIterator(rocksdb::ReadOptions(), impl_->ac));
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
    impl_->db->Get(rocksdb::ReadOptions(), impl_->atime, key, &t);
    by_age.emplace_back(decode_ns(t), key);
  }
  std::sort(by_age.begin(), by_age.end());
  // Blobs that no entry names go first; then entries, oldest first, each with the blobs only it
  // still names. One batch: a kill mid-prune leaves the cache as it was.
  rocksdb::WriteBatch batch;
  for (const auto& [hash, size] : blob_size) {
    if (refs.count(hash) == 0) {
      batch.Delete(impl_->cas, hash);
      bytes -= size;
    }
  }
  std::uint64_t removed = 0;
  for (const auto& [age, key] : by_age) {
    if (bytes <= max_bytes) {
      break;
    }
    for (auto* cf : {impl_->ac, impl_->atime, impl_->notes}) {
      batch.Delete(cf, key);
    }
    ++removed;
    for (const std::string& b : named[key]) {
      if (--refs[b] == 0 && blob_size.count(b) != 0) {
        batch.Delete(impl_->cas, b);
        bytes -= blob_size[b];
      }
    }
  }
  if (auto s = impl_->db->Write(rocksdb::WriteOptions(), &batch); !s.ok()) {
    return db_error("pruning", s);
  }
  return removed;
}

Status LocalStore::clear() {
  for (auto* cf : {impl_->ac, impl_->cas, impl_->atime, impl_->notes, impl_->latest}) {
    rocksdb::WriteBatch batch;
    std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(rocksdb::ReadOptions(), cf));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      batch.Delete(cf, it->key());
    }
    if (auto s = impl_->db->Write(rocksdb::WriteOptions(), &batch); !s.ok()) {
      return db_error("clearing", s);
    }
  }
  return {};
}

Status LocalStore::put_raw_entry_for_test(const std::string& key, const std::string& bytes) {
  if (auto s = impl_->db->Put(rocksdb::WriteOptions(), impl_->ac, key, bytes); !s.ok()) {
    return db_error("writing raw entry", s);
  }
  return {};
}

}  // namespace ripple::cache
