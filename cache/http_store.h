#pragma once

// A remote cache over HTTP (docs/remote-cache.md): Bazel's HTTP cache protocol, as bazel-remote,
// nginx with WebDAV and other servers speak it, or Turborepo's remote cache API. Either way an
// entry is an encoded ActionRecord (REAPI ActionResult bytes) under its task key and a blob is its
// raw bytes under its SHA-256; where each lives and which headers go with it is the protocol's
// (remote_protocol.h), everything else is this store's. Every 2xx is success, 404 a miss.
//
// Behaviour:
// - Lookups: get() asks for the entry, then checks that every blob it names is on the server
//   (HEAD): an entry whose blobs were evicted is a miss, never a broken restore. prefetch() asks
//   for many entries at once (HttpClient::get_all) and keeps the answers for get() and has(),
//   then the small blobs (up to kInlineBlobMax each) those entries name, up to
//   kPrefetchBlobBytes in all, for fetch_into().
// - Blobs are checked against their digest as they are downloaded (fetch_into, open_blob).
// - put() queues an upload (upload_queue.h) and returns: the blobs the server lacks first, the
//   entry last, so that an entry is never visible before its blobs. flush() waits for the queue
//   up to `upload_wait`.
// - Trouble: a transport failure, a 5xx, or bytes that fail their digest disable the store for
//   the rest of the run with one warning naming the URL and the status; every call then answers
//   `unavailable` at once. 401/403 does the same with a message about credentials. A 413 on an
//   upload is warned about once, naming the server's body-size limit, and only that entry is
//   dropped. Nothing here ever fails a task.
// - Signing (optional): entries are signed and checked with a shared secret (entry_signature.h);
//   an entry unsigned or signed otherwise is a miss, warned about once, never restored.
// - Secrets: messages show `shown_url` (the password masked), never headers or tokens.
// Thread-safe.

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "cache/entry_blobs.h"
#include "cache/http_client.h"
#include "cache/remote_protocol.h"
#include "cache/store.h"
#include "cache/upload_queue.h"

namespace ripple::cache {

// The most bytes of small blobs prefetch() holds in memory until their tasks take them.
inline constexpr std::uint64_t kPrefetchBlobBytes = std::uint64_t{256} << 20;

struct RemoteOptions {
  std::string url;        // the base, instance included, no trailing '/', no credentials
  std::string shown_url;  // for messages
  RemoteProtocol protocol;
  HttpOptions http;
  bool read = true;
  bool write = true;
  // Where blobs are gathered for uploads and downloads when no local store does it: a directory
  // the store owns (made when needed, removed when the store goes).
  std::string staging_dir;
  std::chrono::milliseconds upload_wait{60000};
  // When set, entries are signed with it on upload and only entries signed with it are taken
  // (entry_signature.h); any other is a miss, warned about once.
  std::optional<std::string> signing_key;
  std::function<void(const std::string&)> on_warning;
};

// What the remote did in a run, for the run's footer and summary.
struct RemoteCounts {
  std::uint64_t hits = 0;
  std::uint64_t misses = 0;
  std::uint64_t uploads = 0;  // entries stored
  std::uint64_t bytes_down = 0;
  std::uint64_t bytes_up = 0;
  std::map<std::string, std::uint64_t> errors;  // "HTTP 500", "timeout", ... → how many
  bool disabled = false;
};

class HttpStore final : public Store, private BlobSpill {
 public:
  explicit HttpStore(RemoteOptions options);
  ~HttpStore() override;

  Fetched<Hit> get(const std::string& key, const std::string& task = {}) override;
  bool has(const std::string& key) override;
  // Downloads the blob into the staging directory and hands out a reader of it.
  Fetched<BlobReader> open_blob(const BlobDigest& digest) override;
  Fetched<std::vector<BlobDigest>> find_missing(std::span<const BlobDigest> digests) override;
  EntryBlobs entry_blobs() override { return EntryBlobs(*this); }
  Status put(const std::string& key, const ActionRecord& record, EntryBlobs blobs,
             const std::string& task = {}, const std::string& notes = {}) override;
  void flush() override;
  void prefetch(std::span<const std::string> keys) override;

  // The entry alone, its blobs not checked: for a caller that downloads them all next
  // (tiered_store.h), where a missing blob is a miss all the same.
  Fetched<ActionRecord> get_entry(const std::string& key);
  // The blob, downloaded into `into` (a blob file of whatever store gathers it), checked against
  // its digest.
  Fetched<BlobDigest> fetch_into(const BlobDigest& digest, EntryBlobs& into);
  // The bytes of `digest` when prefetch() brought them and they match it; nothing otherwise (a
  // mismatch turns the store off as a damaged download does).
  std::optional<std::string> take_prefetched(const BlobDigest& digest);
  // Queues the upload of an entry whose blobs `blobs` holds (copied now: the caller may hand
  // `blobs` on to another store). Nothing when the store does not write.
  void upload(const std::string& key, const ActionRecord& record, const EntryBlobs& blobs);

  bool readable() const { return options_.read && !disabled_.load(); }
  bool writable() const { return options_.write && !disabled_.load(); }
  RemoteCounts counts();
  // Counts a hit or a miss of a caller that checked the blobs itself (tiered_store.h).
  void hit();
  Failure missed();
  const std::string& shown_url() const { return options_.shown_url; }

 private:
  // BlobSpill, over the staging directory.
  bool stopped() const override { return disabled_.load(); }
  const BlobFiles& blob_files() const override;
  Result<std::optional<BlobDigest>> written(const BlobFiles::Written& written) override;

  // The Failure for an answer that is neither 2xx nor 404; disables the store where the
  // answer says the server cannot be used (above).
  Failure trouble(const HttpResponse& r, const std::string& what);
  void count(const HttpResponse& r);
  void prefetch_blobs();
  // The entry `bytes` answered for `key`: its signature checked (when signing) and decoded.
  struct RefusedEntry {
    bool signature = false;  // unsigned or signed with another key; else not an ActionResult
    std::string message;
  };
  tl::expected<ActionRecord, RefusedEntry> open_entry(const std::string& key,
                                                      std::string_view bytes) const;
  std::string ac_url(const std::string& key) const {
    return options_.protocol.entry_url(options_.url, key);
  }
  std::string cas_url(const std::string& hash) const {
    return options_.protocol.blob_url(options_.url, hash);
  }

  RemoteOptions options_;
  HttpClient client_;
  std::atomic<bool> disabled_{false};
  std::atomic<bool> warned_too_large_{false};
  std::atomic<bool> warned_unsigned_{false};
  // Made on first use (a remote-only run's blobs, a download to stream): most runs never need it.
  mutable std::once_flag staging_made_;
  mutable std::unique_ptr<BlobFiles> staging_;
  std::mutex mutex_;                                              // guards prefetched_ and counts_
  std::map<std::string, std::optional<std::string>> prefetched_;  // key → entry bytes, or none
  std::map<std::string, std::string> prefetched_blobs_;           // hash → bytes, unchecked
  RemoteCounts counts_;
  std::unique_ptr<UploadQueue> uploads_;  // last: its threads use the members above
};

}  // namespace ripple::cache
