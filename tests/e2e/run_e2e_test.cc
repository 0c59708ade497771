// `ripple run` on real repositories: processes, the scheduler and a real RocksDB cache.

#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cache/local_store.h"
#include "tests/support/git_repo.h"

using namespace ripple::testing;

namespace {

std::map<std::string, std::string> summary_statuses(const std::string& file) {
  std::ifstream in(file);
  auto doc = nlohmann::json::parse(in);
  std::map<std::string, std::string> out;
  for (const auto& t : doc["tasks"]) {
    out[t["taskId"]] = t["status"];
  }
  return out;
}

std::string tree_digest(const std::string& dir) {
  auto r = run_shell(
      "find . -path ./.git -prune -o -path ./.ripple -prune -o -type f -path "
      "'*/dist/*' -print | sort | xargs sha256sum",
      dir);
  return r.out;
}

CommandResult run_in(const GitRepo& repo, const std::string& args) {
  return repo.ripple("run " + args + " --summary " + shell_quote(repo.path() + "/.summary.json"));
}

}  // namespace

TEST_CASE("run: the example builds and tests once, then everything comes from the cache") {
  GitRepo repo;
  repo.copy_example_shop();
  repo.commit("shop");
  auto first = run_in(repo, "build test --all");
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  for (const auto& [task, status] : summary_statuses(repo.path() + "/.summary.json")) {
    INFO(task);
    CHECK(status == "ran");
  }
  const std::string built = tree_digest(repo.path());
  REQUIRE_FALSE(built.empty());

  run_shell("find . -name dist -type d -prune -exec rm -rf {} +", repo.path());
  auto second = run_in(repo, "build test --all");
  INFO(second.err);
  REQUIRE(second.exit_code == 0);
  for (const auto& [task, status] : summary_statuses(repo.path() + "/.summary.json")) {
    INFO(task);
    CHECK(status == "cached");
  }
  CHECK_THAT(second.err, Catch::Contains("Tasks: 16 (16 cached, 0 ran, 0 failed)"));
  CHECK(tree_digest(repo.path()) == built);  // restored byte for byte
  auto verify = repo.ripple("cache verify");
  CHECK(verify.exit_code == 0);
}

TEST_CASE("run: editing a library reruns exactly it and what depends on it") {
  GitRepo repo;
  repo.copy_example_shop();
  repo.commit("shop");
  REQUIRE(run_in(repo, "build --all").exit_code == 0);
  repo.write("libs/go-common/log/log.go", "package log // edited\n");
  auto r = run_in(repo, "build --all");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto s = summary_statuses(repo.path() + "/.summary.json");
  for (const char* t : {"go-common#build", "catalog#build", "payments#build", "checkout#build",
                        "gateway#build", "web#build"}) {
    INFO(t);
    CHECK(s[t] == "ran");
  }
  CHECK(s["proto#build"] == "cached");
  CHECK(s["notifications#build"] == "cached");
}

TEST_CASE("run: a failing task exits 1 and its dependents are skipped") {
  GitRepo repo;
  repo.write("ripple.yaml",
             "services: [s/*]\ntasks:\n  build: { run: 'echo built > out.txt', deps: "
             "['^build'], outputs: [out.txt] }\n");
  repo.write("s/a/service.yaml", "tasks:\n  build: { run: 'echo broken; exit 3' }\n");
  repo.write("s/b/service.yaml", "deps: [a]\n");
  repo.write("s/c/service.yaml", "");
  repo.commit("ws");
  auto r = run_in(repo, "build --all -j 1");
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("a#build: failed"));
  CHECK_THAT(r.err, Catch::Contains("broken"));
  auto s = summary_statuses(repo.path() + "/.summary.json");
  CHECK(s["a#build"] == "failed");
  CHECK(s["b#build"] == "skipped");
  // A failure is never cached: the next run runs it again.
  auto again = run_in(repo, "build --all --continue");
  CHECK(again.exit_code == 1);
  auto s2 = summary_statuses(repo.path() + "/.summary.json");
  CHECK(s2["a#build"] == "failed");
  CHECK(s2["c#build"] != "skipped");
}

TEST_CASE("run: a task over its timeout is stopped and fails") {
  GitRepo repo;
  repo.write("ripple.yaml", "services: [s/*]\n");
  repo.write("s/a/service.yaml", "tasks:\n  slow: { run: 'sleep 30', timeout: 1 }\n");
  repo.commit("ws");
  auto r = run_in(repo, "slow --all");
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("timed out after 1 s"));
}

TEST_CASE("run: a cache entry naming a path outside the service is refused") {
  GitRepo repo;
  repo.write("ripple.yaml",
             "services: [s/*]\ntasks:\n  build: { run: 'echo x > out.txt', outputs: [out.txt] }\n");
  repo.write("s/a/service.yaml", "");
  repo.commit("ws");
  auto plan = repo.ripple("run build --all --dry-run=json");
  REQUIRE(plan.exit_code == 0);
  std::string key = nlohmann::json::parse(plan.out)["tasks"][0]["key"];
  {
    auto store = ripple::cache::LocalStore::open(repo.path() + "/.ripple/cache",
                                                 std::chrono::milliseconds(0));
    REQUIRE(store.has_value());
    ripple::cache::ActionRecord evil;
    std::string payload = "owned\n";
    evil.outputs.push_back({"../../escaped.txt", ripple::cache::digest_of(payload), false});
    evil.stdout_digest = ripple::cache::digest_of("");
    evil.stderr_digest = ripple::cache::digest_of("");
    REQUIRE((*store)->put(key, evil, {payload, ""}).has_value());
  }
  auto r = run_in(repo, "build --all");
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.err, Catch::Contains("outside the service directory; refused"));
  CHECK(summary_statuses(repo.path() + "/.summary.json")["a#build"] == "ran");
  CHECK(run_shell("test -e escaped.txt", repo.path()).exit_code != 0);
}

TEST_CASE("run: kill -9 in the middle leaves a consistent cache") {
  GitRepo repo;
  repo.write("ripple.yaml",
             "services: [s/*]\ntasks:\n  build: { run: 'echo x > out.txt', outputs: [out.txt] }\n");
  repo.write("s/fast/service.yaml", "");
  // The slow task names its process group (its shell's pid) once it has started, and waits as
  // long as s/slow/hold exists.
  repo.write("s/slow/service.yaml",
             "tasks:\n  build: { run: 'echo $$ > task.pid; while [ -e hold ]; do sleep 0.1; done; "
             "echo y > out.txt' }\n");
  repo.write(".gitignore", "task.pid\nhold\n");
  repo.commit("ws");
  repo.write("s/slow/hold", "");
  // Start a run; once the slow task runs and the fast one is in the cache (a read-only look,
  // which takes no lock), kill ripple outright, then the task it left behind.
  auto killed =
      run_shell(ripple_command_line("run build --all -j 2") + " >/dev/null 2>&1 & pid=$!\n" +
                    "for i in $(seq 600); do\n"
                    "  if [ -s s/slow/task.pid ] && " +
                    ripple_command_line("cache stats") +
                    " 2>/dev/null | grep -qx 'entries: 1'; then echo ready; break; fi\n"
                    "  sleep 0.1\n"
                    "done\n"
                    "kill -9 $pid; wait $pid 2>/dev/null\n"
                    "[ -s s/slow/task.pid ] && kill -9 -$(cat s/slow/task.pid)\n"
                    "rm -f s/slow/hold\n",
                repo.path());
  REQUIRE(killed.out == "ready\n");
  auto verify = repo.ripple("cache verify");
  INFO(verify.out + verify.err);
  CHECK(verify.exit_code == 0);
  auto r = run_in(repo, "build --all");
  CHECK(r.exit_code == 0);
  auto s = summary_statuses(repo.path() + "/.summary.json");
  CHECK(s["fast#build"] == "cached");
  CHECK(s["slow#build"] == "ran");
}

TEST_CASE("run: --dry-run=json predicts which tasks the real run answers from the cache") {
  GitRepo repo;
  repo.copy_example_shop();
  repo.commit("shop");
  REQUIRE(run_in(repo, "build --all").exit_code == 0);
  repo.write("services/payments/internal/ledger/ledger.go", "package ledger // edited\n");
  auto plan = repo.ripple("run build --all --dry-run=json");
  REQUIRE(plan.exit_code == 0);
  std::map<std::string, std::string> predicted;
  const auto doc = nlohmann::json::parse(plan.out);
  for (const auto& t : doc["tasks"]) {
    predicted[t["task"]] = t["cache"] == "hit" ? "cached" : "ran";
  }
  REQUIRE(run_in(repo, "build --all").exit_code == 0);
  CHECK(summary_statuses(repo.path() + "/.summary.json") == predicted);
  CHECK(predicted["payments#build"] == "ran");
  CHECK(predicted["proto#build"] == "cached");
}

TEST_CASE("run: a run the cache answers entirely writes nothing and needs no lock") {
  GitRepo repo;
  repo.write("ripple.yaml",
             "services: [s/*]\ntasks:\n  build: { run: 'echo x > out.txt', outputs: [out.txt] }\n");
  repo.write("s/a/service.yaml", "");
  repo.write("s/b/service.yaml", "");
  repo.commit("ws");
  REQUIRE(run_in(repo, "build --all").exit_code == 0);
  REQUIRE(run_in(repo, "build --all").exit_code == 0);  // the first hits set the latest keys
  auto listing = [&] {
    return run_shell("ls -l --time-style=+%s.%N .ripple/cache", repo.path()).out;
  };
  const std::string before = listing();
  auto cached = run_in(repo, "build --all");
  REQUIRE(cached.exit_code == 0);
  CHECK_THAT(cached.err, Catch::Contains("Tasks: 2 (2 cached, 0 ran, 0 failed)"));
  CHECK(listing() == before);  // no new log, manifest or table file

  // Another process holding the cache for writing does not block a fully cached run.
  auto holder =
      ripple::cache::LocalStore::open(repo.path() + "/.ripple/cache", std::chrono::milliseconds(0));
  REQUIRE(holder.has_value());
  auto beside = run_in(repo, "build --all --lock-timeout 0");
  INFO(beside.err);
  CHECK(beside.exit_code == 0);
  CHECK_THAT(beside.err, Catch::Contains("Tasks: 2 (2 cached, 0 ran, 0 failed)"));
  auto plan = repo.ripple("run build --all --dry-run --lock-timeout 0");
  CHECK(plan.exit_code == 0);
  CHECK_THAT(plan.out, Catch::Contains("(cached)"));
}

TEST_CASE("run: a task that runs after a read-only open is still stored") {
  GitRepo repo;
  repo.write("ripple.yaml",
             "services: [s/*]\ntasks:\n  build: { run: 'echo x > out.txt', outputs: [out.txt] }\n");
  repo.write("s/a/service.yaml", "");
  repo.commit("ws");
  REQUIRE(run_in(repo, "build --all").exit_code == 0);
  std::string key;
  {
    std::ifstream in(repo.path() + "/.summary.json");
    const auto doc = nlohmann::json::parse(in);
    key = doc["tasks"][0]["hash"];
  }
  {
    // The entry stays fresh (access time, latest key) but names a blob the CAS does not have.
    auto store = ripple::cache::LocalStore::open(repo.path() + "/.ripple/cache",
                                                 std::chrono::milliseconds(0));
    REQUIRE(store.has_value());
    auto entry = (*store)->get(key);
    REQUIRE(entry.has_value());
    ripple::cache::ActionRecord broken = entry->record;
    broken.outputs[0].digest = ripple::cache::digest_of("never stored");
    REQUIRE((*store)->put_raw_entry_for_test(key, ripple::cache::encode_action(broken)));
  }
  auto rerun = run_in(repo, "build --all");
  INFO(rerun.err);
  REQUIRE(rerun.exit_code == 0);
  CHECK(summary_statuses(repo.path() + "/.summary.json")["a#build"] == "ran");
  auto after = run_in(repo, "build --all");
  CHECK(summary_statuses(repo.path() + "/.summary.json")["a#build"] == "cached");
  CHECK(repo.ripple("cache verify").exit_code == 0);
}

TEST_CASE("run: --affected keys the files its change scan listed exactly as --all keys them") {
  // run --affected lists every file's id in the scan that finds the uncommitted changes; --all
  // lists them on a thread of its own. Both must see the same files with the same ids.
  GitRepo repo;
  repo.copy_example_shop();
  repo.commit("shop");
  repo.write("libs/go-common/log/log.go", "package log // edited\n");
  repo.write("services/payments/notes.txt", "untracked\n");
  repo.remove("services/catalog/internal/store/store.go");
  repo.write("services/web/src/extra.js", "export const x = 1;\n");
  repo.git("add services/web/src/extra.js");
  run_shell("chmod +x services/checkout/Makefile", repo.path());

  auto keys_of = [&](const std::string& selection) {
    auto plan = repo.ripple("run build " + selection + " --dry-run=json");
    INFO(plan.err);
    REQUIRE(plan.exit_code == 0);
    std::map<std::string, std::string> keys;
    const auto doc = nlohmann::json::parse(plan.out);
    for (const auto& t : doc["tasks"]) {
      keys[t["task"]] = t["key"];
    }
    return keys;
  };
  for (int round = 0; round < 2; ++round) {  // the second with the stat cache and snapshots
    INFO("round " << round);
    auto affected = keys_of("--affected --base HEAD");
    auto all = keys_of("--all");
    for (const char* t : {"go-common#build", "payments#build", "catalog#build", "web#build",
                          "checkout#build", "gateway#build"}) {
      INFO(t);
      CHECK(affected.count(t) == 1);
    }
    CHECK(affected.count("notifications#build") == 0);
    for (const auto& [task, key] : affected) {
      INFO(task);
      CHECK(all[task] == key);
    }
  }
}
