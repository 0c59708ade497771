#include "cache/remote_protocol.h"

#include <algorithm>
#include <cstdint>

namespace ripple::cache {
namespace {

// The team parameters of a turbo request, with the '?' when there are any.
std::string team_query(const RemoteProtocol& p) {
  std::string q;
  if (!p.team_id.empty()) {
    q += "teamId=" + p.team_id;
  }
  if (!p.slug.empty()) {
    q += (q.empty() ? "" : "&") + std::string("slug=") + p.slug;
  }
  return q.empty() ? q : "?" + q;
}

}  // namespace

std::string RemoteProtocol::entry_url(const std::string& base, const std::string& key) const {
  if (kind == Kind::turbo) {
    return base + "/v8/artifacts/ac-" + key + team_query(*this);
  }
  return base + "/ac/" + key;
}

std::string RemoteProtocol::blob_url(const std::string& base, const std::string& hash) const {
  if (kind == Kind::turbo) {
    return base + "/v8/artifacts/cas-" + hash + team_query(*this);
  }
  return base + "/cas/" + hash;
}

std::string RemoteProtocol::status_url(const std::string& base) const {
  if (kind == Kind::turbo) {
    return base + "/v8/artifacts/status" + team_query(*this);
  }
  return base.substr(0, base.find('/', base.find("//") + 2)) + "/status";
}

std::string RemoteProtocol::name() const {
  return kind == Kind::turbo ? "Turborepo remote cache API" : "Bazel HTTP protocol";
}

std::vector<std::string> RemoteProtocol::entry_put_headers(const ActionRecord& record) const {
  if (kind != Kind::turbo) {
    return {};
  }
  const std::int64_t ms = std::max<std::int64_t>(0, (record.end_ns - record.start_ns) / 1'000'000);
  return {"Content-Type: application/octet-stream", "x-artifact-duration: " + std::to_string(ms)};
}

std::vector<std::string> RemoteProtocol::blob_put_headers() const {
  if (kind != Kind::turbo) {
    return {};
  }
  return {"Content-Type: application/octet-stream"};
}

std::string RemoteProtocol::body_limit_settings() const {
  if (kind == Kind::turbo) {
    return "turborepo-remote-cache: BODY_LIMIT, 100 MiB by default";
  }
  return "nginx: client_max_body_size; bazel-remote: --max_blob_size";
}

std::string RemoteProtocol::explain(long status) const {
  if (kind == Kind::turbo && status == 400) {
    return "the server refused the request; turborepo-remote-cache answers 400 to a request "
           "without a token or without a team: check cache.remote.token_env and set "
           "cache.remote.team or cache.remote.slug";
  }
  return {};
}

}  // namespace ripple::cache
