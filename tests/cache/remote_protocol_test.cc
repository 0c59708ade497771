#include "cache/remote_protocol.h"

#include <catch2/catch.hpp>

using ripple::cache::ActionRecord;
using ripple::cache::RemoteProtocol;

TEST_CASE("remote protocol bazel: entries under /ac/, blobs under /cas/, no extra headers") {
  RemoteProtocol bazel;
  CHECK(bazel.entry_url("http://c/x", "k1") == "http://c/x/ac/k1");
  CHECK(bazel.blob_url("http://c/x", "h1") == "http://c/x/cas/h1");
  ActionRecord record;
  record.start_ns = 0;
  record.end_ns = 2'000'000'000;
  CHECK(bazel.entry_put_headers(record).empty());
  CHECK(bazel.blob_put_headers().empty());
  CHECK(bazel.explain(400).empty());
  CHECK(bazel.status_url("http://c:1/x/y") == "http://c:1/status");
  CHECK(bazel.status_url("http://c:1") == "http://c:1/status");
  CHECK(bazel.name() == "Bazel HTTP protocol");
}

TEST_CASE(
    "remote protocol turbo: artifacts named apart by ac- and cas-, with the team, the content "
    "type and the task's duration") {
  RemoteProtocol turbo;
  turbo.kind = RemoteProtocol::Kind::turbo;
  CHECK(turbo.entry_url("http://c", "k1") == "http://c/v8/artifacts/ac-k1");
  CHECK(turbo.blob_url("http://c", "h1") == "http://c/v8/artifacts/cas-h1");
  turbo.team_id = "team_1";
  CHECK(turbo.entry_url("http://c", "k1") == "http://c/v8/artifacts/ac-k1?teamId=team_1");
  turbo.slug = "web";
  CHECK(turbo.blob_url("http://c", "h1") == "http://c/v8/artifacts/cas-h1?teamId=team_1&slug=web");
  turbo.team_id.clear();
  CHECK(turbo.entry_url("http://c", "k1") == "http://c/v8/artifacts/ac-k1?slug=web");

  // The same 64 hex digits as a key and as a blob hash name two artifacts.
  const std::string same(64, 'a');
  CHECK(turbo.entry_url("http://c", same) != turbo.blob_url("http://c", same));

  ActionRecord record;
  record.start_ns = 5'000'000'000;
  record.end_ns = 6'500'000'000;
  auto headers = turbo.entry_put_headers(record);
  CHECK(headers == std::vector<std::string>{"Content-Type: application/octet-stream",
                                            "x-artifact-duration: 1500"});
  CHECK(turbo.blob_put_headers() ==
        std::vector<std::string>{"Content-Type: application/octet-stream"});
  CHECK_THAT(turbo.body_limit_settings(), Catch::Contains("BODY_LIMIT"));
  CHECK_THAT(turbo.explain(400), Catch::Contains("cache.remote.team"));
  CHECK(turbo.status_url("http://c/p") == "http://c/p/v8/artifacts/status?slug=web");
  CHECK(turbo.name() == "Turborepo remote cache API");
}
