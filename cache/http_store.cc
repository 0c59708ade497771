#include "cache/http_store.h"

#include <boost/filesystem.hpp>
#include <set>

#include "cache/entry_signature.h"

namespace ripple::cache {
namespace {

std::string mebibytes(std::int64_t bytes) {
  return std::to_string((bytes + (1 << 20) - 1) >> 20) + " MiB";
}

}  // namespace

HttpStore::HttpStore(RemoteOptions options)
    : options_(std::move(options)),
      client_(options_.http),
      uploads_(options_.write ? std::make_unique<UploadQueue>(
                                    std::max(1, std::min(4, options_.http.max_connections)))
                              : nullptr) {}

HttpStore::~HttpStore() {
  flush();
  uploads_.reset();
  if (staging_) {
    boost::system::error_code ec;
    boost::filesystem::remove_all(options_.staging_dir, ec);
  }
}

const BlobFiles& HttpStore::blob_files() const {
  std::call_once(staging_made_, [this] {
    boost::system::error_code ec;
    boost::filesystem::create_directories(options_.staging_dir, ec);
    staging_ = std::make_unique<BlobFiles>(options_.staging_dir);
  });
  return *staging_;
}

Result<std::optional<BlobDigest>> HttpStore::written(const BlobFiles::Written& written) {
  if (written) {
    return std::optional<BlobDigest>(*written);
  }
  return tl::unexpected(written.error().error);
}

void HttpStore::count(const HttpResponse& r) {
  std::lock_guard lock(mutex_);
  counts_.bytes_down += r.bytes_down;
  counts_.bytes_up += r.bytes_up;
  if (r.status == 0) {
    ++counts_.errors["no answer"];
  } else if (!r.ok() && r.status != 404) {
    ++counts_.errors["HTTP " + std::to_string(r.status)];
  }
}

Failure HttpStore::trouble(const HttpResponse& r, const std::string& what) {
  const bool denied = r.status == 401 || r.status == 403;
  std::string why;
  if (r.status == 0) {
    why = r.error;
  } else if (denied) {
    why = "HTTP " + std::to_string(r.status) +
          ": the server refused the credentials; check cache.remote.token_env, its headers and "
          "the user:password in its URL";
  } else {
    why = "HTTP " + std::to_string(r.status);
    if (std::string more = options_.protocol.explain(r.status); !more.empty()) {
      why += ": " + more;
    }
  }
  if (!disabled_.exchange(true) && options_.on_warning) {
    options_.on_warning("remote cache " + options_.shown_url + ": " + what + ": " + why +
                        "; going on without it for the rest of this run");
  }
  {
    std::lock_guard lock(mutex_);
    counts_.disabled = true;
  }
  return Failure{denied ? Failure::Kind::denied : Failure::Kind::unavailable, why};
}

void HttpStore::prefetch(std::span<const std::string> keys) {
  if (!readable() || keys.empty()) {
    return;
  }
  std::vector<std::string> urls;
  urls.reserve(keys.size());
  for (const std::string& k : keys) {
    urls.push_back(ac_url(k));
  }
  std::vector<HttpResponse> answers = client_.get_all(urls);
  for (std::size_t i = 0; i < answers.size(); ++i) {
    HttpResponse& r = answers[i];
    count(r);
    if (r.ok() || r.status == 404) {
      std::lock_guard lock(mutex_);
      prefetched_[keys[i]] =
          r.ok() ? std::optional<std::string>(std::move(r.body)) : std::optional<std::string>();
    } else {
      trouble(r, "looking up " + std::to_string(keys.size()) + " entries");
      return;
    }
  }
  prefetch_blobs();
}

void HttpStore::prefetch_blobs() {
  // The small blobs of every entry found, at once: a fully cached run then costs transfers, not
  // a round trip per blob per task. Checked against their digests when taken (fetch_into).
  std::vector<BlobDigest> wanted;
  {
    std::lock_guard lock(mutex_);
    std::set<std::string> seen;
    std::uint64_t bytes = 0;
    for (const auto& [key, entry] : prefetched_) {
      if (!entry) {
        continue;
      }
      auto record = open_entry(key, *entry);
      if (!record) {
        continue;  // refused when looked up
      }
      for (const BlobDigest& d : named_blobs(*record)) {
        const auto size = static_cast<std::uint64_t>(d.size);
        if (d.size > 0 && size <= kInlineBlobMax && bytes + size <= kPrefetchBlobBytes &&
            seen.insert(d.hash).second) {
          bytes += size;
          wanted.push_back(d);
        }
      }
    }
  }
  std::vector<std::string> urls;
  urls.reserve(wanted.size());
  for (const BlobDigest& d : wanted) {
    urls.push_back(cas_url(d.hash));
  }
  std::vector<HttpResponse> answers = client_.get_all(urls);
  for (std::size_t i = 0; i < answers.size(); ++i) {
    HttpResponse& r = answers[i];
    count(r);
    if (r.ok()) {
      std::lock_guard lock(mutex_);
      prefetched_blobs_[wanted[i].hash] = std::move(r.body);
    } else if (r.status != 404) {
      trouble(r, "downloading " + std::to_string(wanted.size()) + " blobs");
      return;
    }
  }
}

Fetched<ActionRecord> HttpStore::get_entry(const std::string& key) {
  if (!readable()) {
    return tl::unexpected(Failure{Failure::Kind::unavailable, "remote cache off"});
  }
  std::optional<std::string> bytes;
  bool known = false;
  {
    std::lock_guard lock(mutex_);
    if (auto it = prefetched_.find(key); it != prefetched_.end()) {
      known = true;
      bytes = std::move(it->second);
      prefetched_.erase(it);
    }
  }
  if (!known) {
    HttpResponse r = client_.get(ac_url(key));
    count(r);
    if (r.ok()) {
      bytes = std::move(r.body);
    } else if (r.status != 404) {
      return tl::unexpected(trouble(r, "looking up " + key));
    }
  }
  if (!bytes) {
    return tl::unexpected(missed());
  }
  auto record = open_entry(key, *bytes);
  if (!record && record.error().signature) {
    if (!warned_unsigned_.exchange(true) && options_.on_warning) {
      options_.on_warning("remote cache " + options_.shown_url + ": " + record.error().message +
                          "; refused (a miss), as every such entry will be in this run");
    }
    return tl::unexpected(missed());
  }
  if (!record) {
    HttpResponse bad;
    bad.error = record.error().message;
    Failure f = trouble(bad, "looking up " + key);
    f.kind = Failure::Kind::corrupt;
    return tl::unexpected(f);
  }
  return std::move(*record);
}

tl::expected<ActionRecord, HttpStore::RefusedEntry> HttpStore::open_entry(
    const std::string& key, std::string_view bytes) const {
  if (options_.signing_key) {
    auto checked = verify_entry(key, bytes, *options_.signing_key);
    if (!checked) {
      return tl::unexpected(RefusedEntry{true, checked.error().message});
    }
    bytes = *checked;
  }
  auto record = decode_action(bytes);
  if (!record) {
    return tl::unexpected(RefusedEntry{false, "its entry for " + key + " is not an ActionResult"});
  }
  return std::move(*record);
}

Failure HttpStore::missed() {
  std::lock_guard lock(mutex_);
  ++counts_.misses;
  return Failure::miss();
}

void HttpStore::hit() {
  std::lock_guard lock(mutex_);
  ++counts_.hits;
}

Fetched<Hit> HttpStore::get(const std::string& key, const std::string& task) {
  (void)task;  // the remote keeps no history
  auto record = get_entry(key);
  if (!record) {
    return tl::unexpected(record.error());
  }
  // An entry whose blobs the server evicted is a miss, not a broken restore.
  auto missing = find_missing(named_blobs(*record));
  if (!missing) {
    return tl::unexpected(missing.error());
  }
  if (!missing->empty()) {
    return tl::unexpected(missed());
  }
  hit();
  return Hit{std::move(*record), Tier::remote, {}};
}

bool HttpStore::has(const std::string& key) {
  if (!readable()) {
    return false;
  }
  {
    std::lock_guard lock(mutex_);
    if (auto it = prefetched_.find(key); it != prefetched_.end()) {
      return it->second.has_value();
    }
  }
  HttpResponse r = client_.head(ac_url(key));
  count(r);
  if (!r.ok() && r.status != 404) {
    trouble(r, "looking up " + key);
  }
  return r.ok();
}

Fetched<std::vector<BlobDigest>> HttpStore::find_missing(std::span<const BlobDigest> digests) {
  if (disabled_.load()) {
    return tl::unexpected(Failure{Failure::Kind::unavailable, "remote cache off"});
  }
  std::vector<BlobDigest> missing;
  for (const BlobDigest& d : digests) {
    HttpResponse r = client_.head(cas_url(d.hash));
    count(r);
    if (r.status == 404) {
      missing.push_back(d);
    } else if (!r.ok()) {
      return tl::unexpected(trouble(r, "checking blob " + d.hash));
    }
  }
  return missing;
}

Fetched<BlobDigest> HttpStore::fetch_into(const BlobDigest& digest, EntryBlobs& into) {
  if (!readable()) {
    return tl::unexpected(Failure{Failure::Kind::unavailable, "remote cache off"});
  }
  if (digest.size == 0 && digest == digest_of("")) {
    // Every store has the empty blob: no request (a task's empty stderr, an empty output).
    auto added = into.add_pushed(digest, [](const EntryBlobs::PieceWriter&) { return Status(); });
    if (!added || !added->has_value()) {
      return tl::unexpected(Failure{Failure::Kind::unavailable, "the store takes no more blobs"});
    }
    return **added;
  }
  std::optional<std::string> fetched;
  {
    std::lock_guard lock(mutex_);
    if (auto it = prefetched_blobs_.find(digest.hash); it != prefetched_blobs_.end()) {
      fetched = std::move(it->second);
      prefetched_blobs_.erase(it);
    }
  }
  HttpResponse r;
  auto added = into.add_pushed(digest, [&](const EntryBlobs::PieceWriter& write) -> Status {
    if (fetched) {
      r.status = 200;
      return write(*fetched);
    }
    r = client_.get_to(cas_url(digest.hash), write);
    if (r.status == 0 && r.error.empty()) {
      r.error = "no answer";
    }
    return r.ok() ? Status() : Status(tl::unexpected(Error{ErrorKind::environment, r.error}));
  });
  if (!fetched) {
    count(r);
  }
  if (r.status == 404) {
    return tl::unexpected(Failure::miss());
  }
  if (!r.ok()) {
    return tl::unexpected(trouble(r, "downloading blob " + digest.hash));
  }
  if (!added) {
    if (added.error().kind == ErrorKind::input) {  // bytes that do not match their digest
      HttpResponse bad;
      bad.error = added.error().message;
      Failure f = trouble(bad, "downloading");
      f.kind = Failure::Kind::corrupt;
      return tl::unexpected(f);
    }
    return tl::unexpected(Failure{Failure::Kind::unavailable, added.error().message});
  }
  if (!added->has_value()) {
    return tl::unexpected(Failure{Failure::Kind::unavailable, "the store takes no more blobs"});
  }
  return **added;
}

std::optional<std::string> HttpStore::take_prefetched(const BlobDigest& digest) {
  std::optional<std::string> bytes;
  {
    std::lock_guard lock(mutex_);
    if (auto it = prefetched_blobs_.find(digest.hash); it != prefetched_blobs_.end()) {
      bytes = std::move(it->second);
      prefetched_blobs_.erase(it);
    }
  }
  if (bytes && !(digest_of(*bytes) == digest)) {
    HttpResponse bad;
    bad.error = "blob " + digest.hash + " arrived with other bytes: its bytes do not match";
    trouble(bad, "downloading");
    return std::nullopt;
  }
  return bytes;
}

Fetched<BlobReader> HttpStore::open_blob(const BlobDigest& digest) {
  EntryBlobs staged(*this);
  auto fetched = fetch_into(digest, staged);
  if (!fetched) {
    return tl::unexpected(fetched.error());
  }
  auto reader = blob_files().open(digest);
  if (!reader) {
    return tl::unexpected(
        Failure{Failure::Kind::unavailable, "staged blob " + digest.hash + " vanished"});
  }
  return std::move(*reader);
}

Status HttpStore::put(const std::string& key, const ActionRecord& record, EntryBlobs blobs,
                      const std::string& task, const std::string& notes) {
  (void)task;
  (void)notes;  // the remote keeps no history
  upload(key, record, blobs);
  return {};
}

void HttpStore::upload(const std::string& key, const ActionRecord& record,
                       const EntryBlobs& blobs) {
  if (!writable() || !uploads_) {
    return;
  }
  auto in_memory = std::make_shared<std::map<std::string, std::string>>();
  for (const std::string& b : blobs.in_memory()) {
    in_memory->emplace(digest_of(b).hash, b);
  }
  const BlobFiles* files = &blobs.spill().blob_files();
  uploads_->add([this, key, record, in_memory, files] {
    if (!writable()) {
      return;
    }
    auto missing = find_missing(named_blobs(record));
    if (!missing) {
      return;
    }
    auto refused = [&](const HttpResponse& r, const std::string& what) {
      if (r.status == 413) {
        if (!warned_too_large_.exchange(true) && options_.on_warning) {
          options_.on_warning("remote cache " + options_.shown_url + ": " + what +
                              " refused as too large (HTTP 413); raise the server's body-size "
                              "limit (" +
                              options_.protocol.body_limit_settings() +
                              "); results with larger outputs are not shared");
        }
      } else {
        trouble(r, what);
      }
    };
    for (const BlobDigest& d : *missing) {
      HttpResponse r;
      if (auto it = in_memory->find(d.hash); it != in_memory->end()) {
        r = client_.put(cas_url(d.hash), it->second, options_.protocol.blob_put_headers());
      } else if (auto reader = files->open(d, false)) {
        r = client_.put(
            cas_url(d.hash), static_cast<std::uint64_t>(d.size),
            [&reader] { return reader->next(); }, options_.protocol.blob_put_headers());
      } else {
        return;  // its file went (a prune): this entry is not shared
      }
      count(r);
      if (!r.ok()) {
        refused(r, "uploading blob " + d.hash + " (" + mebibytes(d.size) + ")");
        return;
      }
    }
    const std::string entry = encode_action(record);
    HttpResponse r = client_.put(
        ac_url(key), options_.signing_key ? sign_entry(key, entry, *options_.signing_key) : entry,
        options_.protocol.entry_put_headers(record));
    count(r);
    if (!r.ok()) {
      refused(r, "uploading entry " + key);
      return;
    }
    std::lock_guard lock(mutex_);
    ++counts_.uploads;
  });
}

void HttpStore::flush() {
  if (!uploads_) {
    return;
  }
  if (std::size_t dropped = uploads_->drain(options_.upload_wait);
      dropped > 0 && options_.on_warning) {
    options_.on_warning("remote cache " + options_.shown_url + ": " + std::to_string(dropped) +
                        " results not uploaded within " +
                        std::to_string(options_.upload_wait.count() / 1000) + " s; dropped");
  }
}

RemoteCounts HttpStore::counts() {
  std::lock_guard lock(mutex_);
  return counts_;
}

}  // namespace ripple::cache
