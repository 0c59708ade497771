#include "cache/local_db.h"

#include <rocksdb/db.h>
#include <rocksdb/env.h>
#include <rocksdb/options.h>
#include <rocksdb/write_batch.h>

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

bool lock_held(const std::string& status) {
  return status.find("While lock file") != std::string::npos ||
         status.find("lock hold by current process") != std::string::npos;
}

LocalDb::LocalDb(rocksdb::DB* db, std::vector<rocksdb::ColumnFamilyHandle*> handles, bool read_only)
    : db_(db), read_only_(read_only) {
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
  auto deadline = std::chrono::steady_clock::now() + lock_timeout;
  bool told = false;
  while (true) {
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* raw = nullptr;
    rocksdb::Status s = rocksdb::DB::Open(options, dir, families, &handles, &raw);
    if (s.ok()) {
      return std::unique_ptr<LocalDb>(new LocalDb(raw, std::move(handles), false));
    }
    const bool locked = s.IsIOError() && lock_held(s.ToString());
    if (!locked || std::chrono::steady_clock::now() >= deadline) {
      const OpenFailure why = locked             ? OpenFailure::locked
                              : s.IsCorruption() ? OpenFailure::damaged
                                                 : OpenFailure::other;
      return tl::unexpected(open_error(dir, s, why, "cannot open"));
    }
    if (!told && on_wait) {
      on_wait("waiting for another ripple to release the local cache at " + dir);
      told = true;
    }
    std::this_thread::sleep_for(kLockRetryInterval);
  }
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
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* raw = nullptr;
    s = rocksdb::DB::OpenForReadOnly(options, dir, families, &handles, &raw);
    if (s.ok()) {
      return std::unique_ptr<LocalDb>(new LocalDb(raw, std::move(handles), true));
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
