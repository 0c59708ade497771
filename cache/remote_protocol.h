#pragma once

// What differs between the HTTP cache protocols the remote store speaks (http_store.h), so that
// one store keeps one behaviour (prefetch, integrity, tiering, trouble, counts, uploads) and asks
// this description only for names and headers (docs/remote-cache.md):
//
// - bazel: Bazel's HTTP cache protocol (bazel-remote, nginx WebDAV):
//     {base}/ac/<task key>    {base}/cas/<sha256>
//   and no extra headers.
// - turbo: Turborepo's remote cache API (Vercel, turborepo-remote-cache):
//     {base}/v8/artifacts/ac-<task key>?teamId=<team>&slug=<slug>
//     {base}/v8/artifacts/cas-<sha256>?teamId=<team>&slug=<slug>
//   The server keeps one namespace of artifacts per team, and a task key and a blob's hash are
//   both 64 hex digits (equal, if a blob ever holds the bytes a key hashes), so entries and blobs
//   are named apart by a prefix: an entry can never overwrite a blob, nor a blob an entry. Bodies
//   go as application/octet-stream (turborepo-remote-cache refuses any other type with 415); an
//   entry's PUT carries x-artifact-duration, the task's time in milliseconds, as turbo's own
//   client sends it. teamId and slug are sent when set (a personal Vercel token needs neither;
//   turborepo-remote-cache needs one of them).
//
// A value type; thread-safe to share const.

#include <string>
#include <vector>

#include "cache/action_record.h"

namespace ripple::cache {

struct RemoteProtocol {
  enum class Kind { bazel, turbo };
  Kind kind = Kind::bazel;
  std::string team_id;  // turbo: ?teamId=, empty for none; URL-safe (checked by the config)
  std::string slug;     // turbo: ?slug=, empty for none; URL-safe (checked by the config)

  // Where the entry of `key` and the blob `hash` live, below `base` (no trailing '/').
  std::string entry_url(const std::string& base, const std::string& key) const;
  std::string blob_url(const std::string& base, const std::string& hash) const;
  // Where the server says how it is, for `ripple cache doctor`: bazel-remote's /status at the
  // host's root; Turborepo's /v8/artifacts/status.
  std::string status_url(const std::string& base) const;
  // "Bazel HTTP protocol" or "Turborepo remote cache API", for messages.
  std::string name() const;
  // Headers for the PUT of `record` as an entry, and of a blob.
  std::vector<std::string> entry_put_headers(const ActionRecord& record) const;
  std::vector<std::string> blob_put_headers() const;
  // The server settings that bound a body's size, for a warning about an HTTP 413.
  std::string body_limit_settings() const;
  // What an answer of `status` (not 2xx, not 404) most likely means on this protocol's servers,
  // beyond the status itself; empty when there is nothing to add.
  std::string explain(long status) const;
};

}  // namespace ripple::cache
