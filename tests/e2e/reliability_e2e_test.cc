// What a hostile test pass found (issue 20): output that cannot be written, a deleted working
// directory, sizes that overflow, a cache directory inside a service, a read-only checkout.

#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "tests/support/git_repo.h"
#include "tests/support/skip.h"

using namespace ripple::testing;

namespace {

void small_workspace(const GitRepo& repo, const std::string& extra_root = "") {
  repo.write("ripple.yaml", "services: [s/*]\nbase: main\n" + extra_root +
                                "tasks:\n  build: { run: 'echo built > out.txt', outputs: "
                                "[out.txt] }\n");
  repo.write("s/a/service.yaml", "");
  repo.write("s/a/main.c", "int main;\n");
  repo.commit("ws");
}

}  // namespace

TEST_CASE("reliability: output that cannot be written is an error, not an empty success") {
  GitRepo repo;
  small_workspace(repo);
  repo.write("s/a/main.c", "int main2;\n");
  for (const char* command : {"affected --format json", "affected", "graph", "graph --format json",
                              "hash", "run build --all --dry-run=json"}) {
    INFO(command);
    auto r = run_shell(ripple_command_line(command) + " > /dev/full", repo.path());
    CHECK(r.exit_code == 3);
    CHECK_THAT(r.err,
               Catch::Contains("cannot write the output to stdout: No space left on device"));
  }
}

TEST_CASE("reliability: started in a deleted directory, a clear message, and -C still works") {
  GitRepo repo;
  small_workspace(repo);
  TempDir parent;
  auto gone =
      run_shell("mkdir d && cd d && rmdir ../d && " + ripple_command_line("graph"), parent.path());
  CHECK(gone.exit_code == 2);
  CHECK(gone.err ==
        "ripple: error: the current directory is gone (No such file or directory); cd to the "
        "workspace, or pass -C with an absolute path\n");
  auto with_c = run_shell("mkdir d && cd d && rmdir ../d && " +
                              ripple_command_line("-C " + shell_quote(repo.path()) + " graph"),
                          parent.path());
  CHECK(with_c.exit_code == 0);
  CHECK(with_c.out == "a\n");
}

TEST_CASE("reliability: a prune size beyond 64 bits is a usage error") {
  GitRepo repo;
  small_workspace(repo);
  for (const char* size : {"16777216T", "99999999999999999999", "18446744073709551616"}) {
    INFO(size);
    auto r = repo.ripple(std::string("cache prune --max-size ") + size);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("is not a size up to 16 EiB"));
  }
  CHECK(repo.ripple("cache prune --max-size 16383P").exit_code == 2);  // no P unit
  CHECK(repo.ripple("cache prune --max-size 16777215T").exit_code == 0);
}

TEST_CASE("reliability: a cache directory inside a service is never its input") {
  GitRepo repo;
  small_workspace(repo, "cache: { dir: s/a/.cache }\n");
  REQUIRE(repo.ripple("run build --all").exit_code == 0);
  auto again = repo.ripple("run build --all");
  INFO(again.err);
  CHECK(again.exit_code == 0);
  CHECK_THAT(again.err, Catch::Contains("Tasks: 1 (1 cached, 0 ran, 0 failed)"));
  auto affected = repo.ripple("affected --files");
  CHECK(affected.out.empty());
}

TEST_CASE("reliability: a service.yaml that is a FIFO is an error, never a hang") {
  GitRepo repo;
  small_workspace(repo);
  repo.remove("s/a/service.yaml");
  REQUIRE(run_shell("mkfifo s/a/service.yaml", repo.path()).exit_code == 0);
  for (int round = 0; round < 2; ++round) {  // without, then with the parsed-config snapshot
    auto r = run_shell("timeout 30 " + ripple_command_line("graph"), repo.path());
    CHECK(r.exit_code == 3);
    CHECK_THAT(r.err, Catch::Contains("s/a/service.yaml is not a regular file"));
  }
}

TEST_CASE("reliability: a file in a merge conflict is modified, not deleted") {
  GitRepo repo;
  small_workspace(repo);
  repo.git("checkout -q -b other");
  repo.write("s/a/main.c", "int other;\n");
  repo.commit("other");
  repo.git("checkout -q main");
  repo.write("s/a/main.c", "int mine;\n");
  repo.commit("mine");
  CHECK(run_shell("git merge other", repo.path()).exit_code != 0);  // a conflict, for real
  REQUIRE_THAT(repo.git("status --short"), Catch::Contains("UU s/a/main.c"));
  auto r = repo.ripple("affected --base HEAD --files");
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.err, Catch::Contains("M s/a/main.c -> a"));
  CHECK(r.out == "a\n");
}

TEST_CASE(
    "reliability: a service linked into place is its target: its changes affect it, its key "
    "moves") {
  GitRepo repo;
  repo.write("ripple.yaml",
             "services: [services/*]\nbase: main\ntasks:\n  build: { run: 'cat "
             "main.c > out.txt', outputs: [out.txt] }\n");
  repo.write("apps/web/service.yaml", "");
  repo.write("apps/web/main.c", "int v1;\n");
  repo.write(".gitignore", "out.txt\n");
  REQUIRE(run_shell("mkdir -p services && ln -s ../apps/web services/web", repo.path()).exit_code ==
          0);
  repo.commit("ws");
  REQUIRE(repo.ripple("run build --all").exit_code == 0);
  repo.write("apps/web/main.c", "int v2;\n");
  auto affected = repo.ripple("affected");
  INFO(affected.err);
  CHECK(affected.out == "web\n");
  auto r = repo.ripple("run build --all");
  INFO(r.err);
  CHECK_THAT(r.err, Catch::Contains("Tasks: 1 (0 cached, 1 ran, 0 failed)"));  // not a stale hit
  std::ifstream in(repo.path() + "/apps/web/out.txt");
  std::string built;
  std::getline(in, built);
  CHECK(built == "int v2;");
}

TEST_CASE("reliability: a submodule's own changes and another checked-out commit are changes") {
  TempDir sub;
  run_git("init -q -b main", sub.path());
  sub.write("lib.c", "int lib;\n");
  run_git("add -A", sub.path());
  run_git("commit -q -m lib", sub.path());
  GitRepo repo;
  small_workspace(repo);
  repo.git("-c protocol.file.allow=always submodule add -q " + shell_quote(sub.path()) +
           " s/a/vendor");
  repo.commit("vendor");
  const std::string vendor = repo.path() + "/s/a/vendor";
  auto hash = [&] { return repo.ripple("hash").out; };
  const std::string clean = hash();
  CHECK(repo.ripple("affected --base HEAD").out.empty());

  // Modified content inside the submodule, as git status reports " m".
  std::ofstream(vendor + "/lib.c", std::ios::app) << "int more;\n";
  REQUIRE_THAT(repo.git("status --short"), Catch::Contains(" m s/a/vendor"));
  CHECK(repo.ripple("affected --base HEAD").out == "a\n");
  const std::string dirty = hash();
  CHECK(dirty != clean);
  std::ofstream(vendor + "/lib.c", std::ios::app) << "int again;\n";
  CHECK(hash() != dirty);  // the id moves with the content, not just "dirty"
  run_git("checkout -q -- lib.c", vendor);
  CHECK(hash() == clean);
  // Untracked content counts too.
  std::ofstream(vendor + "/new.c") << "int n;\n";
  CHECK(repo.ripple("affected --base HEAD").out == "a\n");
  run_shell("rm new.c", vendor);
  // Another commit checked out than the one recorded.
  std::ofstream(vendor + "/lib.c", std::ios::app) << "int next;\n";
  run_git("commit -q -am next", vendor);
  CHECK(repo.ripple("affected --base HEAD").out == "a\n");
  CHECK(hash() != clean);
}

TEST_CASE("reliability: a read-only checkout says once that .ripple cannot be written, and why") {
  if (geteuid() != 0) {
    RIPPLE_SKIP("needs root, to run ripple as a user who may not write the checkout");
  }
  TempDir d;  // not a git work tree: no question of safe.directory
  d.write("ripple.yaml", "services: [s/*]\ntasks:\n  check: { run: 'true' }\n");
  for (const char* s : {"a", "b", "c"}) {
    d.write(std::string("s/") + s + "/service.yaml", "");
  }
  run_shell("chmod -R a+rX,a-w " + shell_quote(d.path()));
  auto r = run_shell("setpriv --reuid=65534 --regid=65534 --clear-groups " +
                         ripple_command_line("run check --all"),
                     d.path());
  run_shell("chmod -R u+w " + shell_quote(d.path()));  // so the TempDir can go
  INFO(r.err);
  CHECK(r.exit_code == 0);  // the tasks ran: cache and state trouble never fail a build
  CHECK_THAT(r.err, Catch::Contains("cannot write " + d.path() + "/.ripple: Permission denied"));
  std::size_t log_warnings = 0;
  for (std::size_t at = r.err.find("cannot keep the log"); at != std::string::npos;
       at = r.err.find("cannot keep the log", at + 1)) {
    ++log_warnings;
  }
  CHECK(log_warnings == 1);  // one, not one per task
}
