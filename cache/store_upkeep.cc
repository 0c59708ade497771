// LocalStore's looking after itself: stats, verify, prune and clear (local_store.h).

#include <rocksdb/db.h>
#include <rocksdb/options.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <cstring>
#include <ctime>
#include <map>
#include <set>

#include "cache/local_store.h"
#include "cache/local_store_impl.h"

namespace ripple::cache {
namespace {

// Unnamed blob files younger than this may belong to an entry a run has queued and not yet
// written (its writer checks they are there under the lock): prune leaves them.
constexpr std::int64_t kYoungBlobSeconds = 3600;

std::int64_t decode_ns(const std::string& s) {
  std::int64_t ns = 0;
  if (s.size() == 8) {
    std::memcpy(&ns, s.data(), 8);
  }
  return ns;
}

// Whether a blob reader's bytes match its digest, read to the end in chunks.
Status drain(BlobReader& reader) {
  while (true) {
    auto chunk = reader.next();
    if (!chunk) {
      return tl::unexpected(chunk.error());
    }
    if (chunk->empty()) {
      return {};
    }
  }
}

}  // namespace

Result<StoreStats> LocalStore::stats() {
  StoreStats out;
  std::unique_ptr<rocksdb::Iterator> ac(
      impl_->db().NewIterator(rocksdb::ReadOptions(), impl_->cf(Family::ac)));
  for (ac->SeekToFirst(); ac->Valid(); ac->Next()) {
    ++out.entries;
  }
  if (!ac->status().ok()) {
    return db_error("counting entries", ac->status());
  }
  std::unique_ptr<rocksdb::Iterator> cas(
      impl_->db().NewIterator(rocksdb::ReadOptions(), impl_->cf(Family::cas)));
  for (cas->SeekToFirst(); cas->Valid(); cas->Next()) {
    ++out.blobs;
    out.blob_bytes += cas->value().size();
  }
  if (!cas->status().ok()) {
    return db_error("counting blobs", cas->status());
  }
  auto files = impl_->files.list();
  if (!files) {
    return tl::unexpected(files.error());
  }
  for (const BlobFiles::Listed& f : *files) {
    ++out.blobs;
    out.blob_bytes += static_cast<std::uint64_t>(f.digest.size);
  }
  return out;
}

Result<VerifyReport> LocalStore::verify() {
  VerifyReport report;
  // Every table and blob file's block checksums, whether or not a key leads to them.
  if (rocksdb::Status s = impl_->db().VerifyChecksum(); !s.ok()) {
    report.problems.push_back("table files: " + s.ToString());
  }
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
  if (!cas->status().ok()) {
    report.problems.push_back("blobs: reading stopped at " + cas->status().ToString());
  }
  auto files = impl_->files.list();
  if (!files) {
    report.problems.push_back(files.error().message);
  } else {
    for (const BlobFiles::Listed& f : *files) {
      ++report.blobs_checked;
      // Not removed when damaged: verify only reads.
      std::optional<BlobReader> reader = impl_->files.open(f.digest, /*remove_damaged=*/false);
      Status read = reader ? drain(*reader) : environment_error("gone while verifying");
      if (!read) {
        report.problems.push_back("blob file " + f.digest.hash + ": " + read.error().message);
      } else {
        present.insert(f.digest.hash);
      }
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
  if (!ac->status().ok()) {
    report.problems.push_back("entries: reading stopped at " + ac->status().ToString());
  }
  return report;
}

Result<std::uint64_t> LocalStore::prune(std::uint64_t max_bytes) {
  impl_->flush_touches();
  impl_->files.remove_stale_temporaries(std::chrono::seconds(kYoungBlobSeconds));
  // Blob sizes (in RocksDB, in files or both), and how many entries name each blob.
  std::map<std::string, std::uint64_t> blob_size;
  std::set<std::string> in_db;
  std::map<std::string, std::int64_t> file_mtime;
  std::uint64_t bytes = 0;
  std::unique_ptr<rocksdb::Iterator> cas(
      impl_->db().NewIterator(rocksdb::ReadOptions(), impl_->cf(Family::cas)));
  for (cas->SeekToFirst(); cas->Valid(); cas->Next()) {
    const std::string hash = cas->key().ToString();
    in_db.insert(hash);
    blob_size[hash] += cas->value().size();
    bytes += cas->value().size();
  }
  if (!cas->status().ok()) {
    return db_error("listing blobs", cas->status());
  }
  auto files = impl_->files.list();
  if (!files) {
    return tl::unexpected(files.error());
  }
  for (const BlobFiles::Listed& f : *files) {
    file_mtime[f.digest.hash] = f.mtime;
    blob_size[f.digest.hash] += static_cast<std::uint64_t>(f.digest.size);
    bytes += static_cast<std::uint64_t>(f.digest.size);
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
  if (!ac->status().ok()) {
    return db_error("listing entries", ac->status());
  }
  std::sort(by_age.begin(), by_age.end());
  // Blobs that no entry names go first; then entries, oldest first, each with the blobs only it
  // still names. One batch: a kill mid-prune leaves the cache as it was. Blob files go after the
  // batch is written, so no entry ever names a removed one; a kill between leaves unnamed files
  // for the next prune.
  rocksdb::WriteBatch batch;
  std::vector<std::string> doomed_files;
  auto drop_blob = [&](const std::string& hash) {
    if (in_db.count(hash) != 0) {
      batch.Delete(impl_->cf(Family::cas), hash);
    }
    if (file_mtime.count(hash) != 0) {
      doomed_files.push_back(hash);
    }
    bytes -= blob_size[hash];
  };
  const std::int64_t young = static_cast<std::int64_t>(std::time(nullptr)) - kYoungBlobSeconds;
  for (const auto& [hash, size] : blob_size) {
    const bool young_file = file_mtime.count(hash) != 0 && file_mtime[hash] > young;
    if (refs.count(hash) == 0 && !young_file) {
      drop_blob(hash);
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
        drop_blob(b);
      }
    }
  }
  if (auto s = impl_->db().Write(rocksdb::WriteOptions(), &batch); !s.ok()) {
    return db_error("pruning", s);
  }
  for (const std::string& hash : doomed_files) {
    impl_->files.remove(hash);
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
    if (!it->status().ok()) {
      return db_error("clearing", it->status());
    }
    if (auto s = impl_->db().Write(rocksdb::WriteOptions(), &batch); !s.ok()) {
      return db_error("clearing", s);
    }
  }
  auto files = impl_->files.list();
  if (!files) {
    return tl::unexpected(files.error());
  }
  for (const BlobFiles::Listed& f : *files) {
    impl_->files.remove(f.digest.hash);
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
