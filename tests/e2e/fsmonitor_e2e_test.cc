// `fsmonitor: watchman`: a real watchman service per test, and every answer compared with the
// full scan's (RIPPLE_FSMONITOR=off) on the same work tree.

#include <catch2/catch.hpp>

#include "tests/support/git_repo.h"
#include "tests/support/watchman_server.h"

using namespace ripple::testing;

namespace {

void write_workspace(const GitRepo& repo, const std::string& dir = "") {
  const std::string at = dir.empty() ? "" : dir + "/";
  repo.write(at + "ripple.yaml", "version: 1\nbase: main\nservices: [services/*]\n");
  repo.write(at + "services/a/service.yaml", "");
  repo.write(at + "services/a/a.txt", "a\n");
  repo.write(at + "services/a/src/deep/x.txt", "x\n");
  repo.write(at + "services/b/service.yaml", "deps: [a]\n");
  repo.write(at + "services/b/b.txt", "b\n");
  repo.write(at + "services/c/service.yaml", "");
  repo.write(at + "services/c/c.txt", "c\n");
  repo.write(at + ".gitignore", "build/\n*.log\n");
}

struct Answers {
  CommandResult monitored;
  CommandResult full;
};

// `ripple <args>` with the monitor and with a full scan, in `subdir`.
Answers ask(const GitRepo& repo, const WatchmanServer& server, const std::string& args,
            const std::string& subdir = "") {
  Answers a{repo.ripple_with_env(server.env() + "RIPPLE_FSMONITOR=watchman RIPPLE_TIMING=1", args,
                                 subdir),
            repo.ripple_with_env("RIPPLE_FSMONITOR=off", args, subdir)};
  INFO(a.monitored.err);
  INFO(a.full.err);
  REQUIRE(a.monitored.exit_code == 0);
  REQUIRE(a.full.exit_code == 0);
  return a;
}

// Asks for the affected services and their changed files both ways; they must agree. Returns the
// monitored run's stderr (which says how it scanned).
std::string check_affected(const GitRepo& repo, const WatchmanServer& server,
                           const std::string& subdir = "") {
  Answers a = ask(repo, server, "affected --format json", subdir);
  CHECK(a.monitored.out == a.full.out);
  return a.monitored.err;
}

// `ripple affected` (a full scan, no monitor), which must succeed; its stdout.
std::string affected(const GitRepo& repo, const std::string& subdir = "") {
  auto r = repo.ripple("affected", subdir);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return r.out;
}

bool rechecked(const std::string& err) {
  return err.find("fsmonitor: re-checked") != std::string::npos;
}

}  // namespace

TEST_CASE("fsmonitor: after one full scan, only what watchman names is looked at again") {
  WatchmanServer server;
  GitRepo repo;
  write_workspace(repo);
  repo.commit("base");
  repo.git("checkout -q -b feature");

  std::string err = check_affected(repo, server);
  CHECK(err.find("fsmonitor: full scan (no saved clock)") != std::string::npos);
  CHECK(rechecked(check_affected(repo, server)));

  // Each step is a kind of change; the answer must be the full scan's, from a re-check.
  struct Step {
    const char* what;
    const char* shell;
  };
  const Step steps[] = {
      {"a tracked file modified", "echo more >> services/a/a.txt"},
      {"modified back to what the index has", "echo a > services/a/a.txt"},
      {"an untracked file", "echo new > services/c/new.txt"},
      {"an untracked file in a new directory tree",
       "mkdir -p services/c/n1/n2 && echo z > "
       "services/c/n1/n2/z.txt"},
      {"an ignored file and an ignored directory",
       "echo l > services/b/out.log && mkdir -p services/b/build && echo o > "
       "services/b/build/o.txt"},
      {"an untracked file removed", "rm services/c/new.txt"},
      {"a tracked file deleted", "rm services/b/b.txt"},
      {"a tracked directory removed", "rm -r services/a/src"},
      {"a tracked file made executable", "chmod +x services/c/c.txt"},
      {"a tracked directory renamed",
       "mkdir -p services/a/src/deep && echo x > "
       "services/a/src/deep/x.txt && mv services/a/src "
       "services/a/moved"},
      {"a tracked file replaced by a directory",
       "rm services/c/c.txt && mkdir services/c/c.txt "
       "&& echo in > services/c/c.txt/in.txt"},
      {"a symlink", "ln -s ../b/service.yaml services/c/link"},
      // By hand: `git checkout` would rewrite the index, which means a full scan.
      {"everything put back",
       "rm -rf services/c/c.txt services/c/link services/c/n1 "
       "services/a/moved services/b/out.log services/b/build && mkdir -p "
       "services/a/src/deep && echo x > services/a/src/deep/x.txt && "
       "echo b > services/b/b.txt && echo c > services/c/c.txt"},
  };
  for (const Step& step : steps) {
    INFO(step.what);
    REQUIRE(run_shell(step.shell, repo.path()).exit_code == 0);
    err = check_affected(repo, server);
    CHECK(rechecked(err));
  }
  CHECK(affected(repo).empty());
}

TEST_CASE("fsmonitor: the index, the ignore rules and git's config changing mean a full scan") {
  WatchmanServer server;
  GitRepo repo;
  write_workspace(repo);
  repo.commit("base");
  repo.git("checkout -q -b feature");
  check_affected(repo, server);

  repo.write("services/a/a.txt", "staged\n");
  repo.git("add services/a/a.txt");  // the index is rewritten
  std::string err = check_affected(repo, server);
  CHECK(err.find("full scan (the index or git's config changed)") != std::string::npos);
  CHECK(rechecked(check_affected(repo, server)));

  // An untracked file that a new rule ignores: nobody touched the file itself.
  repo.write("services/c/keep.tmp", "t\n");
  CHECK(rechecked(check_affected(repo, server)));
  repo.write(".gitignore", "build/\n*.log\n*.tmp\n");
  err = check_affected(repo, server);
  CHECK(err.find("full scan (a .gitignore or .gitattributes changed)") != std::string::npos);

  repo.write("services/c/keep.tmp2", "t\n");
  CHECK(rechecked(check_affected(repo, server)));
  repo.write(".git/info/exclude", "*.tmp2\n");
  err = check_affected(repo, server);
  CHECK(err.find("full scan (the index or git's config changed)") != std::string::npos);

  repo.git("commit -q -m staged");
  err = check_affected(repo, server);
  CHECK(err.find("fsmonitor: full scan") != std::string::npos);
}

TEST_CASE("fsmonitor: a restarted watchman or a damaged state file means a full scan") {
  GitRepo repo;
  write_workspace(repo);
  repo.commit("base");
  repo.git("checkout -q -b feature");
  {
    WatchmanServer first;
    check_affected(repo, first);
    repo.write("services/a/a.txt", "changed while the first one ran\n");
    CHECK(rechecked(check_affected(repo, first)));
  }
  // A new service knows nothing of the old one's clock; changes made in between are found.
  repo.write("services/b/b.txt", "changed while none ran\n");
  WatchmanServer second;
  std::string err = check_affected(repo, second);
  CHECK(err.find("fsmonitor: full scan") != std::string::npos);
  CHECK(affected(repo) == "a\nb\n");
  CHECK(rechecked(check_affected(repo, second)));

  repo.write(".ripple/state/fsmonitor.json", "{\"version\": 1, \"clock\": [");
  err = check_affected(repo, second);
  CHECK(err.find("full scan (no saved clock)") != std::string::npos);
  CHECK(rechecked(check_affected(repo, second)));
}

TEST_CASE("fsmonitor: a workspace in a subdirectory of the repository") {
  WatchmanServer server;
  GitRepo repo;
  write_workspace(repo, "mono");
  repo.write("outside/o.txt", "o\n");
  repo.commit("base");
  repo.git("checkout -q -b feature");
  check_affected(repo, server, "mono");
  repo.write("mono/services/c/c.txt", "changed\n");
  repo.write("outside/o.txt", "changed outside the workspace\n");
  std::string err = check_affected(repo, server, "mono");
  CHECK(rechecked(err));
  CHECK(affected(repo, "mono") == "c\n");
}

TEST_CASE("fsmonitor: hash takes the same ids from a re-check as from a full scan") {
  WatchmanServer server;
  GitRepo repo;
  write_workspace(repo);
  repo.commit("base");
  ask(repo, server, "hash --files --format json");
  repo.write("services/a/a.txt", "modified\n");
  repo.write("services/b/untracked.txt", "new\n");
  repo.remove("services/c/c.txt");
  Answers a = ask(repo, server, "hash --files --format json");
  CHECK(a.monitored.out == a.full.out);
  CHECK(rechecked(a.monitored.err));
  a = ask(repo, server, "hash --format json");
  CHECK(a.monitored.out == a.full.out);
}

TEST_CASE("fsmonitor: without a reachable watchman, a warning and a full scan") {
  GitRepo repo;
  write_workspace(repo);
  repo.commit("base");
  repo.git("checkout -q -b feature");
  repo.write("services/c/c.txt", "changed\n");
  auto r = repo.ripple_with_env(
      "WATCHMAN_SOCK=" + repo.path() + "/no-such-socket RIPPLE_FSMONITOR=watchman", "affected");
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out == "c\n");
  CHECK(r.err.find("warning: watchman: cannot connect to " + repo.path() + "/no-such-socket") !=
        std::string::npos);
  CHECK(r.err.find("scanning every file of the work tree") != std::string::npos);

  r = repo.ripple_with_env("PATH=/nonexistent RIPPLE_FSMONITOR=watchman", "affected");
  CHECK(r.exit_code == 0);
  CHECK(r.out == "c\n");
  CHECK(r.err.find("cannot start 'watchman'") != std::string::npos);
}

TEST_CASE("fsmonitor: a bad setting is a usage error naming where it came from") {
  // hash reads the setting on a thread of its own while the workspace loads (input_scan.h).
  for (const std::string command : {"affected", "hash"}) {
    INFO(command);
    GitRepo repo;
    write_workspace(repo);
    repo.commit("base");
    auto r = repo.ripple_with_env("RIPPLE_FSMONITOR=yes", command);
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(r.err.find("RIPPLE_FSMONITOR must be watchman or off, not 'yes'") != std::string::npos);

    repo.write("ripple.yaml", "version: 1\nfsmonitor: inotify\nservices: [services/*]\n");
    r = repo.ripple(command);
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(r.err.find("ripple.yaml:2:12: 'fsmonitor' must be watchman or off, not 'inotify'") !=
          std::string::npos);
  }
}

TEST_CASE("fsmonitor: the socket found once is used again without asking watchman's CLI") {
  WatchmanServer server;
  GitRepo repo;
  write_workspace(repo);
  repo.commit("base");
  repo.git("checkout -q -b feature");
  check_affected(repo, server);
  repo.write("services/b/b.txt", "changed\n");
  // No WATCHMAN_SOCK and no `watchman` on PATH: only the saved socket can answer.
  auto r = repo.ripple_with_env("PATH=/nonexistent RIPPLE_FSMONITOR=watchman RIPPLE_TIMING=1",
                                "affected");
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out == "b\n");
  CHECK(rechecked(r.err));
  CHECK(r.err.find("warning") == std::string::npos);
}
