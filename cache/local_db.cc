#include "cache/local_db.h"

#include <rocksdb/db.h>
#include <rocksdb/env.h>
#include <rocksdb/options.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <cstdarg>
#include <memory>
#include <thread>

namespace ripple::cache {
namespace {

// A read-only open that races a writer's file deletions fails; the window is a few
// milliseconds (a writable open or a compaction replacing files), so a few tries suffice.
constexpr int kReadOnlyAttempts = 5;
constexpr std::chrono::milliseconds kReadOnlyRetryInterval{50};

// Drops RocksDB's info log (local_db.h says why).
class NoLog final : public rocksdb::Logger {
 public:
  using rocksdb::Logger::Logv;
  void Logv(const char* /*format*/, va_list /*ap*/) override {}
};

rocksdb::DBOptions db_options() {
  rocksdb::DBOptions options;
  options.create_if_missing = true;
  options.create_missing_column_families = true;
  options.info_log = std::make_shared<NoLog>();
  options.info_log_level = rocksdb::InfoLogLevel::HEADER_LEVEL;
  // RocksDB opens table files with 16 threads per column family by default: ~100 threads
  // started and joined on every open, longer than opening the few files a cache has.
  options.max_file_opening_threads = 1;
  // Kept at its default on purpose: -1 opens every table file at open and keeps it open, which
  // is what lets a read-only instance outlive a writer's compaction (local_db.h).
  options.max_open_files = -1;
  return options;
}

// In Family order, after the default family.
std::vector<rocksdb::ColumnFamilyDescriptor> column_families() {
  rocksdb::ColumnFamilyOptions plain;
  rocksdb::ColumnFamilyOptions blobs;
  blobs.enable_blob_files = true;  // BlobDB: large values live in blob files, not the LSM tree
  blobs.min_blob_size = 4096;
  blobs.blob_compression_type = rocksdb::kZSTD;
  blobs.compression = rocksdb::kZSTD;
  return {{rocksdb::kDefaultColumnFamilyName, plain},
          {"ac", plain},
          {"cas", blobs},
          {"atime", plain},
          {"notes", blobs},
          {"latest", plain}};
}

// The names of the cache's logs (WAL) and manifests, sorted. Every writable open makes a new one
// of each and may delete older ones (its recovery moves the logs' entries into tables), so two
// equal listings around a read-only open mean no writer opened the cache meanwhile.
std::vector<std::string> logs_and_manifests(const std::string& dir) {
  std::vector<std::string> names;
  std::vector<std::string> out;
  if (!rocksdb::Env::Default()->GetChildren(dir, &names).ok()) {
    return out;
  }
  for (std::string& name : names) {
    if (name.ends_with(".log") || name.starts_with("MANIFEST-")) {
      out.push_back(std::move(name));
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

OpenError open_error(const std::string& dir, const rocksdb::Status& s, OpenFailure why,
                     const std::string& verb) {
  std::string message = verb + " the local cache at " + dir + ": " + s.ToString();
  if (why == OpenFailure::locked) {
    message +=
        " (another ripple is using it; wait for it, raise --lock-timeout, or use another "
        "cache.dir)";
  } else if (why == OpenFailure::damaged) {
    message += " (the cache is damaged; `ripple cache clear` removes it, and a run sets it aside)";
  }
  return OpenError{why, Error{ErrorKind::environment, message}, s.ToString()};
}

}  // namespace

LocalDb::LocalDb(rocksdb::DB* db, std::vector<rocksdb::ColumnFamilyHandle*> handles, bool read_only,
                 std::unique_ptr<CacheLock> lock)
    : lock_(std::move(lock)), db_(db), read_only_(read_only) {
  db_->DestroyColumnFamilyHandle(handles[0]);  // the default family holds nothing
  families_.assign(handles.begin() + 1, handles.end());
}

LocalDb::~LocalDb() {
  for (auto* h : families_) {
    db_->DestroyColumnFamilyHandle(h);
  }
}

Opened LocalDb::open_writable(const std::string& dir, std::chrono::milliseconds lock_timeout,
                              const Notify& on_wait) {
  const rocksdb::DBOptions options = db_options();
  const std::vector<rocksdb::ColumnFamilyDescriptor> families = column_families();
  // Another ripple writing is waited for on our own lock (cache_lock.h); RocksDB's LOCK is then
  // free, unless something else holds it, which is a failed open like any other.
  bool busy = false;
  auto lock = CacheLock::take(dir, lock_timeout, on_wait, &busy);
  if (!lock) {
    const std::string why = busy ? "another ripple is using it (wait for it, raise "
                                   "--lock-timeout, or use another cache.dir)"
                                 : lock.error().message;
    return tl::unexpected(OpenError{
        busy ? OpenFailure::locked : OpenFailure::other,
        Error{ErrorKind::environment, "cannot open the local cache at " + dir + ": " + why}, why});
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(options, dir, families, &handles, &raw);
  if (s.ok()) {
    return std::unique_ptr<LocalDb>(new LocalDb(raw, std::move(handles), false, std::move(*lock)));
  }
  return tl::unexpected(open_error(
      dir, s, s.IsCorruption() ? OpenFailure::damaged : OpenFailure::other, "cannot open"));
}

Opened LocalDb::open_read_only(const std::string& dir) {
  if (rocksdb::Env::Default()->FileExists(dir + "/CURRENT").IsNotFound()) {
    return std::unique_ptr<LocalDb>();
  }
  const rocksdb::DBOptions options = db_options();
  const std::vector<rocksdb::ColumnFamilyDescriptor> families = column_families();
  rocksdb::Status s;
  for (int attempt = 0; attempt < kReadOnlyAttempts; ++attempt) {
    if (attempt > 0) {
      std::this_thread::sleep_for(kReadOnlyRetryInterval);
    }
    const std::vector<std::string> before = logs_and_manifests(dir);
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* raw = nullptr;
    s = rocksdb::DB::OpenForReadOnly(options, dir, families, &handles, &raw);
    if (s.ok()) {
      auto opened = std::unique_ptr<LocalDb>(new LocalDb(raw, std::move(handles), true));
      if (attempt + 1 == kReadOnlyAttempts || logs_and_manifests(dir) == before) {
        return opened;
      }
      // A writer opened meanwhile: this open may have read the manifest from before its recovery
      // and then missed the log that recovery deleted, and with it entries stored before this
      // open began (local_db.h). Opened again, it reads the manifest that names their table.
      s = rocksdb::Status::Busy("a writer opened the cache meanwhile");
      continue;
    }
    if (s.IsInvalidArgument()) {
      return std::unique_ptr<LocalDb>();  // "Column family not found": made by an older ripple
    }
  }
  return tl::unexpected(open_error(
      dir, s, s.IsCorruption() ? OpenFailure::damaged : OpenFailure::other, "cannot read"));
}

Status LocalDb::write(const Batch& batch, const std::string& what) {
  rocksdb::WriteBatch out;
  for (const FamilyPut& p : batch) {
    out.Put(family(p.family), p.key, p.value);
  }
  rocksdb::Status s = db_->Write(rocksdb::WriteOptions(), &out);
  if (!s.ok()) {
    return environment_error("local cache: " + what + ": " + s.ToString());
  }
  return {};
}

std::uint64_t LocalDb::size_of(const Batch& batch) {
  std::uint64_t bytes = 0;
  for (const FamilyPut& p : batch) {
    bytes += p.key.size() + p.value.size();
  }
  return bytes;
}

}  // namespace ripple::cache
