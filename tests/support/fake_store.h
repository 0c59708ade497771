#pragma once

// A Store and KeyHistory in memory (cache/store.h, cache/key_history.h), for logic tests of what
// sits on top of a cache (the run command): it keeps entries and blobs in maps, counts what it
// is asked, and answers with the trouble a test chose — a store that is down (`unavailable`),
// entries that do not decode (`corrupt`), refused credentials (`denied`), blobs lost since the
// entry was stored — so a test can say how the run behaves without a server or a RocksDB.
// Large blobs (over kInlineBlobMax) go to blob files in `dir`, as EntryBlobs requires.
//
// Thread-safe, as stores must be.

#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "cache/action_record.h"
#include "cache/blob_files.h"
#include "cache/digest.h"
#include "cache/key_history.h"
#include "cache/store.h"

namespace ripple::testing {

class FakeStore final : public cache::Store, public cache::KeyHistory, private cache::BlobSpill {
 public:
  explicit FakeStore(const std::string& dir) : files_(dir) {}

  // --- what the test sets ---
  // Every get() answers this failure instead of looking (nothing: look).
  void fail_gets(std::optional<cache::Failure> failure) {
    std::lock_guard lock(mutex_);
    get_failure_ = std::move(failure);
  }
  // Every put() fails with this message (nothing: store).
  void fail_puts(std::optional<std::string> message) {
    std::lock_guard lock(mutex_);
    put_failure_ = std::move(message);
  }
  // Forgets a blob, as a server that evicted it while keeping the entries naming it.
  void lose_blob(const std::string& hash) {
    std::lock_guard lock(mutex_);
    blobs_.erase(hash);
  }

  // --- what the test reads ---
  struct Counts {
    int gets = 0;
    int hits = 0;
    int puts = 0;
    int flushes = 0;
  };
  Counts counts() const {
    std::lock_guard lock(mutex_);
    return counts_;
  }
  std::vector<std::string> keys() const {
    std::lock_guard lock(mutex_);
    std::vector<std::string> out;
    for (const auto& [key, record] : entries_) {
      out.push_back(key);
    }
    return out;
  }
  std::optional<cache::ActionRecord> entry(const std::string& key) const {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(key);
    return it == entries_.end() ? std::nullopt : std::optional(it->second);
  }

  // --- Store ---
  cache::Fetched<cache::Hit> get(const std::string& key, const std::string& task) override {
    std::lock_guard lock(mutex_);
    ++counts_.gets;
    if (get_failure_) {
      return tl::unexpected(*get_failure_);
    }
    auto it = entries_.find(key);
    if (it == entries_.end()) {
      return tl::unexpected(cache::Failure::miss());
    }
    ++counts_.hits;
    if (!task.empty()) {
      latest_[task] = key;
    }
    return cache::Hit{it->second, cache::Tier::local, {}};
  }
  bool has(const std::string& key) override {
    std::lock_guard lock(mutex_);
    return !get_failure_ && entries_.count(key) != 0;
  }
  cache::Fetched<cache::BlobReader> open_blob(const cache::BlobDigest& digest) override {
    std::lock_guard lock(mutex_);
    auto it = blobs_.find(digest.hash);
    if (it == blobs_.end()) {
      return tl::unexpected(cache::Failure::miss());
    }
    return cache::BlobReader::of_bytes(it->second);
  }
  cache::Fetched<std::vector<cache::BlobDigest>> find_missing(
      std::span<const cache::BlobDigest> digests) override {
    std::lock_guard lock(mutex_);
    std::vector<cache::BlobDigest> out;
    for (const cache::BlobDigest& d : digests) {
      if (blobs_.count(d.hash) == 0) {
        out.push_back(d);
      }
    }
    return out;
  }
  cache::EntryBlobs entry_blobs() override { return cache::EntryBlobs(*this); }
  Status put(const std::string& key, const cache::ActionRecord& record, cache::EntryBlobs blobs,
             const std::string& task, const std::string& notes) override {
    std::map<std::string, std::string> kept;
    for (const std::string& bytes : blobs.in_memory()) {
      kept[cache::sha256_hex(bytes)] = bytes;
    }
    std::lock_guard lock(mutex_);
    ++counts_.puts;
    if (put_failure_) {
      return tl::unexpected(Error{ErrorKind::environment, *put_failure_});
    }
    // Every blob the entry names must have been handed in, as real stores require.
    for (const cache::BlobDigest& d : cache::named_blobs(record)) {
      if (kept.count(d.hash) != 0) {
        continue;
      }
      std::optional<cache::BlobReader> file = files_.open(d, false);
      std::string bytes;
      for (auto chunk = file ? file->next() : Result<std::string_view>(std::string_view());
           chunk && !chunk->empty(); chunk = file->next()) {
        bytes.append(*chunk);
      }
      if (!file || static_cast<std::int64_t>(bytes.size()) != d.size) {
        return tl::unexpected(
            Error{ErrorKind::input, "fake store: blob " + d.hash + " was not handed in"});
      }
      kept[d.hash] = std::move(bytes);
    }
    blobs_.merge(kept);
    entries_[key] = record;
    if (!task.empty()) {
      latest_[task] = key;
      notes_[key] = notes;
    }
    return {};
  }
  void flush() override {
    std::lock_guard lock(mutex_);
    ++counts_.flushes;
  }

  // --- KeyHistory ---
  Result<std::optional<std::string>> notes(const std::string& key) override {
    std::lock_guard lock(mutex_);
    auto it = notes_.find(key);
    return it == notes_.end() ? std::nullopt : std::optional(it->second);
  }
  Result<std::optional<std::string>> latest_key(const std::string& task) override {
    std::lock_guard lock(mutex_);
    auto it = latest_.find(task);
    return it == latest_.end() ? std::nullopt : std::optional(it->second);
  }
  Result<std::vector<std::string>> keys_with_prefix(const std::string& prefix,
                                                    std::size_t limit) override {
    std::lock_guard lock(mutex_);
    std::vector<std::string> out;
    for (auto it = notes_.lower_bound(prefix);
         it != notes_.end() && it->first.starts_with(prefix) && out.size() < limit; ++it) {
      out.push_back(it->first);
    }
    return out;
  }

 private:
  // BlobSpill: large blobs become files in `dir`, taken in by put().
  bool stopped() const override { return false; }
  const cache::BlobFiles& blob_files() const override { return files_; }
  Result<std::optional<cache::BlobDigest>> written(
      const cache::BlobFiles::Written& written) override {
    if (!written) {
      return tl::unexpected(written.error().error);
    }
    return std::optional(*written);
  }

  cache::BlobFiles files_;
  mutable std::mutex mutex_;
  std::optional<cache::Failure> get_failure_;
  std::optional<std::string> put_failure_;
  std::map<std::string, cache::ActionRecord> entries_;
  std::map<std::string, std::string> blobs_;
  std::map<std::string, std::string> notes_;
  std::map<std::string, std::string> latest_;
  Counts counts_;
};

}  // namespace ripple::testing
