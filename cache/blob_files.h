#pragma once

// Large blobs of the local cache (local_store.h), kept as files beside RocksDB:
// <cache dir>/blobs/<first two hex digits>/<sha256>, written and read in chunks of kChunkBytes,
// never whole in memory. Internal to cache/.
//
// Why files rather than RocksDB values: RocksDB takes and hands back a value whole and copies it
// on the way in (storing a 600 MB output peaked at about 4x its size, and aborted under a 2.5 GB
// address-space limit); a full disk is a plain write error here; a damaged file is one blob,
// found by its SHA-256 when read, not a damaged cache. What it costs: large blobs are not
// compressed, and each is a file.
//
// Contracts:
// - Content-addressed and immutable. A blob is written to a fresh temporary in blobs/ (O_EXCL,
//   hashed as it is written), then renamed to its digest's name: a reader sees a whole file or
//   none, and a kill mid-write leaves only a temporary (`.tmp-*`), which
//   remove_stale_temporaries() takes once it is an hour old. Two writers of one blob write the
//   same bytes; the later rename replaces a file with its equal.
// - Checked when read: a BlobReader reports bytes that do not match the digest as an error in
//   place of the end, never the end itself (and, when asked to, removes the damaged file so that
//   a later store writes it again).
// - Not fsync'd, as RocksDB's writes here are not: a crash of the machine may leave a short or
//   empty blob file, which reading reports as damaged (a miss), never as an output.
// Thread-safe: nothing is kept but the directory's path.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cache/action_record.h"
#include "graph/support/error.h"

namespace ripple::cache {

inline constexpr std::size_t kChunkBytes = std::size_t{1} << 20;

// The bytes of one blob, in chunks, checked against its digest as they go. Move-only.
class BlobReader {
 public:
  // Bytes already in memory and already checked: handed out as one chunk.
  static BlobReader of_bytes(std::string bytes);
  // The file at `path`, opened at the first next(), expected to hold `digest`; removed when it
  // does not and `remove_damaged`.
  static BlobReader of_file(std::string path, BlobDigest digest, bool remove_damaged);
  ~BlobReader();
  BlobReader(BlobReader&&) noexcept;
  BlobReader& operator=(BlobReader&&) noexcept;

  // The next bytes (valid until the next call), or an empty view at the end. In place of the
  // end, an environment error when the blob cannot be read or its bytes do not match the digest
  // (the damaged file is then removed).
  Result<std::string_view> next();

 private:
  struct State;
  explicit BlobReader(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

class BlobFiles {
 public:
  explicit BlobFiles(std::string cache_dir);

  // What writing a blob found wrong: the source (reading it failed) or the cache (its disk).
  struct WriteError {
    bool source = false;
    Error error;
  };
  using Written = tl::expected<BlobDigest, WriteError>;

  // Copies everything `fd` reads, to its end, into a blob; `expected_size` (the source's size)
  // is checked against the room on the disk first (cache_dir.h). Nothing is left behind on
  // failure. `source` names the source in errors.
  Written write_from(int fd, std::uint64_t expected_size, const std::string& source) const;
  Written write(std::string_view bytes) const;
  // A blob written in pieces pushed to it (a download): a temporary until finish() names it by
  // its digest; removed when dropped unfinished. Move-only, one thread at a time.
  class Writer {
   public:
    ~Writer();
    Writer(Writer&&) noexcept;
    // A disk error (the cache's, as WriteError::source false).
    Status append(std::string_view bytes);
    Written finish();

   private:
    friend class BlobFiles;
    struct State;
    Writer(const BlobFiles& files, std::unique_ptr<State> state);
    const BlobFiles* files_;
    std::unique_ptr<State> state_;
  };
  tl::expected<Writer, WriteError> begin(std::uint64_t expected_size) const;

  using ChunkSource = std::function<Result<std::string_view>()>;
  // Writes the chunks `next` hands out (an empty one ends them) into a blob; an error from `next`
  // is the source's.
  Written write_chunks(std::uint64_t expected_size, const ChunkSource& next) const;

  // Whether the blob's file is there with the digest's size.
  bool has(const BlobDigest& digest) const;
  // A reader of the blob, or nothing when its file is not there with the digest's size.
  // `remove_damaged`: see BlobReader::of_file.
  std::optional<BlobReader> open(const BlobDigest& digest, bool remove_damaged = true) const;
  void remove(const std::string& hash) const;
  // Every blob file: its name's hash, the file's size and when it was written (temporaries are
  // not blobs).
  struct Listed {
    BlobDigest digest;
    std::int64_t mtime = 0;  // seconds since the epoch
  };
  Result<std::vector<Listed>> list() const;
  void remove_stale_temporaries(std::chrono::seconds age) const;

 private:
  // Empty for a hash that is not 64 lowercase hex digits: never a path.
  std::string path_of(const std::string& hash) const;
  std::string dir_;  // <cache dir>/blobs
  std::string cache_dir_;
};

}  // namespace ripple::cache
