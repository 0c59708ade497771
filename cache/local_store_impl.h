#pragma once

// LocalStore's insides, shared by local_store.cc (opening, lookups, storing) and
// store_upkeep.cc (stats, verify, prune, clear). Internal to cache/.

#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "cache/blob_files.h"
#include "cache/cache_dir.h"
#include "cache/local_db.h"
#include "cache/local_store.h"
#include "cache/store_writer.h"

namespace rocksdb {
class Status;
}  // namespace rocksdb

namespace ripple::cache {

tl::unexpected<Error> db_error(const std::string& what, const rocksdb::Status& s);

struct LocalStore::Impl {
  explicit Impl(const std::string& cache_dir) : dir(cache_dir), files(cache_dir) {}

  const std::string dir;
  const BlobFiles files;
  // A run's store: what it does about a damaged cache (cache_dir.h). Null for the others.
  // Declared before `writer`, which holds a reference to it.
  std::unique_ptr<DamageLatch> damage;
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

  // Whether lookups still read the cache: not once a run's store found it damaged.
  bool readable() { return !damage || !damage->reported(); }

  // A read that failed with `s`: in a run's store, corruption sets the cache aside (once, with
  // its warning) and true is returned: the caller treats the read as a miss, quietly.
  bool damaged(const rocksdb::Status& s);
  void flush_touches();
  // A value of family `f`, or nothing; `what` names it in the error.
  Result<std::optional<std::string>> read(Family f, const std::string& key, const char* what);
};

}  // namespace ripple::cache
