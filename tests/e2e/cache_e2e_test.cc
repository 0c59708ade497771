// `ripple cache` on a real workspace and a real RocksDB.

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "cache/local_store.h"
#include "orchestrator/commands/cache_command.h"
#include "tests/support/git_repo.h"

using namespace ripple::testing;

namespace {

CommandResult ripple_in(const TempDir& d, const std::string& args) {
  return run_ripple(args, d.path());
}

// Two services whose build writes one output each, committed.
void write_workspace(const GitRepo& repo) {
  repo.write("ripple.yaml",
             "services: [s/*]\ntasks:\n  build: { run: 'echo built > out.txt', "
             "outputs: [out.txt] }\n");
  repo.write("s/a/service.yaml", "");
  repo.write("s/b/service.yaml", "");
  repo.write(".gitignore", "out.txt\n");
  repo.commit("ws");
}

// task id -> status of `ripple run build --all`, which must succeed.
std::map<std::string, std::string> build(const GitRepo& repo) {
  const std::string summary = repo.path() + "/.summary.json";
  auto r = repo.ripple("run build --all --summary " + shell_quote(summary));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  std::ifstream in(summary);
  auto doc = nlohmann::json::parse(in);
  std::map<std::string, std::string> out;
  for (const auto& t : doc["tasks"]) {
    out[t["taskId"]] = t["status"];
    out[std::string(t["taskId"]) + " key"] = t["hash"];
  }
  return out;
}

// "entries: N" of `ripple cache stats`.
std::string entries(const GitRepo& repo) {
  auto r = repo.ripple("cache stats");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto at = r.out.find("entries: ");
  REQUIRE(at != std::string::npos);
  return r.out.substr(at, r.out.find('\n', at) - at);
}

}  // namespace

TEST_CASE("cache: stats, verify and clear work on a fresh cache under cache.dir") {
  TempDir d;
  d.write("ripple.yaml", "services: [s/*]\ncache: { dir: build-cache }\n");
  d.write("s/a/service.yaml", "");
  auto stats = ripple_in(d, "cache stats");
  REQUIRE(stats.exit_code == 0);
  CHECK_THAT(stats.out, Catch::Contains("entries: 0"));
  CHECK_THAT(stats.out, Catch::StartsWith("cache: " + d.path() + "/build-cache\n"));
  auto verify = ripple_in(d, "cache verify");
  CHECK(verify.exit_code == 0);
  CHECK_THAT(verify.err, Catch::Contains("clean"));
  CHECK(ripple_in(d, "cache clear").exit_code == 0);
}

TEST_CASE("cache: clear empties a cache that holds entries, and the next run runs again") {
  GitRepo repo;
  write_workspace(repo);
  CHECK(build(repo)["a#build"] == "ran");
  CHECK(build(repo)["a#build"] == "cached");
  CHECK(entries(repo) == "entries: 2");
  auto clear = repo.ripple("cache clear");
  INFO(clear.err);
  REQUIRE(clear.exit_code == 0);
  CHECK(entries(repo) == "entries: 0");
  auto after = build(repo);
  CHECK(after["a#build"] == "ran");
  CHECK(after["b#build"] == "ran");
  CHECK(entries(repo) == "entries: 2");
}

TEST_CASE("cache: prune keeps a cache under its size and empties one over it") {
  GitRepo repo;
  write_workspace(repo);
  build(repo);
  REQUIRE(entries(repo) == "entries: 2");
  auto keep = repo.ripple("cache prune --max-size 1G");
  INFO(keep.err);
  REQUIRE(keep.exit_code == 0);
  CHECK_THAT(keep.err, Catch::Contains("pruned 0 entries"));
  CHECK(entries(repo) == "entries: 2");
  CHECK(build(repo)["b#build"] == "cached");

  // Every entry holds a few bytes of output and log: a limit of 0 removes them all.
  auto all = repo.ripple("cache prune --max-size 0");
  INFO(all.err);
  REQUIRE(all.exit_code == 0);
  CHECK_THAT(all.err, Catch::Contains("pruned 2 entries"));
  CHECK(entries(repo) == "entries: 0");
  CHECK(repo.ripple("cache verify").exit_code == 0);
  CHECK(build(repo)["b#build"] == "ran");
}

TEST_CASE("cache: verify fails on a damaged cache, naming each damaged entry") {
  GitRepo repo;
  write_workspace(repo);
  auto statuses = build(repo);
  auto clean = repo.ripple("cache verify");
  REQUIRE(clean.exit_code == 0);
  CHECK(clean.out.empty());
  {
    auto store = ripple::cache::LocalStore::open(repo.path() + "/.ripple/cache",
                                                 std::chrono::milliseconds(0));
    REQUIRE(store.has_value());
    // a's entry names an output blob the cache does not have; b's is not an ActionResult.
    auto entry = (*store)->get(statuses["a#build key"]);
    REQUIRE(entry.has_value());
    ripple::cache::ActionRecord missing = entry->record;
    REQUIRE(missing.outputs.size() == 1);
    missing.outputs[0].digest = ripple::cache::digest_of("never stored");
    REQUIRE((*store)->put_raw_entry_for_test(statuses["a#build key"],
                                             ripple::cache::encode_action(missing)));
    REQUIRE((*store)->put_raw_entry_for_test(statuses["b#build key"], "\xff\xff not protobuf"));
  }
  auto r = repo.ripple("cache verify");
  INFO(r.out << r.err);
  CHECK(r.exit_code == 3);
  // One line per problem, in the order of the keys.
  CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 2);
  CHECK_THAT(r.out, Catch::Contains("entry " + statuses["a#build key"] +
                                    ": output out.txt has no blob\n"));
  CHECK_THAT(r.out,
             Catch::Contains("entry " + statuses["b#build key"] + ": not a valid ActionResult\n"));
  CHECK_THAT(r.err, Catch::Contains("2 problems"));
}

TEST_CASE("cache: prune needs a size it can read") {
  TempDir d;
  d.write("ripple.yaml", "services: []\n");
  auto r = ripple_in(d, "cache prune --max-size lots");
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("--max-size 'lots' is not a size"));
  CHECK(ripple_in(d, "cache prune --max-size 1G").exit_code == 0);
}

TEST_CASE("cache: sizes read as powers of 1024 with an optional B or iB") {
  CHECK(ripple::parse_size("1048576") == 1048576u);
  CHECK(ripple::parse_size("500M") == 500ull << 20);
  CHECK(ripple::parse_size("2G") == 2ull << 30);
  CHECK(ripple::parse_size("2GiB") == 2ull << 30);
  CHECK(ripple::parse_size("3kb") == 3ull << 10);
  CHECK_FALSE(ripple::parse_size("M").has_value());
  CHECK_FALSE(ripple::parse_size("5X").has_value());
}
