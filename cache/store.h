#pragma once

// The action store every cache backend implements (DESIGN.md §4): the local cache
// (local_store.h), a remote HTTP cache (http_store.h) and the two stacked (tiered_store.h). A
// store maps a task key to an ActionRecord (an REAPI ActionResult) and a blob digest to its
// bytes, as REAPI's action cache and content-addressed storage do.
//
// Contracts every implementation keeps:
// - Failures are values, never exceptions: a lookup answers a record, or a Failure saying why
//   not. `miss` is the ordinary "not there"; `unavailable` (a server down, a timeout, a disk
//   problem), `corrupt` (bytes that do not match their digest or do not decode) and `denied`
//   (credentials refused) are trouble, which callers treat as a miss after one warning: cache
//   trouble never fails a task.
// - Bytes are checked: a blob handed out matches its digest (a large one is checked as it is
//   read: its reader reports damage in place of the end, blob_files.h); an entry is handed out
//   only whole.
// - Ownership: the caller owns the store; what a method returns is the caller's.
// - Thread-safe: every method may be called from several threads at once.

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "cache/action_record.h"
#include "cache/blob_files.h"
#include "cache/entry_blobs.h"
#include "graph/support/error.h"

namespace ripple::cache {

struct Failure {
  enum class Kind { miss, unavailable, corrupt, denied };
  Kind kind = Kind::miss;
  std::string detail;  // empty for a plain miss; else what went wrong, for a warning

  static Failure miss() { return {}; }
  bool is_miss() const { return kind == Kind::miss; }
};

template <class T>
using Fetched = tl::expected<T, Failure>;

// Where a hit came from, for the run's footer and summary.
enum class Tier { local, remote };

struct Hit {
  ActionRecord record;
  Tier tier = Tier::local;
  // Small blobs that came with the hit, already checked against their digests, by hash (a
  // remote hit's downloads): a restore takes them from here before asking the store.
  std::map<std::string, std::string> blobs;
};

class Store {
 public:
  virtual ~Store() = default;

  // The entry for `key`. `task` ("svc#task") lets a store remember the task's latest key; empty
  // when there is none to remember.
  virtual Fetched<Hit> get(const std::string& key, const std::string& task = {}) = 0;
  // Whether an entry for `key` is there, cheaply and without side effects: for predicting hits.
  virtual bool has(const std::string& key) = 0;
  // The blob as a reader of chunks, checked as it is read.
  virtual Fetched<BlobReader> open_blob(const BlobDigest& digest) = 0;
  // Of `digests`, those the store does not hold.
  virtual Fetched<std::vector<BlobDigest>> find_missing(std::span<const BlobDigest> digests) = 0;

  // Where the blobs of an entry to put() are gathered (entry_blobs.h).
  virtual EntryBlobs entry_blobs() = 0;
  // Stores `record` under `key` with `blobs` (every output and log it names) and, when `task`
  // is given, `notes` beside it. A store may store later (a run's local store, an upload queue):
  // trouble then is one warning, never a failed task. An error only for a call the store can
  // never honour (a blob not handed in, a read-only store).
  virtual Status put(const std::string& key, const ActionRecord& record, EntryBlobs blobs,
                     const std::string& task = {}, const std::string& notes = {}) = 0;
  // Returns once what put() queued is stored or dropped (with its warning). The store stays
  // usable; destructors flush too.
  virtual void flush() = 0;

  // Hints that `keys` will be looked up soon: a remote store asks for them all at once.
  virtual void prefetch(std::span<const std::string> keys) { (void)keys; }

  // The blob whole, checked: for small blobs (logs).
  Fetched<std::string> get_blob(const BlobDigest& digest);
};

}  // namespace ripple::cache
