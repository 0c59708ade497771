#pragma once

// The blobs of one entry on their way into a store (store.h), gathered before Store::put():
// small ones in memory, large ones written at once to the blob files of the store that will
// keep them (blob_files.h), so that storing holds at most kEntryInlineMax of an entry's small
// blobs and one chunk of a large one in memory, whatever the outputs' sizes (local_store.h).
// Not thread-safe; one per entry.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cache/action_record.h"
#include "cache/blob_files.h"
#include "graph/support/error.h"

namespace ripple::cache {

inline constexpr std::size_t kInlineBlobMax = std::size_t{1} << 20;
inline constexpr std::uint64_t kEntryInlineMax = std::uint64_t{16} << 20;

// Where a store keeps the large blobs of entries being gathered. Implemented by each store that
// takes puts; must outlive the EntryBlobs it hands out.
class BlobSpill {
 public:
  virtual ~BlobSpill() = default;
  // Whether the store takes no more entries (a run's store that stopped storing, and said why).
  virtual bool stopped() const = 0;
  virtual const BlobFiles& blob_files() const = 0;
  // What writing a blob file came to: its digest; nothing when the store's own disk stopped it
  // (warned about once, by the store); an error for the source's trouble.
  virtual Result<std::optional<BlobDigest>> written(const BlobFiles::Written& written) = 0;
};

class EntryBlobs {
 public:
  explicit EntryBlobs(BlobSpill& spill) : spill_(&spill) {}

  // The output file at `path` (a regular file, never through a symlink at its last component),
  // read in chunks and hashed as it is read: its digest. Nothing when the store stores nothing
  // more; an environment error when the file cannot be read.
  Result<std::optional<BlobDigest>> add_file(const std::string& path);
  // Bytes already in memory (a task's log): the same rule.
  Result<std::optional<BlobDigest>> add(std::string bytes);
  // A blob read from another store, checked against `digest` as it is copied: always to a blob
  // file. Nothing when the store stores no more; an error (corrupt or unreadable) otherwise.
  Result<std::optional<BlobDigest>> add_reader(BlobReader reader, const BlobDigest& digest);

  // A blob pushed in pieces (a download): `produce` hands each piece to the writer it is given
  // and returns the first error of either. Always to a blob file, checked against `digest`:
  // bytes that do not match are an error (kind input) and leave nothing behind.
  using PieceWriter = std::function<Status(std::string_view)>;
  Result<std::optional<BlobDigest>> add_pushed(
      const BlobDigest& digest, const std::function<Status(const PieceWriter&)>& produce);

  // The small blobs held in memory (each named by the digest of its bytes).
  const std::vector<std::string>& in_memory() const { return inline_; }
  std::uint64_t in_memory_bytes() const { return inline_bytes_; }
  // Writes the small blobs to blob files too; the same results as add().
  Status spill_in_memory();
  const BlobSpill& spill() const { return *spill_; }

 private:
  BlobSpill* spill_;
  std::vector<std::string> inline_;
  std::uint64_t inline_bytes_ = 0;
};

}  // namespace ripple::cache
