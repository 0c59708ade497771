// GitVcs::scan_changes() with a FileListing: one walk of the work tree answers both the changes
// and the file listing. Each case compares that walk with the two separate calls on the same tree.

#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "orchestrator/git/git_blob_hasher.h"
#include "orchestrator/git/git_vcs.h"
#include "tests/support/content_hashers.h"
#include "tests/support/git_repo.h"

using namespace ripple;
using ripple::testing::FaultyHasher;
using ripple::testing::GitRepo;
using ripple::testing::run_shell;

namespace {

std::vector<std::string> lines_of(const graph::ChangeSet& changes) {
  std::vector<std::string> out;
  for (const auto& f : changes.files) {
    out.push_back(f.path.str() + " " + std::to_string(static_cast<int>(f.kind)));
  }
  return out;
}

std::vector<std::string> lines_of(const FileTable& table) {
  std::vector<std::string> out;
  for (const InputFile& f : table.files()) {
    out.push_back(std::string(f.path) + " " + std::to_string(f.mode) + " " + std::string(f.id));
  }
  return out;
}

std::unique_ptr<git::GitVcs> open(const std::string& root) {
  auto vcs = git::GitVcs::open(root);
  REQUIRE(vcs.has_value());
  return std::move(*vcs);
}

const ChangeQuery kAgainstHead{"HEAD", std::nullopt, true};

// The changes and the listing of `root` both ways; they must agree. Returns the changes.
std::vector<std::string> check_one_walk_agrees(const std::string& root) {
  git::GitBlobHasher hasher;
  auto separate_changes = open(root)->changes(kAgainstHead);
  auto separate_files = open(root)->files(nullptr, hasher);
  REQUIRE(separate_changes.has_value());
  REQUIRE(separate_files.has_value());

  auto shared = open(root)->scan_changes(kAgainstHead, FileListing{nullptr, &hasher});
  REQUIRE(shared.has_value());
  auto& files = shared->files;
  REQUIRE(files.has_value());
  REQUIRE(files->has_value());

  CHECK(lines_of(shared->changes) == lines_of(*separate_changes));
  CHECK(lines_of(**files) == lines_of(*separate_files));
  return lines_of(shared->changes);
}

}  // namespace

TEST_CASE(
    "one walk: modified, untracked, deleted, staged, intent-to-add, chmod and filtered files") {
  GitRepo repo;
  repo.write(".gitattributes", "*.txt text eol=lf\n");
  repo.write("a/same.txt", "one\ntwo\n");
  repo.write("a/edited.txt", "one\n");
  repo.write("a/gone.sh", "echo gone\n");
  repo.write("b/run.sh", "echo run\n");
  repo.write("b/keep.c", "int x;\n");
  repo.commit("base");
  run_shell("sleep 1.1", repo.path());         // the edits below are not racily clean
  repo.write("a/same.txt", "one\r\ntwo\r\n");  // the same blob once git's eol filter has run
  repo.write("a/edited.txt", "one\r\nthree\r\n");
  repo.remove("a/gone.sh");
  repo.write("b/new.c", "int y;\n");
  repo.git("add b/new.c");
  repo.write("b/later.c", "int z;\n");
  repo.git("add -N b/later.c");
  run_shell("chmod +x b/run.sh", repo.path());
  repo.write("c/untracked.md", "new\n");

  auto changes = check_one_walk_agrees(repo.path());
  CHECK(changes.size() == 6);  // all but a/same.txt and b/keep.c
}

TEST_CASE("one walk: a workspace in a subdirectory of the repository") {
  GitRepo repo;
  repo.write("ws/svc/main.c", "int main;\n");
  repo.write("ws/svc/old.c", "int old;\n");
  repo.write("other/file.c", "int other;\n");
  repo.commit("base");
  repo.write("ws/svc/main.c", "int main2;\n");
  repo.remove("ws/svc/old.c");
  repo.write("ws/svc/new.c", "int fresh;\n");
  repo.write("other/file.c", "int changed;\n");  // outside the workspace: never seen

  auto changes = check_one_walk_agrees(repo.path() + "/ws");
  CHECK(changes.size() == 3);
}

TEST_CASE("one walk: a merge conflict") {
  GitRepo repo;
  repo.write("s/f.txt", "base\n");
  repo.write("s/g.txt", "stays\n");
  repo.commit("base");
  repo.git("checkout -q -b other");
  repo.write("s/f.txt", "other\n");
  repo.commit("other");
  repo.git("checkout -q main");
  repo.write("s/f.txt", "main\n");
  repo.commit("main");
  run_shell("git merge -q other >/dev/null 2>&1 || true", repo.path());
  // The merge stopped on the conflict: s/f.txt is in the index at stages 1, 2 and 3.
  std::string unmerged = repo.git("ls-files -u");
  REQUIRE(std::count(unmerged.begin(), unmerged.end(), '\n') == 3);
  REQUIRE_THAT(unmerged, Catch::Contains("\ts/f.txt\n"));

  auto changes = check_one_walk_agrees(repo.path());
  CHECK(changes.size() == 1);
}

TEST_CASE("one walk: a file the listing cannot read leaves the changes whole, the error listed") {
  GitRepo repo;
  repo.write("s/kept.txt", "kept\n");
  repo.commit("base");
  repo.write("s/kept.txt", "edited\n");
  repo.write("s/unreadable.txt", "new\n");

  git::GitBlobHasher blob;
  FaultyHasher faulty(blob, "/s/unreadable.txt");
  auto separate = open(repo.path())->changes(kAgainstHead);
  REQUIRE(separate.has_value());

  auto shared = open(repo.path())->scan_changes(kAgainstHead, FileListing{nullptr, &faulty});
  REQUIRE(shared.has_value());
  CHECK(lines_of(shared->changes) == lines_of(*separate));
  auto& files = shared->files;
  REQUIRE(files.has_value());
  REQUIRE_FALSE(files->has_value());
  CHECK_THAT(files->error().message, Catch::Contains("s/unreadable.txt"));
}
