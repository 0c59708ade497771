// The remote cache over Turborepo's remote cache API, against a real turborepo-remote-cache (from
// npm, tests/servers/turborepo-remote-cache) started by each test on 127.0.0.1 with local storage
// and a token: the scenario of remote_cache_e2e_test.cc through the second protocol.

#include <catch2/catch.hpp>

#include "tests/e2e/remote_cache_scenario.h"
#include "tests/support/turbo_cache_server.h"

using namespace ripple::testing;

namespace {

// The cache.remote block for `server` through the turbo+ scheme, with its token from TURBO_TOKEN.
std::string turbo_remote(const TurboCacheServer& server, const std::string& more = "") {
  return "{ url: 'turbo+http://127.0.0.1:" + std::to_string(server.port()) +
         "', token_env: TURBO_TOKEN" + more + " }";
}

}  // namespace

TEST_CASE(
    "remote cache turbo: runner B, a fresh clone with an empty local cache, restores runner A's "
    "results from turborepo-remote-cache byte for byte, with a token") {
  TurboCacheServer server;
  GitRepo repo;
  write_workspace(repo, turbo_remote(server, ", team: team_ripple"));
  const std::string token = "TURBO_TOKEN=" + server.token();
  Runner a(repo);
  auto first = a.ripple("run build --all", token);
  INFO(first.err);
  INFO(server.log());
  REQUIRE(first.exit_code == 0);
  CHECK_THAT(first.err,
             Catch::Contains("Remote cache turbo+http://127.0.0.1:" +
                             std::to_string(server.port()) + "/: 0 hits, 3 misses, 3 uploaded"));
  CHECK(count_of(first.err, "warning") == 0);
  CHECK(first.err.find(server.token()) == std::string::npos);
  // The entries and every blob they name are artifacts of the team, named apart.
  const auto files = server.files();
  CHECK(count_prefix(files, "team_ripple/ac-") == 3);
  CHECK(count_prefix(files, "team_ripple/cas-") >= 4);
  CHECK(count_prefix(files, "team_ripple/") == files.size());

  Runner b(repo);
  auto second =
      b.ripple("run build --all --summary " + shell_quote(b.dir.path() + "/s.json"), token);
  INFO(second.err);
  REQUIRE(second.exit_code == 0);
  CHECK_THAT(second.err, Catch::Contains("3 cached (3 remote), 0 ran"));
  CHECK_THAT(second.err, Catch::Contains("3 hits, 0 misses, 0 uploaded"));
  CHECK_THAT(second.err, Catch::Contains("built api"));  // the log replayed
  auto sources = summary_sources(b.dir.path() + "/s.json");
  CHECK(sources["lib#build"] == "cached/REMOTE");
  CHECK(sources["api#build"] == "cached/REMOTE");
  CHECK(sources["web#build"] == "cached/REMOTE");
  const std::string want = outputs_of(a.path());
  CHECK(count_of(want, "\n") == 9);
  CHECK(outputs_of(b.path()) == want);  // bytes and modes
}

TEST_CASE(
    "remote cache turbo: protocol turbo on an http URL sends the slug, and another team's "
    "runner shares nothing") {
  TurboCacheServer server;
  GitRepo repo;
  write_workspace(repo, "{ url: '" + server.url() +
                            "', protocol: turbo, slug: web-team, token_env: TURBO_TOKEN }");
  const std::string token = "TURBO_TOKEN=" + server.token();
  Runner a(repo);
  auto first = a.ripple("run build --all", token);
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  CHECK(count_prefix(server.files(), "web-team/ac-") == 3);

  // The same server, the same tasks, another team: a cache of its own.
  repo.write("ripple.yaml",
             "services: [s/*]\ntasks:\n  build: { run: 'sh build.sh', deps: "
             "['^build'], outputs: ['dist/**'] }\ncache:\n  remote: " +
                 turbo_remote(server, ", team: other") + "\n");
  repo.commit("another team");
  Runner b(repo);
  auto second = b.ripple("run build --all", token);
  INFO(second.err);
  REQUIRE(second.exit_code == 0);
  CHECK_THAT(second.err, Catch::Contains("0 hits, 3 misses, 3 uploaded"));
  CHECK(count_prefix(server.files(), "other/ac-") == 3);
}

TEST_CASE(
    "remote cache turbo: a refused token costs one warning naming HTTP 401, a missing one names "
    "the token and the team, and the build succeeds") {
  TurboCacheServer server;
  GitRepo repo;
  write_workspace(repo, turbo_remote(server, ", team: t"));
  Runner a(repo);
  SECTION("a wrong token") {
    auto run = a.ripple("run build --all", "TURBO_TOKEN=wrong-token");
    INFO(run.err);
    CHECK(run.exit_code == 0);
    CHECK(count_of(run.err, "warning") == 1);
    CHECK_THAT(run.err, Catch::Contains("HTTP 401: the server refused the credentials"));
    CHECK_THAT(run.err, Catch::Contains("3 ran, 0 failed"));
    CHECK(run.err.find("wrong-token") == std::string::npos);
  }
  SECTION("no token") {
    auto run = a.ripple("run build --all");
    INFO(run.err);
    CHECK(run.exit_code == 0);
    // One warning that the variable is unset, one that the server refused.
    CHECK(count_of(run.err, "warning") == 2);
    CHECK_THAT(run.err, Catch::Contains("TURBO_TOKEN, which is not set"));
    CHECK_THAT(run.err, Catch::Contains("HTTP 400: the server refused the request"));
    CHECK_THAT(run.err, Catch::Contains("cache.remote.team or cache.remote.slug"));
    CHECK_THAT(run.err, Catch::Contains("3 ran, 0 failed"));
  }
  CHECK(server.files().empty());
  CHECK(server.requests("PUT") == 0);
}

TEST_CASE(
    "remote cache turbo: read-only runs upload nothing: --remote-read-only and mode "
    "read-only") {
  TurboCacheServer server;
  GitRepo repo;
  const std::string token = "TURBO_TOKEN=" + server.token();
  SECTION("--remote-read-only") {
    write_workspace(repo, turbo_remote(server, ", team: t"));
    Runner a(repo);
    auto run = a.ripple("run build --all --remote-read-only", token);
    INFO(run.err);
    REQUIRE(run.exit_code == 0);
    CHECK_THAT(run.err, Catch::Contains("0 hits, 3 misses, 0 uploaded"));
  }
  SECTION("mode: read-only") {
    write_workspace(repo, turbo_remote(server, ", team: t, mode: read-only"));
    Runner a(repo);
    auto run = a.ripple("run build --all", token);
    INFO(run.err);
    REQUIRE(run.exit_code == 0);
    CHECK_THAT(run.err, Catch::Contains("0 hits, 3 misses, 0 uploaded"));
  }
  CHECK(server.requests("GET") > 0);  // it did ask
  CHECK(server.requests("PUT") == 0);
  CHECK(server.files().empty());
}

TEST_CASE(
    "remote cache turbo: bytes that do not match their digest are refused, never restored, and "
    "the task runs") {
  TurboCacheServer server;
  GitRepo repo;
  write_workspace(repo, turbo_remote(server, ", team: t"));
  const std::string token = "TURBO_TOKEN=" + server.token();
  Runner a(repo);
  REQUIRE(a.ripple("run build --all", token).exit_code == 0);
  REQUIRE(flip_bytes(server.storage() + "/t", "cas-*", 0, 100000) == 0);
  Runner b(repo);
  auto run = b.ripple("run build --all", token);
  INFO(run.err);
  CHECK(run.exit_code == 0);
  CHECK_THAT(run.err, Catch::Contains("do not match"));
  CHECK_THAT(run.err, Catch::Contains("0 cached, 3 ran"));
  CHECK(outputs_of(b.path()) == outputs_of(a.path()));
}

TEST_CASE(
    "remote cache turbo: a body over the server's BODY_LIMIT is named in one warning, and no "
    "entry names a refused blob") {
  TurboServerOptions options;
  options.body_limit = 100000;
  TurboCacheServer server(options);
  GitRepo repo;
  write_workspace(repo, turbo_remote(server, ", team: t"));
  Runner a(repo);
  auto run = a.ripple("run build --all", "TURBO_TOKEN=" + server.token());
  INFO(run.err);
  CHECK(run.exit_code == 0);
  CHECK(count_of(run.err, "warning") == 1);
  CHECK_THAT(run.err, Catch::Contains("HTTP 413"));
  CHECK_THAT(run.err, Catch::Contains("turborepo-remote-cache: BODY_LIMIT"));
  CHECK(count_prefix(server.files(), "t/ac-") == 0);
}

TEST_CASE(
    "remote cache turbo: a protocol, team or instance that does not fit the URL is a clear "
    "error") {
  GitRepo repo;
  repo.write("s/a/service.yaml", "");
  auto with_remote = [&](const std::string& remote) {
    repo.write("ripple.yaml",
               "services: [s/*]\ntasks:\n  build: { run: 'true' }\ncache:\n"
               "  remote: " +
                   remote + "\n");
    repo.commit("remote");
    return repo.ripple("run build --all");
  };
  auto bazel = with_remote("{ url: 'turbo+http://cache:3000', protocol: bazel }");
  CHECK(bazel.exit_code == 2);
  CHECK_THAT(bazel.err,
             Catch::Contains("ripple.yaml:5: cache.remote.protocol: bazel, but the URL"));
  auto team = with_remote("{ url: 'http://cache:8080', team: t }");
  CHECK(team.exit_code == 2);
  CHECK_THAT(team.err, Catch::Contains("cache.remote.team: a team is for Turborepo"));
  auto instance = with_remote("{ url: 'turbo+https://cache', instance: main }");
  CHECK(instance.exit_code == 2);
  CHECK_THAT(instance.err, Catch::Contains("keeps caches apart by team"));
  auto unknown = with_remote("{ url: 'http://cache', protocol: grpc }");
  CHECK(unknown.exit_code == 2);
  CHECK_THAT(unknown.err, Catch::Contains("'protocol' must be bazel"));
  auto password = with_remote("{ url: 'turbo+https://ci:pa55word@cache', protocol: bazel }");
  CHECK(password.exit_code == 2);
  CHECK_THAT(password.err, Catch::Contains("turbo+https://ci:***@cache/"));
  CHECK(password.err.find("pa55word") == std::string::npos);
}

TEST_CASE(
    "remote cache turbo: cache doctor speaks the Turborepo API: reach, a write read back, its "
    "status page, a refused token") {
  TurboCacheServer server;
  GitRepo repo;
  write_workspace(repo, turbo_remote(server, ", team: t"));
  auto good = repo.ripple_with_env("TURBO_TOKEN=" + server.token(), "cache doctor");
  INFO(good.out + good.err);
  CHECK(good.exit_code == 0);
  CHECK_THAT(good.out,
             Catch::Contains("remote cache turbo+http://127.0.0.1:" +
                             std::to_string(server.port()) + "/ (Turborepo remote cache API)"));
  CHECK_THAT(good.out, Catch::Contains("reach: ok — HEAD /v8/artifacts/cas-e3b0c44298fc…"));
  CHECK_THAT(good.out, Catch::Contains("write: ok — PUT /v8/artifacts/cas-e3b0c44298fc… "
                                       "answered HTTP 200"));
  CHECK_THAT(good.out, Catch::Contains("read back 0 bytes"));
  CHECK_THAT(good.out, Catch::Contains("status page: ok — /v8/artifacts/status?teamId=t: "
                                       "{\"status\":\"enabled\""));
  CHECK(good.out.find(server.token()) == std::string::npos);

  auto refused = repo.ripple_with_env("TURBO_TOKEN=wrong", "cache doctor");
  CHECK(refused.exit_code == 3);
  CHECK_THAT(refused.out, Catch::Contains("reach: FAILED — HEAD /v8/artifacts/cas-e3b0c44298fc… "
                                          "answered HTTP 401"));
}
