#include "cache/stat_cache.h"

#include <rocksdb/db.h>
#include <rocksdb/options.h>
#include <rocksdb/write_batch.h>

#include <chrono>
#include <cstring>
#include <mutex>

#include "cache/raw_bytes.h"

namespace ripple::cache {
namespace {

constexpr std::uint8_t kFormat = 1;

// value = format(1) size(8) mtime(8) ctime(8) inode(8) mode(4) read_at(8) id(rest)
constexpr std::size_t kHeader = 1 + 8 * 4 + 4 + 8;

}  // namespace

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

struct StatCache::Impl {
  std::string dir;
  bool lazy = false;  // open_when_needed: read-only for lookups, read-write only to write
  std::once_flag opened;
  Status open_status;
  std::unique_ptr<rocksdb::DB> db;
  bool writable = false;
  std::mutex mutex;
  rocksdb::WriteBatch batch;

  static rocksdb::Options options() {
    rocksdb::Options options;
    options.create_if_missing = true;
    options.create_missing_column_families = true;
    options.max_open_files = 64;
    options.max_file_opening_threads = 1;  // not 16 threads started per open
    options.keep_log_file_num = 2;
    options.info_log_level = rocksdb::InfoLogLevel::WARN_LEVEL;
    return options;
  }

  Status open_writable() {
    db.reset();
    rocksdb::DB* raw = nullptr;
    rocksdb::Status s = rocksdb::DB::Open(options(), dir, &raw);
    if (!s.ok()) {
      return environment_error("cannot open the stat cache at " + dir + ": " + s.ToString());
    }
    db.reset(raw);
    writable = true;
    return {};
  }

  // The database for lookups, opened on first use; null when there is none to read (see
  // open_status). Opened lazily it is read-only: a run whose lookups all hit writes nothing
  // (a read-write open would leave a new, empty log file behind each time).
  rocksdb::DB* get() {
    std::call_once(opened, [this] {
      if (!lazy) {
        open_status = open_writable();
        return;
      }
      rocksdb::DB* raw = nullptr;
      if (rocksdb::DB::OpenForReadOnly(options(), dir, &raw).ok()) {
        db.reset(raw);
      }  // else nothing stored yet: every lookup misses
    });
    return db.get();
  }
};

StatCache::StatCache(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
StatCache::~StatCache() { (void)flush(); }

std::unique_ptr<StatCache> StatCache::open_when_needed(const std::string& dir) {
  auto impl = std::make_unique<Impl>();
  impl->dir = dir;
  impl->lazy = true;
  return std::unique_ptr<StatCache>(new StatCache(std::move(impl)));
}

Result<std::unique_ptr<StatCache>> StatCache::open(const std::string& dir) {
  auto impl = std::make_unique<Impl>();
  impl->dir = dir;
  std::unique_ptr<StatCache> cache(new StatCache(std::move(impl)));
  if (cache->impl_->get() == nullptr) {
    return tl::unexpected(cache->impl_->open_status.error());
  }
  return cache;
}

std::optional<std::string> StatCache::lookup(std::string_view key, const FileStat& stat) const {
  rocksdb::DB* db = impl_->get();
  std::string value;
  if (db == nullptr ||
      !db->Get(rocksdb::ReadOptions(), rocksdb::Slice(key.data(), key.size()), &value).ok() ||
      value.size() <= kHeader || static_cast<std::uint8_t>(value[0]) != kFormat) {
    return std::nullopt;
  }
  std::string_view in = std::string_view(value).substr(1);
  FileStat stored;
  std::int64_t read_at = 0;
  read_raw(in, stored.size);  // the header's size was checked above
  read_raw(in, stored.mtime_ns);
  read_raw(in, stored.ctime_ns);
  read_raw(in, stored.inode);
  read_raw(in, stored.mode);
  read_raw(in, read_at);
  if (!(stored == stat) || !settled(stat, read_at)) {
    return std::nullopt;
  }
  return value.substr(kHeader);
}

void StatCache::remember(std::string_view key, const FileStat& stat, std::int64_t read_at_ns,
                         std::string_view id) {
  if (!settled(stat, read_at_ns)) {
    return;  // lookup() would refuse it forever
  }
  std::string value;
  value.reserve(kHeader + id.size());
  value.push_back(static_cast<char>(kFormat));
  append_raw(value, stat.size);
  append_raw(value, stat.mtime_ns);
  append_raw(value, stat.ctime_ns);
  append_raw(value, stat.inode);
  append_raw(value, stat.mode);
  append_raw(value, read_at_ns);
  value.append(id);
  std::lock_guard lock(impl_->mutex);
  impl_->batch.Put(rocksdb::Slice(key.data(), key.size()), value);
}

Status StatCache::flush() {
  std::lock_guard lock(impl_->mutex);
  if (impl_->batch.Count() == 0) {
    return {};
  }
  impl_->get();
  if (!impl_->writable) {
    if (auto st = impl_->open_writable(); !st) {
      impl_->batch.Clear();
      return st;
    }
  }
  rocksdb::Status s = impl_->db->Write(rocksdb::WriteOptions(), &impl_->batch);
  impl_->batch.Clear();
  if (!s.ok()) {
    return environment_error("cannot write the stat cache: " + s.ToString());
  }
  return {};
}

}  // namespace ripple::cache
