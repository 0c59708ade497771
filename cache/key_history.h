#pragma once

// What the local cache remembers about task keys beside its entries (DESIGN.md §4), for
// explaining misses (`run --explain-misses`) and comparing keys (`hash --diff`): the notes each
// stored key was computed from (opaque here: the orchestrator's manifest and input listing,
// inputs/key_notes.h), and the key each task ("svc#task") last had in this cache. Local only:
// no remote store keeps it, since it describes this machine's history, not shared results.
// Written as a side effect of Store::get and Store::put when they are given the task's label
// (local_store.h says when the writes land).
//
// Contracts: failures are values (an environment error for a cache that cannot be read);
// "nothing" is the ordinary answer for a key or task never seen. Thread-safe.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "graph/support/error.h"

namespace ripple::cache {

class KeyHistory {
 public:
  virtual ~KeyHistory() = default;

  // The notes stored with `key`, or nothing.
  virtual Result<std::optional<std::string>> notes(const std::string& key) = 0;
  // The key `task` last had in this cache (stored or hit), or nothing.
  virtual Result<std::optional<std::string>> latest_key(const std::string& task) = 0;
  // Every stored key with notes that starts with `prefix`, at most `limit` of them, in order.
  virtual Result<std::vector<std::string>> keys_with_prefix(const std::string& prefix,
                                                            std::size_t limit) = 0;
};

}  // namespace ripple::cache
