// Several `ripple run` processes on one local cache: the cache's lock is held only while a run
// writes, so runs restore and run side by side; a run that cannot get the lock still succeeds.

#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

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

// Waits (bounded: the bound is only there to fail, never to time) until `path` exists.
bool wait_for_file(const std::string& path) {
  return run_shell("for i in $(seq 1200); do [ -e " + shell_quote(path) +
                   " ] && exit 0; sleep 0.1; done; exit 1")
             .exit_code == 0;
}

}  // namespace

TEST_CASE("run: a second run on the same cache completes while the first one's task still runs") {
  GitRepo repo;
  TempDir marks;  // outside the repository: markers must not change any task's inputs
  const std::string m = marks.path();
  repo.write("ripple.yaml",
             "services: [s/*]\ntasks:\n  build: { run: 'echo x > out.txt', outputs: [out.txt] }\n");
  // Run A's only task: a miss that says it started, then waits (up to 60 s) to be released.
  repo.write("s/slow/service.yaml",
             "tasks:\n  build:\n    run: 'touch " + m + "/started; i=0; while [ ! -e " + m +
                 "/release ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done; "
                 "echo slow > out.txt'\n    outputs: [out.txt]\n");
  repo.write("s/cached/service.yaml", "");
  repo.write("s/fresh/service.yaml", "");
  repo.commit("ws");
  REQUIRE(repo.ripple("run build --only cached").exit_code == 0);

  // Run A in the background; its exit code lands in A.rc.
  run_shell("(" + ripple_command_line("run build --only slow --summary " + m + "/A.json") + " >" +
                m + "/A.out 2>" + m + "/A.err; echo $? >" + m + "/A.rc) &",
            repo.path());
  REQUIRE(wait_for_file(m + "/started"));

  // Run B, partly cached and partly a miss. Holding the lock for a whole run made it exit 3
  // after --lock-timeout; now it needs the lock only for the moment it stores fresh#build.
  auto b = run_shell("timeout 120 " + ripple_command_line("run build --only cached,fresh "
                                                          "--lock-timeout 5 --summary " +
                                                          m + "/B.json"),
                     repo.path());
  INFO(b.err);
  CHECK(b.exit_code == 0);
  CHECK(run_shell("test -e " + shell_quote(m + "/A.rc")).exit_code != 0);  // A still waits
  auto sb = summary_statuses(m + "/B.json");
  CHECK(sb["cached#build"] == "cached");
  CHECK(sb["fresh#build"] == "ran");

  run_shell("touch " + shell_quote(m + "/release"));
  REQUIRE(wait_for_file(m + "/A.rc"));
  INFO(run_shell("cat " + shell_quote(m + "/A.err")).out);
  CHECK(run_shell("cat " + shell_quote(m + "/A.rc")).out == "0\n");
  CHECK(summary_statuses(m + "/A.json")["slow#build"] == "ran");

  // Both runs stored what they ran.
  auto c = repo.ripple("run build --all --summary " + shell_quote(m + "/C.json"));
  INFO(c.err);
  REQUIRE(c.exit_code == 0);
  auto sc = summary_statuses(m + "/C.json");
  CHECK(sc["slow#build"] == "cached");
  CHECK(sc["cached#build"] == "cached");
  CHECK(sc["fresh#build"] == "cached");
  CHECK(repo.ripple("cache verify").exit_code == 0);
}

TEST_CASE("run: a run that cannot get the cache's lock to store warns, succeeds, stores nothing") {
  GitRepo repo;
  repo.write("ripple.yaml",
             "services: [s/*]\ntasks:\n  build: { run: 'echo x > out.txt', outputs: [out.txt] }\n");
  repo.write("s/a/service.yaml", "");
  repo.commit("ws");
  const std::string summary = repo.path() + "/.summary.json";
  REQUIRE(repo.ripple("run build --all").exit_code == 0);
  repo.write("s/a/new.txt", "changed\n");
  {
    auto holder = ripple::cache::LocalStore::open(repo.path() + "/.ripple/cache",
                                                  std::chrono::milliseconds(0));
    REQUIRE(holder.has_value());
    auto blocked = repo.ripple("run build --all --lock-timeout 0 --summary " + summary);
    INFO(blocked.err);
    CHECK(blocked.exit_code == 0);
    CHECK_THAT(blocked.err, Catch::Contains("warning: cannot open the local cache"));
    CHECK_THAT(blocked.err, Catch::Contains("this run stores no more results in it"));
    CHECK(summary_statuses(summary)["a#build"] == "ran");
  }
  auto again = repo.ripple("run build --all --summary " + summary);
  INFO(again.err);
  CHECK(again.exit_code == 0);
  CHECK(summary_statuses(summary)["a#build"] == "ran");  // it was not stored
  CHECK(repo.ripple("run build --all --summary " + summary).exit_code == 0);
  CHECK(summary_statuses(summary)["a#build"] == "cached");
}
