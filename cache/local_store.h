#pragma once

// The local cache (DESIGN.md §4): RocksDB in one directory with five column families —
//   ac     task key → encoded ActionRecord (an REAPI ActionResult)
//   cas    SHA-256 → blob bytes, for blobs up to kInlineBlobMax (BlobDB, zstd-compressed)
//   atime  task key → last access (ns), for least-recently-used pruning
//   notes  task key → what the key was computed from, for `hash --diff`  } its KeyHistory
//   latest task label ("svc#task") → the key it last had here,           } (key_history.h)
//          for `run --explain-misses`
// and, beside RocksDB, blobs/ with the larger blobs as files (blob_files.h).
//
// Memory: a blob is held whole only when it is small. EntryBlobs reads an output in chunks of
// kChunkBytes; one over kInlineBlobMax, or any once the entry's blobs in memory reach
// kEntryInlineMax, goes to blobs/ as it is read. A run's store keeps at most kQueueInlineMax of
// blob bytes queued for its writer; an entry that would pass it has its blobs written to blobs/
// instead. Restoring reads a large blob in chunks (open_blob). So storing or restoring holds at
// most kEntryInlineMax of an entry's small blobs (RocksDB copies them up to three times while
// writing) and one chunk of each large one being read or written, whatever the outputs' sizes.
//
// Three ways to open it:
// - open(): exclusive. Holds RocksDB's lock for the store's whole life, waiting for another
//   holder up to `lock_timeout` (reporting the wait once through `on_wait`), then failing with an
//   environment error. For `cache prune`, which must see and change everything at once.
// - open_read_only(): takes no lock and writes nothing, not even access times; put() fails. For
//   looking only (`run --dry-run`, `hash --diff`, `cache stats|verify`).
// - open_for_run(): shared, so that runs of several processes restore and run side by side.
//   Lookups go to a read-only instance (no lock; created first when there is no cache yet) and
//   see the cache as it was when the store opened. put() checks the entry and queues it; a
//   writer thread of the store writes the queue in short write sessions, each opening the cache
//   writable under its lock and closing it again, sessions spaced so that another process waiting
//   for the lock gets it in between (store_writer.h). flush() waits for the queue to drain. A
//   session that cannot get the lock within `lock_timeout`, or fails to write, or would leave the
//   disk fuller than kDiskHeadroom allows (cache_dir.h), gives one warning through `on_warning`
//   and the run's later results are not stored: cache trouble never fails a run. Access times
//   and latest keys of hits are written with a session; those still waiting at flush() are
//   written only if the lock is free at once, else dropped (they only steer `cache prune` and
//   `run --explain-misses`).
//   A damaged cache (RocksDB reports corruption when opening it, under the lock, or when reading
//   it) is set aside into <dir>/damaged-<time>/ (cache_dir.h) with one warning; lookups miss
//   from then on and results go to a fresh cache made at `dir`.
//
// Contracts:
// - put() writes an entry and all of its RocksDB blobs in one atomic batch, after its blob files
//   are in blobs/ (checked again under the lock when a run's writer writes it): an entry is
//   visible only once every blob it names is in, so a crash or kill mid-store leaves no half
//   entry.
// - Blobs are stored under the SHA-256 of their bytes, checked on the way in and whenever read.
// - A read that fails (a shared store's reader can lose a blob file to a writer's compaction,
//   local_db.h) is `unavailable` from open_blob() (store.h), which callers treat as a miss.
// - Thread-safe: any method may be called from several threads at once; on_wait and on_warning
//   may be called from the store's writer thread.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cache/action_record.h"
#include "cache/blob_files.h"
#include "cache/entry_blobs.h"
#include "cache/key_history.h"
#include "cache/store.h"
#include "graph/support/error.h"

namespace ripple::cache {

inline constexpr std::uint64_t kQueueInlineMax = std::uint64_t{64} << 20;

struct StoreStats {
  std::uint64_t entries = 0;
  std::uint64_t blobs = 0;
  std::uint64_t blob_bytes = 0;  // RocksDB's blobs (uncompressed) and blob files
};

struct VerifyReport {
  std::uint64_t entries_checked = 0;
  std::uint64_t blobs_checked = 0;
  std::vector<std::string> problems;  // one line per corrupt entry or blob; empty when clean
};

class LocalStore final : public Store, public KeyHistory, private BlobSpill {
 public:
  using Notify = std::function<void(const std::string&)>;

  // Exclusive (above); creates the cache when there is none.
  static Result<std::unique_ptr<LocalStore>> open(const std::string& dir,
                                                  std::chrono::milliseconds lock_timeout,
                                                  const Notify& on_wait = {});
  // Read-only (above); an environment error when there is no cache at `dir`.
  static Result<std::unique_ptr<LocalStore>> open_read_only(const std::string& dir);
  // Shared (above). Fails only when there is no cache and the lock to create one cannot be had
  // within `lock_timeout`. Other trouble (a cache that cannot be read or created, a disk too
  // full to create one, a damaged cache that cannot be set aside) is one warning through
  // `on_warning` and no store (null): the run goes on without the cache.
  static Result<std::unique_ptr<LocalStore>> open_for_run(const std::string& dir,
                                                          std::chrono::milliseconds lock_timeout,
                                                          Notify on_wait = {},
                                                          Notify on_warning = {});

  // A shared store: returns once every entry put() before it is written or dropped (warned
  // about), and the touches are written or dropped. The store stays usable. The destructor does
  // it too. Other stores: writes the touches kept so far.
  void flush() override;
  ~LocalStore() override;
  LocalStore(const LocalStore&) = delete;
  LocalStore& operator=(const LocalStore&) = delete;

  // The entry for `key` (tier local), or a miss. Touches its access time (to the hour: a
  // younger one is left alone, so a fully cached run writes nothing) and, when `task` is given,
  // makes `key` the task's latest; both are written when the store is flushed or closed (see
  // above for a shared store; never for a read-only one). A corrupt entry is a miss; a read
  // that fails is `unavailable`.
  Fetched<Hit> get(const std::string& key, const std::string& task = {}) override;

  // Where the blobs of an entry to put() are gathered: large ones go to this cache's blobs/.
  EntryBlobs entry_blobs() override { return EntryBlobs(*this); }

  // Stores `record` under `key` with `blobs` (every output and log it names), and, when `task`
  // is given, `notes` beside it and `key` as the task's latest. Fails, storing nothing, when a
  // blob is missing or does not match its digest, or the store is read-only. A shared store
  // checks the entry now and writes it later (see above); once it has stopped storing, put()
  // drops the entry and succeeds.
  Status put(const std::string& key, const ActionRecord& record, EntryBlobs blobs,
             const std::string& task = {}, const std::string& notes = {}) override;
  // The same with the blobs' bytes (each add()ed to an EntryBlobs).
  Status put(const std::string& key, const ActionRecord& record,
             const std::vector<std::string>& blobs, const std::string& task = {},
             const std::string& notes = {});

  // KeyHistory (key_history.h): what the notes and latest column families hold.
  Result<std::optional<std::string>> notes(const std::string& key) override;
  Result<std::optional<std::string>> latest_key(const std::string& task) override;
  Result<std::vector<std::string>> keys_with_prefix(const std::string& prefix,
                                                    std::size_t limit) override;

  // Whether a readable entry exists for `key`, without touching its access time.
  bool has(const std::string& key) override;

  // The blob with this digest as a reader of chunks (blob_files.h), or a miss when the store
  // does not have it. A small blob is read and verified now (`corrupt` when it does not match);
  // a large one as it is read (its reader reports damage in place of the end).
  Fetched<BlobReader> open_blob(const BlobDigest& digest) override;
  Fetched<std::vector<BlobDigest>> find_missing(std::span<const BlobDigest> digests) override;

  Result<StoreStats> stats();
  // Checks every table and blob file's checksums (RocksDB's VerifyChecksum), re-hashes every
  // blob (in RocksDB and in blobs/) and checks every entry's blobs are present; a read that
  // fails is a problem too, never the end of the listing.
  Result<VerifyReport> verify();
  // Deletes the least recently used entries, then blobs no entry names (in RocksDB and in
  // blobs/, with blobs/ temporaries older than an hour), until the blobs total at most
  // `max_bytes`. Returns how many entries were removed.
  Result<std::uint64_t> prune(std::uint64_t max_bytes);
  Status clear();

  // For tests of corruption handling: writes raw bytes under an AC key, bypassing checks.
  Status put_raw_entry_for_test(const std::string& key, const std::string& bytes);

 private:
  struct Impl;
  explicit LocalStore(std::unique_ptr<Impl> impl);
  // BlobSpill: a blob file written, or why not: the cache's disk stops a run's store (with one
  // warning) and is nothing; the source's trouble, or any in another store, is an error.
  bool stopped() const override;
  const BlobFiles& blob_files() const override;
  Result<std::optional<BlobDigest>> written(const BlobFiles::Written& written) override;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ripple::cache
