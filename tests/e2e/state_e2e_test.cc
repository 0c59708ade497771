// ripple's own state under .ripple/: caches that must never change an answer.

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <iterator>

#include "tests/support/git_repo.h"

using namespace ripple::testing;

namespace {

const char* const kSnapshot = ".ripple/state/service-configs.snapshot";

void write_workspace(const GitRepo& repo) {
  repo.write("ripple.yaml", "version: 1\nservices: [services/*]\n");
  repo.write("services/a/service.yaml", "");
  repo.write("services/b/service.yaml", "");
  repo.write("services/c/service.yaml", "deps: [a]\n");
}

std::string graph(const GitRepo& repo) {
  auto r = repo.ripple("graph");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return r.out;
}

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::int64_t mtime_ns(const std::string& path) {
  struct stat st;
  REQUIRE(stat(path.c_str(), &st) == 0);
  return static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
}

}  // namespace

TEST_CASE(
    "state: a service.yaml edited right after a run is read again, even with its mtime kept") {
  GitRepo repo;
  write_workspace(repo);
  repo.commit("base");
  const std::string snapshot = repo.path() + "/" + kSnapshot;
  for (int i = 0; i < 2; ++i) {
    const char* dep = i % 2 == 0 ? "a" : "b";
    const char* other = i % 2 == 0 ? "b" : "a";
    // Older than the racy window (2 s), so the run keeps the parsed config in the snapshot and
    // the next run takes it from there: the snapshot is not rewritten.
    sleep(3);
    CHECK(graph(repo) == std::string("a\nb\nc: ") + dep + "\n");
    std::int64_t written = mtime_ns(snapshot);
    CHECK(graph(repo) == std::string("a\nb\nc: ") + dep + "\n");
    REQUIRE(mtime_ns(snapshot) == written);
    // Same size, and the old mtime put back: only the ctime tells.
    run_shell("cp -p services/c/service.yaml .git/ripple-state-ref && printf 'deps: [" +
                  std::string(other) +
                  "]\\n' > services/c/service.yaml && touch -r .git/ripple-state-ref "
                  "services/c/service.yaml && rm .git/ripple-state-ref",
              repo.path());
    CHECK(graph(repo) == std::string("a\nb\nc: ") + other + "\n");
  }
}

TEST_CASE("state: parsed service.yaml files come from the snapshot once they are old enough") {
  GitRepo repo;
  write_workspace(repo);
  repo.commit("base");
  // Files written less than the racy window (2 s) before they were read are never trusted.
  sleep(3);
  CHECK(graph(repo) == "a\nb\nc: a\n");
  const std::string snapshot = repo.path() + "/" + kSnapshot;
  std::int64_t written = mtime_ns(snapshot);
  CHECK(graph(repo) == "a\nb\nc: a\n");
  CHECK(mtime_ns(snapshot) == written);  // every config came from it: nothing to rewrite

  repo.write("services/c/service.yaml", "deps: [b]\n");
  CHECK(graph(repo) == "a\nb\nc: b\n");
  repo.write("services/d/service.yaml", "deps: [c]\n");
  CHECK(graph(repo) == "a\nb\nc: b\nd: c\n");
  repo.remove("services/d/service.yaml");
  CHECK(graph(repo) == "a\nb\nc: b\n");
}

TEST_CASE("state: a deleted, damaged or foreign service-config snapshot is ignored") {
  GitRepo repo;
  write_workspace(repo);
  repo.commit("base");
  sleep(3);
  CHECK(graph(repo) == "a\nb\nc: a\n");
  const std::string snapshot = repo.path() + "/" + kSnapshot;
  std::string good = read_bytes(snapshot);
  REQUIRE(good.size() > 40);

  std::string damaged = good;
  damaged[good.size() / 2] = static_cast<char>(damaged[good.size() / 2] ^ 0x20);
  std::ofstream(snapshot, std::ios::binary | std::ios::trunc) << damaged;
  auto r = repo.ripple("graph");
  CHECK(r.exit_code == 0);
  CHECK(r.err.empty());
  CHECK(r.out == "a\nb\nc: a\n");

  std::ofstream(snapshot, std::ios::binary | std::ios::trunc) << "not a snapshot at all";
  CHECK(graph(repo) == "a\nb\nc: a\n");
  std::ofstream(snapshot, std::ios::binary | std::ios::trunc) << good.substr(0, good.size() - 3);
  CHECK(graph(repo) == "a\nb\nc: a\n");
  REQUIRE(unlink(snapshot.c_str()) == 0);
  CHECK(graph(repo) == "a\nb\nc: a\n");
  CHECK(read_bytes(snapshot).size() == good.size());  // rebuilt
}

TEST_CASE("state: a .ripple that cannot be written fails no command") {
  GitRepo repo;
  write_workspace(repo);
  repo.commit("base");
  repo.write(".ripple", "a file where ripple's state directory would be\n");
  auto r = repo.ripple("graph");
  CHECK(r.exit_code == 0);
  CHECK(r.out == "a\nb\nc: a\n");
  auto a = repo.ripple("affected --base main");
  CHECK(a.exit_code == 0);
  CHECK(a.out.empty());
}

namespace {

// The workspace committed, then left alone past the racy window so that listings are trusted.
void settled_workspace(const GitRepo& repo) {
  write_workspace(repo);
  repo.write("services/a/src/main.c", "int main() {}\n");
  repo.write("services/b/src/lib.c", "int f() {}\n");
  repo.commit("base");
  sleep(3);
}

std::string affected(const GitRepo& repo) {
  auto r = repo.ripple("affected --base main");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return r.out;
}

}  // namespace

TEST_CASE("state: a directory gaining an untracked file is noticed, even with its mtime put back") {
  GitRepo repo;
  settled_workspace(repo);
  CHECK(affected(repo).empty());
  CHECK(affected(repo).empty());  // listings now come from the snapshot
  // A new name, then the directory's mtime set far back: only its ctime still tells.
  run_shell(": > src/new.c && touch -d @1 src", repo.path() + "/services/b");
  CHECK(affected(repo) == "b\n");
  repo.write("services/a/notes.txt", "new\n");
  CHECK(affected(repo) == "a\nb\nc\n");  // c depends on a
}

TEST_CASE("state: a new ignore rule is honoured for names the listing snapshot remembers") {
  GitRepo repo;
  settled_workspace(repo);
  repo.write("services/a/src/scratch.log", "x\n");
  CHECK(affected(repo) == "a\nc\n");
  sleep(3);
  CHECK(affected(repo) == "a\nc\n");  // services/a/src listed from the snapshot from now on
  // .git/info/exclude changes no directory of the work tree.
  run_shell("echo '*.log' >> .git/info/exclude", repo.path());
  CHECK(affected(repo).empty());
  run_shell("sed -i '$d' .git/info/exclude", repo.path());
  CHECK(affected(repo) == "a\nc\n");
}

TEST_CASE(
    "state: a file untracked with git rm --cached is listed by hash, its directory unchanged") {
  GitRepo repo;
  settled_workspace(repo);
  auto before = repo.ripple("hash b --files");
  REQUIRE(before.exit_code == 0);
  CHECK_THAT(before.out, Catch::Contains("services/b/src/lib.c"));
  repo.git("rm -q --cached services/b/src/lib.c");
  auto after = repo.ripple("hash b --files");
  REQUIRE(after.exit_code == 0);
  CHECK_THAT(after.out, Catch::Contains("read\tservices/b/src/lib.c"));
}

TEST_CASE("state: a damaged listing snapshot is ignored") {
  GitRepo repo;
  settled_workspace(repo);
  repo.write("services/a/src/extra.c", "x\n");
  CHECK(affected(repo) == "a\nc\n");
  sleep(3);
  CHECK(affected(repo) == "a\nc\n");
  const std::string snapshot = repo.path() + "/.ripple/state/dir-listings.snapshot";
  std::string good = read_bytes(snapshot);
  REQUIRE(good.size() > 40);
  std::string damaged = good;
  damaged[good.size() / 3] = static_cast<char>(damaged[good.size() / 3] ^ 0x01);
  std::ofstream(snapshot, std::ios::binary | std::ios::trunc) << damaged;
  auto r = repo.ripple("affected --base main");
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("warning") == std::string::npos);
  CHECK(r.out == "a\nc\n");
}
