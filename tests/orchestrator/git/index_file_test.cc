#include "orchestrator/git/index_file.h"

#include <git2.h>

#include <catch2/catch.hpp>
#include <algorithm>
#include <fstream>
#include <set>
#include <vector>

#include "orchestrator/git/index_snapshot.h"
#include "tests/support/git_repo.h"

using namespace ripple;
using namespace ripple::git;
using ripple::testing::GitRepo;
using ripple::testing::run_shell;

namespace {

// What libgit2 reads from the same repository's index.
struct Libgit2Index {
  RepoPtr repo;
  IndexPtr index;
  explicit Libgit2Index(const std::string& dir) {
    git_libgit2_init();
    git_repository* r = nullptr;
    REQUIRE(git_repository_open(&r, dir.c_str()) == 0);
    repo.reset(r);
    git_index* i = nullptr;
    REQUIRE(git_repository_index(&i, r) == 0);
    index.reset(i);
  }
};

void require_same_as_libgit2(const GitRepo& repo) {
  auto ours = read_index_file(repo.path() + "/.git/index");
  REQUIRE(ours.has_value());
  Libgit2Index theirs(repo.path());
  REQUIRE(ours->entries.size() == git_index_entrycount(theirs.index.get()));
  for (std::size_t i = 0; i < ours->entries.size(); ++i) {
    const IndexEntry& a = ours->entries[i];
    const git_index_entry* b = git_index_get_byindex(theirs.index.get(), i);
    INFO(b->path);
    CHECK(a.path == b->path);
    CHECK(a.path.data()[a.path.size()] == '\0');
    const git_oid id = a.id();
    CHECK(git_oid_equal(&id, &b->id));
    CHECK(a.mode() == b->mode);
    CHECK(a.file_size() == b->file_size);
    CHECK(a.ino() == b->ino);
    CHECK(a.mtime().seconds == b->mtime.seconds);
    CHECK(a.mtime().nanoseconds == b->mtime.nanoseconds);
    CHECK(a.ctime().seconds == b->ctime.seconds);
    CHECK(a.ctime().nanoseconds == b->ctime.nanoseconds);
    CHECK(a.stage() == GIT_INDEX_ENTRY_STAGE(b));
    CHECK(a.flags_extended() ==
          (b->flags_extended & (GIT_INDEX_ENTRY_INTENT_TO_ADD | GIT_INDEX_ENTRY_SKIP_WORKTREE)));
  }
}

// Adds every kind of path the reader must cope with; `long_path` adds one of more than 0xFFF
// bytes (which libgit2 1.5 cannot read back from a version 4 index).
void populate(const GitRepo& repo, bool long_path = true) {
  repo.write("README.md", "hello\n");
  repo.write("a/b.txt", "b\n");
  repo.write("a/b/c.txt", "c\n");
  repo.write("a/b/d/e.txt", "e\n");
  repo.write("a-b/x", "x\n");
  repo.git("add -A");
  repo.git("update-index --chmod=+x a/b.txt");
  // A path of 0xFFF bytes or more has no length in its entry's flags; it cannot exist in a work
  // tree (PATH_MAX), so it goes into the index alone.
  std::string blob = repo.git("hash-object -w README.md");
  blob.erase(blob.find_last_not_of('\n') + 1);
  std::string name = "long";
  for (int i = 0; long_path && i < 20; ++i) {
    name += "/" + std::string(210, static_cast<char>('a' + i));
  }
  repo.git("update-index --add --cacheinfo 100644," + blob + "," + name);
  repo.git("commit -q -m one");
}

void corrupt_last_byte_before_checksum(const std::string& path) {
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  f.seekg(0, std::ios::end);
  auto size = static_cast<std::streamoff>(f.tellg());
  f.seekp(size - 21);
  char c = 0;
  f.seekg(size - 21);
  f.get(c);
  f.seekp(size - 21);
  f.put(static_cast<char>(c ^ 0x5a));
}

}  // namespace

TEST_CASE("the index reader decodes version 2 entries exactly as libgit2 does") {
  GitRepo repo;
  populate(repo);
  repo.git("update-index --index-version 2");
  require_same_as_libgit2(repo);
}

TEST_CASE("the index reader decodes version 3 extended flags (skip-worktree, intent-to-add)") {
  GitRepo repo;
  populate(repo);
  repo.write("new.txt", "intent\n");
  repo.git("add -N new.txt");
  repo.git("update-index --skip-worktree a/b/c.txt");
  repo.git("update-index --index-version 3");
  require_same_as_libgit2(repo);
  auto ours = read_index_file(repo.path() + "/.git/index");
  REQUIRE(ours.has_value());
  int skip = 0;
  int ita = 0;
  for (const IndexEntry& e : ours->entries) {
    skip += (e.flags_extended() & GIT_INDEX_ENTRY_SKIP_WORKTREE) != 0 ? 1 : 0;
    ita += (e.flags_extended() & GIT_INDEX_ENTRY_INTENT_TO_ADD) != 0 ? 1 : 0;
  }
  CHECK(skip == 1);
  CHECK(ita == 1);
}

TEST_CASE("the index reader decodes version 4 prefix-compressed paths") {
  GitRepo repo;
  populate(repo, false);
  repo.git("update-index --index-version 4");
  require_same_as_libgit2(repo);
}

TEST_CASE("the index reader decodes paths of 0xFFF bytes and more, in versions 2 and 4") {
  for (const char* version : {"2", "4"}) {
    GitRepo repo;
    populate(repo);
    repo.git(std::string("update-index --index-version ") + version);
    auto ours = read_index_file(repo.path() + "/.git/index");
    REQUIRE(ours.has_value());
    std::string listed;
    for (const IndexEntry& e : ours->entries) {
      listed.append(e.path).push_back('\n');
    }
    CHECK(listed == repo.git("ls-files"));
  }
}

TEST_CASE("the index reader sees conflict stages as libgit2 does") {
  GitRepo repo;
  repo.write("f.txt", "base\n");
  repo.commit("base");
  repo.git("checkout -q -b other");
  repo.write("f.txt", "other\n");
  repo.commit("other");
  repo.git("checkout -q main");
  repo.write("f.txt", "main\n");
  repo.commit("main");
  run_shell("git merge other >/dev/null 2>&1", repo.path());
  // The merge stopped on the conflict: f.txt is in the index at stages 1, 2 and 3.
  std::string unmerged = repo.git("ls-files -u");
  REQUIRE(std::count(unmerged.begin(), unmerged.end(), '\n') == 3);
  require_same_as_libgit2(repo);
  auto ours = read_index_file(repo.path() + "/.git/index");
  REQUIRE(ours.has_value());
  std::vector<int> stages;
  for (const IndexEntry& e : ours->entries) {
    if (e.path == "f.txt") {
      stages.push_back(e.stage());
    }
  }
  CHECK(stages == std::vector<int>{1, 2, 3});
}

TEST_CASE("the cache tree's root id is the tree git write-tree writes") {
  GitRepo repo;
  populate(repo);
  auto ours = read_index_file(repo.path() + "/.git/index");
  REQUIRE(ours.has_value());
  REQUIRE_FALSE(ours->trees.empty());
  CHECK(ours->trees.front().path.empty());
  std::string tree = repo.git("write-tree");
  tree.erase(tree.find_last_not_of('\n') + 1);
  CHECK(hex(ours->trees.front().id) == tree);
  bool nested = false;
  for (const CachedTree& t : ours->trees) {
    if (t.path == "a/b/d") {
      std::string sub = repo.git("rev-parse HEAD:a/b/d");
      sub.erase(sub.find_last_not_of('\n') + 1);
      CHECK(hex(t.id) == sub);
      nested = true;
    }
  }
  CHECK(nested);
}

TEST_CASE(
    "an index staged after the last commit leaves changed directories out of the cache tree") {
  GitRepo repo;
  populate(repo);
  repo.write("a/b/c.txt", "changed\n");
  repo.git("add a/b/c.txt");
  auto ours = read_index_file(repo.path() + "/.git/index");
  REQUIRE(ours.has_value());
  std::set<std::string> paths;
  for (const CachedTree& t : ours->trees) {
    paths.insert(t.path);
  }
  // git invalidates the directories holding the staged file; those beside and below stay valid.
  CHECK(paths.count("") == 0);
  CHECK(paths.count("a") == 0);
  CHECK(paths.count("a/b") == 0);
  CHECK(paths.count("a/b/d") == 1);
  CHECK(paths.count("a-b") == 1);
}

TEST_CASE("a split index is left to libgit2, which names what it cannot read") {
  GitRepo repo;
  populate(repo);
  repo.git("update-index --split-index");
  CHECK_FALSE(read_index_file(repo.path() + "/.git/index").has_value());
  git_libgit2_init();
  git_repository* raw = nullptr;
  REQUIRE(git_repository_open(&raw, repo.path().c_str()) == 0);
  RepoPtr handle(raw);
  auto snap = load_index(handle.get(), "");
  REQUIRE_FALSE(snap.has_value());
  CHECK_THAT(snap.error().message, Catch::Contains("link"));
}

TEST_CASE("asked to verify it, the reader refuses an index whose checksum does not match") {
  GitRepo repo;
  populate(repo);
  const std::string path = repo.path() + "/.git/index";
  CHECK(read_index_file(path, true).has_value());
  corrupt_last_byte_before_checksum(path);
  CHECK_FALSE(read_index_file(path, true).has_value());
}

TEST_CASE("a missing or truncated index is left to libgit2") {
  GitRepo repo;
  CHECK_FALSE(read_index_file(repo.path() + "/.git/index").has_value());
  populate(repo);
  std::string path = repo.path() + "/.git/index";
  std::string bytes;
  {
    std::ifstream in(path, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes.substr(0, bytes.size() / 2);
  CHECK_FALSE(read_index_file(path).has_value());
}

TEST_CASE("the snapshot below a prefix keeps that directory's entries and cache trees") {
  GitRepo repo;
  populate(repo);
  auto snap = load_index(Libgit2Index(repo.path()).repo.get(), "a/b");
  REQUIRE(snap.has_value());
  REQUIRE(snap->entries.size() == 2);
  CHECK(snap->entries[0].path == "c.txt");
  CHECK(snap->entries[1].path == "d/e.txt");
  REQUIRE_FALSE(snap->trees.empty());
  CHECK(snap->trees.front().path.empty());
  std::string sub = repo.git("rev-parse HEAD:a/b");
  sub.erase(sub.find_last_not_of('\n') + 1);
  CHECK(hex(snap->trees.front().id) == sub);
}

TEST_CASE("snapshots read by libgit2 and by the index reader are the same") {
  GitRepo repo;
  populate(repo, false);
  repo.write("new.txt", "intent\n");
  repo.git("add -N new.txt");
  repo.git("update-index --skip-worktree a/b/c.txt");
  git_libgit2_init();
  git_repository* raw = nullptr;
  REQUIRE(git_repository_open(&raw, repo.path().c_str()) == 0);
  RepoPtr handle(raw);
  for (const char* prefix : {"", "a"}) {
    auto ours = load_index(handle.get(), prefix);
    auto theirs = load_index(handle.get(), prefix, IndexReader::libgit2);
    REQUIRE(ours.has_value());
    REQUIRE(theirs.has_value());
    REQUIRE(ours->entries.size() == theirs->entries.size());
    for (std::size_t i = 0; i < ours->entries.size(); ++i) {
      const IndexEntry& a = ours->entries[i];
      const IndexEntry& b = theirs->entries[i];
      INFO(a.path);
      CHECK(a.path == b.path);
      const git_oid ida = a.id();
      const git_oid idb = b.id();
      CHECK(git_oid_equal(&ida, &idb));
      CHECK(a.mode() == b.mode());
      CHECK(a.file_size() == b.file_size());
      CHECK(a.ino() == b.ino());
      CHECK(a.mtime().seconds == b.mtime().seconds);
      CHECK(a.mtime().nanoseconds == b.mtime().nanoseconds);
      CHECK(a.ctime().seconds == b.ctime().seconds);
      CHECK(a.ctime().nanoseconds == b.ctime().nanoseconds);
      CHECK(a.stage() == b.stage());
      CHECK(a.flags_extended() == b.flags_extended());
    }
    CHECK(ours->intent_to_add == theirs->intent_to_add);
    CHECK(ours->index_mtime.tv_sec == theirs->index_mtime.tv_sec);
    CHECK(ours->index_mtime.tv_nsec == theirs->index_mtime.tv_nsec);
  }
}
