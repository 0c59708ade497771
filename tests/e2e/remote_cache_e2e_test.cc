// The remote cache over Bazel's HTTP protocol, against a real nginx with WebDAV started by each
// test on 127.0.0.1: two runners (two clones, each with its own empty local cache) share work
// through it; trouble with the server never fails a build.

#include <catch2/catch.hpp>

#include "tests/e2e/remote_cache_scenario.h"
#include "tests/support/nginx_dav_server.h"

using namespace ripple::testing;

TEST_CASE(
    "remote cache: runner B, a fresh clone with an empty local cache, restores runner A's "
    "results from nginx byte for byte") {
  NginxDavServer server;
  GitRepo repo;
  write_workspace(repo, "{ url: '" + server.url() + "', instance: team-a }");
  Runner a(repo);
  auto first = a.ripple("run build --all");
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  CHECK_THAT(first.err, Catch::Contains("Remote cache " + server.url() +
                                        "/: 0 hits, 3 misses, 3 "
                                        "uploaded"));
  // The entries and every blob they name are on the server, under the instance.
  const auto files = server.files();
  CHECK(count_prefix(files, "team-a/ac/") == 3);
  CHECK(count_prefix(files, "team-a/cas/") >= 4);

  Runner b(repo);
  auto second = b.ripple("run build --all --summary " + shell_quote(b.dir.path() + "/s.json"));
  INFO(second.err);
  REQUIRE(second.exit_code == 0);
  CHECK_THAT(second.err, Catch::Contains("3 cached (3 remote), 0 ran"));
  CHECK_THAT(second.err, Catch::Contains("3 hits, 0 misses, 0 uploaded"));
  CHECK_THAT(second.err, Catch::Contains("built api"));  // the log replayed
  auto sources = summary_sources(b.dir.path() + "/s.json");
  CHECK(sources["lib#build"] == "cached/REMOTE");
  CHECK(sources["web#build"] == "cached/REMOTE");
  const std::string want = outputs_of(a.path());
  CHECK(count_of(want, "\n") == 9);
  CHECK(outputs_of(b.path()) == want);  // bytes and modes

  // The remote hit was written into B's local cache: the next run hits locally, asking nothing.
  const int gets = server.requests("GET");
  auto third = b.ripple("run build --all --summary " + shell_quote(b.dir.path() + "/t.json"));
  REQUIRE(third.exit_code == 0);
  CHECK(summary_sources(b.dir.path() + "/t.json")["api#build"] == "cached/LOCAL");
  CHECK(server.requests("GET") == gets);
}

TEST_CASE(
    "remote cache: read-only runs upload nothing: --remote-read-only, mode read-only, and "
    "pull request runs unless --remote-write") {
  NginxDavServer server;
  GitRepo repo;
  SECTION("--remote-read-only") {
    write_workspace(repo, "{ url: '" + server.url() + "' }");
    Runner a(repo);
    REQUIRE(a.ripple("run build --all --remote-read-only").exit_code == 0);
    CHECK(server.files().empty());
    CHECK(server.requests("PUT") == 0);
  }
  SECTION("mode: read-only") {
    write_workspace(repo, "{ url: '" + server.url() + "', mode: read-only }");
    Runner a(repo);
    REQUIRE(a.ripple("run build --all").exit_code == 0);
    CHECK(server.files().empty());
  }
  SECTION("a GitHub pull_request run, then the same with --remote-write") {
    write_workspace(repo, "{ url: '" + server.url() + "' }");
    Runner a(repo);
    auto pr = a.ripple("run build --all", "GITHUB_EVENT_NAME=pull_request");
    REQUIRE(pr.exit_code == 0);
    CHECK_THAT(pr.err, Catch::Contains("read-only on a pull/merge request run"));
    CHECK(server.files().empty());
    Runner b(repo);
    REQUIRE(
        b.ripple("run build --all --remote-write", "GITHUB_EVENT_NAME=pull_request").exit_code ==
        0);
    CHECK(count_prefix(server.files(), "ac/") == 3);
  }
  SECTION("a GitLab merge request run") {
    write_workspace(repo, "{ url: '" + server.url() + "' }");
    Runner a(repo);
    REQUIRE(a.ripple("run build --all", "CI_MERGE_REQUEST_IID=7").exit_code == 0);
    CHECK(server.files().empty());
  }
}

TEST_CASE(
    "remote cache: a server that is down, or goes away mid-run, costs one warning, and the "
    "build succeeds locally") {
  NginxDavServer server;
  GitRepo repo;
  write_workspace(repo, "{ url: '" + server.url() + "' }");
  SECTION("down from the start") { server.stop(); }
  SECTION("stopped by the last task") {
    // web builds last (-j 1, after api and lib), and stops the server first.
    repo.write("s/web/service.yaml", "deps: [api]\n");
    repo.write("s/web/build.sh", "kill $(cat " + server.root() +
                                     "/../nginx.pid)\nmkdir -p dist && echo web > dist/name.txt\n");
    repo.commit("web stops the server");
  }
  Runner a(repo);
  auto run = a.ripple("run build --all -j 1");
  INFO(run.err);
  CHECK(run.exit_code == 0);
  CHECK(count_of(run.err, "warning") == 1);
  CHECK_THAT(run.err, Catch::Contains("remote cache " + server.url() + "/"));
  CHECK_THAT(run.err, Catch::Contains("going on without it for the rest of this run"));
  CHECK_THAT(run.err, Catch::Contains("3 ran, 0 failed"));
  // The local cache took every result all the same.
  auto again = a.ripple("run build --all --cache local");
  CHECK_THAT(again.err, Catch::Contains("3 cached"));
}

TEST_CASE(
    "remote cache: bytes that do not match their digest are refused, never restored, and the "
    "task runs") {
  NginxDavServer server;
  GitRepo repo;
  write_workspace(repo, "{ url: '" + server.url() + "' }");
  Runner a(repo);
  REQUIRE(a.ripple("run build --all").exit_code == 0);
  // Every blob on the server damaged in place (the server hands back whatever is on its disk).
  REQUIRE(flip_bytes(server.root() + "/cas", "*", 0, 100000) == 0);
  Runner b(repo);
  auto run = b.ripple("run build --all");
  INFO(run.err);
  CHECK(run.exit_code == 0);
  CHECK_THAT(run.err, Catch::Contains("do not match"));
  CHECK_THAT(run.err, Catch::Contains("0 cached, 3 ran"));
  CHECK(outputs_of(b.path()) == outputs_of(a.path()));
}

TEST_CASE("remote cache: an entry whose blob the server lost is a miss, quietly") {
  NginxDavServer server;
  GitRepo repo;
  write_workspace(repo, "{ url: '" + server.url() + "' }");
  Runner a(repo);
  REQUIRE(a.ripple("run build --all").exit_code == 0);
  // The 300 KB outputs' blobs evicted; the entries stay.
  REQUIRE(run_shell("find cas -type f -size +200k -delete && test -z \"$(find cas -size +200k)\"",
                    server.root())
              .exit_code == 0);
  Runner b(repo);
  auto run = b.ripple("run build --all");
  INFO(run.err);
  CHECK(run.exit_code == 0);
  CHECK_THAT(run.err, Catch::Contains("0 cached, 3 ran"));
  CHECK(count_of(run.err, "warning") == 0);
}

TEST_CASE(
    "remote cache: credentials — a token from token_env, basic auth in the URL (never "
    "printed), and a refused one named once") {
  SECTION("bearer token") {
    NginxOptions options;
    options.token = "s3cret";
    NginxDavServer server(options);
    GitRepo repo;
    write_workspace(repo, "{ url: '" + server.url() + "', token_env: CACHE_TOKEN }");
    Runner a(repo);
    auto refused = a.ripple("run build --all", "CACHE_TOKEN=wrong");
    INFO(refused.err);
    CHECK(refused.exit_code == 0);
    CHECK(count_of(refused.err, "warning") == 1);
    CHECK_THAT(refused.err, Catch::Contains("HTTP 401: the server refused the credentials"));
    CHECK(refused.err.find("wrong") == std::string::npos);
    CHECK(server.files().empty());

    Runner b(repo);
    auto ok = b.ripple("run build --all", "CACHE_TOKEN=s3cret");
    INFO(ok.err);
    CHECK(ok.exit_code == 0);
    CHECK(count_prefix(server.files(), "ac/") == 3);
    CHECK(ok.err.find("s3cret") == std::string::npos);
  }
  SECTION("basic auth in the URL") {
    NginxOptions options;
    options.user = "ci";
    options.password = "pa55word";
    NginxDavServer server(options);
    GitRepo repo;
    write_workspace(
        repo, "{ url: 'http://ci:pa55word@127.0.0.1:" + std::to_string(server.port()) + "' }");
    Runner a(repo);
    auto run = a.ripple("run build --all");
    INFO(run.err);
    CHECK(run.exit_code == 0);
    CHECK(count_prefix(server.files(), "ac/") == 3);
    CHECK_THAT(run.err, Catch::Contains("Remote cache http://ci:***@127.0.0.1:"));
    CHECK(run.err.find("pa55word") == std::string::npos);
  }
}

TEST_CASE(
    "remote cache: a body over the server's limit is named in one warning, and smaller "
    "results are still shared") {
  NginxOptions options;
  options.max_body_size = "100k";
  NginxDavServer server(options);
  GitRepo repo;
  write_workspace(repo, "{ url: '" + server.url() + "' }");
  Runner a(repo);
  auto run = a.ripple("run build --all");
  INFO(run.err);
  CHECK(run.exit_code == 0);
  CHECK(count_of(run.err, "warning") == 1);
  CHECK_THAT(run.err, Catch::Contains("HTTP 413"));
  CHECK_THAT(run.err, Catch::Contains("client_max_body_size"));
  // No entry names a blob the server refused.
  CHECK(count_prefix(server.files(), "ac/") == 0);
}

TEST_CASE(
    "remote cache: asked for but not configured, or configured with a scheme ripple does "
    "not speak, is a clear error") {
  GitRepo repo;
  repo.write("ripple.yaml", "services: [s/*]\ntasks:\n  build: { run: 'true' }\n");
  repo.write("s/a/service.yaml", "");
  repo.commit("ws");
  auto none = repo.ripple("run build --all --cache remote");
  CHECK(none.exit_code == 2);
  CHECK_THAT(none.err,
             Catch::Contains("--cache remote needs a remote cache: add cache.remote.url"));
  repo.write("ripple.yaml",
             "services: [s/*]\ntasks:\n  build: { run: 'true' }\ncache:\n"
             "  remote: { url: 'grpc://cache:9092' }\n");
  repo.commit("grpc");
  auto grpc = repo.ripple("run build --all");
  CHECK(grpc.exit_code == 2);
  CHECK_THAT(grpc.err, Catch::Contains("ripple.yaml:5:"));
  CHECK_THAT(grpc.err, Catch::Contains("REAPI over gRPC is not supported yet"));
}

TEST_CASE(
    "remote cache: with signing, an entry written without the key or with another key is "
    "refused, and one signed with the key is restored") {
  NginxDavServer server;
  GitRepo repo;
  write_workspace(repo, "{ url: '" + server.url() + "', signing_key_env: CACHE_KEY }");
  SECTION("written unsigned (the same workspace without signing)") {
    write_workspace(repo, "{ url: '" + server.url() + "' }");
    Runner a(repo);
    REQUIRE(a.ripple("run build --all").exit_code == 0);
    write_workspace(repo, "{ url: '" + server.url() + "', signing_key_env: CACHE_KEY }");
  }
  SECTION("written with another key") {
    Runner a(repo);
    REQUIRE(a.ripple("run build --all", "CACHE_KEY=other-secret").exit_code == 0);
  }
  REQUIRE(count_prefix(server.files(), "ac/") == 3);
  Runner b(repo);
  auto refused = b.ripple("run build --all", "CACHE_KEY=the-secret");
  INFO(refused.err);
  CHECK(refused.exit_code == 0);
  CHECK_THAT(refused.err, Catch::Contains("0 cached, 3 ran"));
  CHECK(count_of(refused.err, "warning") == 1);
  CHECK_THAT(refused.err, Catch::Contains("refused (a miss)"));
  CHECK(refused.err.find("the-secret") == std::string::npos);
  // B uploaded its own results, signed with the key: a third runner with the key restores them.
  Runner c(repo);
  auto signed_run = c.ripple("run build --all", "CACHE_KEY=the-secret");
  INFO(signed_run.err);
  CHECK_THAT(signed_run.err, Catch::Contains("3 cached (3 remote)"));
  CHECK(outputs_of(c.path()) == outputs_of(b.path()));
}

TEST_CASE(
    "remote cache: with signing and no key in the environment, the remote is off, said once") {
  NginxDavServer server;
  GitRepo repo;
  write_workspace(repo, "{ url: '" + server.url() + "', signing_key_env: CACHE_KEY }");
  Runner a(repo);
  auto run = a.ripple("run build --all");
  INFO(run.err);
  CHECK(run.exit_code == 0);
  CHECK(count_of(run.err, "warning") == 1);
  CHECK_THAT(run.err, Catch::Contains("signing_key_env names CACHE_KEY, which is not set"));
  CHECK(server.files().empty());
  CHECK(server.requests("GET") + server.requests("HEAD") == 0);
}

TEST_CASE("remote cache: cache doctor says what works: reach, credentials, writes") {
  NginxOptions options;
  options.token = "s3cret";
  NginxDavServer server(options);
  GitRepo repo;
  write_workspace(repo, "{ url: '" + server.url() + "', token_env: CACHE_TOKEN }");
  auto good = repo.ripple_with_env("CACHE_TOKEN=s3cret", "cache doctor");
  INFO(good.out + good.err);
  CHECK(good.exit_code == 0);
  CHECK_THAT(good.out, Catch::Contains("remote cache " + server.url() + "/ (Bazel HTTP protocol)"));
  CHECK_THAT(good.out, Catch::Contains("token: CACHE_TOKEN (set)"));
  CHECK_THAT(good.out, Catch::Contains("reach: ok"));
  CHECK_THAT(good.out, Catch::Contains("write: ok — PUT /cas/e3b0c44298fc"));
  CHECK(good.out.find("s3cret") == std::string::npos);

  auto refused = repo.ripple_with_env("CACHE_TOKEN=wrong", "cache doctor");
  CHECK(refused.exit_code == 3);
  CHECK_THAT(refused.out,
             Catch::Contains("reach: FAILED — HEAD /cas/e3b0c44298fc… answered HTTP 401"));
  CHECK_THAT(refused.out, Catch::Contains("the server refused the credentials"));

  auto pr =
      repo.ripple_with_env("CACHE_TOKEN=s3cret GITHUB_EVENT_NAME=pull_request", "cache doctor");
  CHECK(pr.exit_code == 0);
  CHECK_THAT(pr.out, Catch::Contains("this run only reads"));
  CHECK_THAT(pr.out, Catch::Contains("write: ok — not tried"));

  server.stop();
  auto down = repo.ripple_with_env("CACHE_TOKEN=s3cret", "cache doctor");
  CHECK(down.exit_code == 3);
  CHECK_THAT(down.out, Catch::Contains("reach: FAILED — HEAD /cas/e3b0c44298fc… no answer"));
}
