// diff_trees (git/tree_diff.h) against `git diff --no-renames` on real repositories: every kind of
// change between two commits, random histories, absent sides, and a subtree that is never read
// because its id did not change.

#include "orchestrator/git/tree_diff.h"

#include <git2.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <map>
#include <random>
#include <string>

#include "tests/support/git_repo.h"

using namespace ripple;
using namespace ripple::git;
using ripple::testing::GitRepo;
using ripple::testing::run_shell;
using ripple::testing::shell_quote;

namespace {

char letter(graph::ChangeKind kind) {
  switch (kind) {
    case graph::ChangeKind::added:
      return 'A';
    case graph::ChangeKind::deleted:
      return 'D';
    case graph::ChangeKind::modified:
      return 'M';
  }
  return '?';
}

// The repository at `dir`, opened by libgit2.
struct Opened {
  RepoPtr repo;
  explicit Opened(const std::string& dir) {
    git_libgit2_init();
    git_repository* raw = nullptr;
    REQUIRE(git_repository_open(&raw, dir.c_str()) == 0);
    repo.reset(raw);
  }

  TreePtr tree(const std::string& rev) const {
    git_object* obj = nullptr;
    REQUIRE(git_revparse_single(&obj, repo.get(), (rev + "^{tree}").c_str()) == 0);
    return TreePtr(reinterpret_cast<git_tree*>(obj));
  }

  // path → 'A', 'D' or 'M' from diff_trees(before, after); before/after "" for an absent tree.
  Result<std::map<std::string, char>> diff(const std::string& before,
                                           const std::string& after) const {
    TreePtr b = before.empty() ? TreePtr() : tree(before);
    TreePtr a = after.empty() ? TreePtr() : tree(after);
    ChangeMap changes;
    if (auto st = diff_trees(repo.get(), b.get(), a.get(), "", changes); !st) {
      return tl::unexpected(st.error());
    }
    std::map<std::string, char> out;
    for (const auto& [path, kind] : changes) {
      out[path] = letter(kind);
    }
    return out;
  }
};

// What git says: path → 'A', 'D' or 'M' (a type change, file to link, is a modification).
std::map<std::string, char> gits(const GitRepo& repo, const std::string& before,
                                 const std::string& after) {
  std::string out = repo.git("diff --no-renames --name-status -z " + before + " " + after);
  std::map<std::string, char> result;
  std::size_t at = 0;
  while (at < out.size()) {
    std::size_t status_end = out.find('\0', at);
    std::size_t path_end = out.find('\0', status_end + 1);
    REQUIRE(path_end != std::string::npos);
    char status = out[at] == 'T' ? 'M' : out[at];
    result[out.substr(status_end + 1, path_end - status_end - 1)] = status;
    at = path_end + 1;
  }
  return result;
}

void check_agrees(const GitRepo& repo, const std::string& before, const std::string& after) {
  INFO(before << ".." << after);
  auto ours = Opened(repo.path()).diff(before, after);
  INFO((ours ? std::string() : ours.error().message));
  REQUIRE(ours.has_value());
  CHECK(*ours == gits(repo, before, after));
}

void sh(const GitRepo& repo, const std::string& command) {
  auto r = run_shell(command, repo.path());
  INFO(command << "\n" << r.err);
  REQUIRE(r.exit_code == 0);
}

}  // namespace

TEST_CASE("tree diff: every kind of change, as git diff --no-renames names it") {
  GitRepo repo;
  // Names that sort differently as trees ("a" compares as "a/") and as bytes, and non-ASCII.
  for (const char* path :
       {"a-b", "a.txt", "a/x.txt", "a/deep/y.txt", "a0", "keep/k.txt", "keep/sub/k2.txt",
        "gone/g.txt", "gone/deeper/g2.txt", "becomes-dir", "dir-becomes/inner.txt", "mode.sh",
        "link-target.txt", "caf\xc3\xa9/menu.txt", "renamed-from.txt", "z"}) {
    repo.write(path, std::string("content of ") + path + "\n");
  }
  sh(repo, "ln -s link-target.txt link && ln -s a.txt becomes-file");
  repo.commit("before");
  repo.write("a/x.txt", "modified\n");
  repo.write("a/deep/new.txt", "added deep\n");
  repo.write("new-top.txt", "added\n");
  repo.write("caf\xc3\xa9/menu.txt", "modified\n");
  sh(repo,
     "rm -r gone && chmod +x mode.sh && rm becomes-dir && mkdir becomes-dir && "
     "echo inside > becomes-dir/f.txt && rm -r dir-becomes && echo file > dir-becomes && "
     "ln -sfn a0 link && rm becomes-file && echo regular > becomes-file && "
     "git mv renamed-from.txt renamed-to.txt");
  repo.commit("after");
  check_agrees(repo, "HEAD~1", "HEAD");
  check_agrees(repo, "HEAD", "HEAD~1");
  check_agrees(repo, "HEAD", "HEAD");

  auto ours = Opened(repo.path()).diff("HEAD~1", "HEAD");
  REQUIRE(ours.has_value());
  // Spot checks, should git's answer ever be empty: a rename is both sides; a file that became
  // a directory is a deletion plus additions; a mode change is a modification.
  CHECK(ours->at("renamed-from.txt") == 'D');
  CHECK(ours->at("renamed-to.txt") == 'A');
  CHECK(ours->at("becomes-dir") == 'D');
  CHECK(ours->at("becomes-dir/f.txt") == 'A');
  CHECK(ours->at("mode.sh") == 'M');
  CHECK(ours->at("gone/deeper/g2.txt") == 'D');
  CHECK(ours->count("keep/k.txt") == 0);
}

TEST_CASE("tree diff: a submodule entry is a path like a file") {
  GitRepo repo;
  repo.write("f.txt", "f\n");
  repo.commit("one");
  std::string one = repo.git("rev-parse HEAD");
  one.erase(one.find_last_not_of('\n') + 1);
  // Committed from the index alone (`git add -A` would drop a gitlink with no work tree).
  repo.git("update-index --add --cacheinfo 160000," + one + ",sub");
  repo.git("commit -q -m gitlink");
  repo.write("f.txt", "g\n");
  repo.git("add f.txt");
  repo.git("commit -q -m two");
  std::string two = repo.git("rev-parse HEAD");
  two.erase(two.find_last_not_of('\n') + 1);
  repo.git("update-index --cacheinfo 160000," + two + ",sub");
  repo.git("commit -q -m 'gitlink moved'");
  check_agrees(repo, "HEAD~3", "HEAD~2");
  check_agrees(repo, "HEAD~1", "HEAD");
  auto ours = Opened(repo.path()).diff("HEAD~1", "HEAD");
  REQUIRE(ours.has_value());
  CHECK(*ours == std::map<std::string, char>{{"sub", 'M'}});
}

TEST_CASE("tree diff: an absent side is everything added or everything deleted") {
  GitRepo repo;
  repo.write("a/b/c.txt", "c\n");
  repo.write("a/d.txt", "d\n");
  repo.write("top", "t\n");
  repo.commit("one");
  Opened o(repo.path());
  using M = std::map<std::string, char>;
  auto added = o.diff("", "HEAD");
  REQUIRE(added.has_value());
  CHECK(*added == M{{"a/b/c.txt", 'A'}, {"a/d.txt", 'A'}, {"top", 'A'}});
  auto deleted = o.diff("HEAD", "");
  REQUIRE(deleted.has_value());
  CHECK(*deleted == M{{"a/b/c.txt", 'D'}, {"a/d.txt", 'D'}, {"top", 'D'}});
  auto nothing = o.diff("", "");
  REQUIRE(nothing.has_value());
  CHECK(nothing->empty());
}

// The cost follows the change: a subtree whose id is the same on both sides is never read. Its
// object is deleted here; a diff that had to read it would fail.
TEST_CASE(
    "tree diff: an unchanged subtree is never read, and an unreadable changed one is an error") {
  GitRepo repo;
  repo.write("big/1.txt", "1\n");
  repo.write("big/deep/2.txt", "2\n");
  repo.write("small/s.txt", "s\n");
  repo.commit("one");
  repo.write("small/s.txt", "changed\n");
  repo.commit("two");
  std::string big = repo.git("rev-parse HEAD:big");
  big.erase(big.find_last_not_of('\n') + 1);
  const std::string object =
      repo.path() + "/.git/objects/" + big.substr(0, 2) + "/" + big.substr(2);
  REQUIRE(unlink(object.c_str()) == 0);

  Opened o(repo.path());
  auto changed = o.diff("HEAD~1", "HEAD");
  INFO((changed ? std::string() : changed.error().message));
  REQUIRE(changed.has_value());
  CHECK(*changed == std::map<std::string, char>{{"small/s.txt", 'M'}});

  // Against an absent tree every subtree must be read: the missing one is an environment error
  // naming it.
  auto all = o.diff("", "HEAD");
  REQUIRE_FALSE(all.has_value());
  CHECK(all.error().kind == ErrorKind::environment);
  CHECK_THAT(all.error().message, Catch::StartsWith("cannot read tree " + big));
}

TEST_CASE("tree diff: random histories agree with git at every step") {
  GitRepo repo;
  std::mt19937 rng(20260101);
  const std::vector<std::string> names = {"a", "a-b", "a.b", "a0", "b", "x_y", "\xc3\xa9"};
  auto pick = [&](const std::vector<std::string>& from) {
    return from[std::uniform_int_distribution<std::size_t>(0, from.size() - 1)(rng)];
  };
  // A path of one to three random names.
  auto random_path = [&] {
    std::string p = pick(names);
    for (int depth = std::uniform_int_distribution<int>(0, 2)(rng); depth > 0; --depth) {
      p += "/" + pick(names);
    }
    return p;
  };
  repo.write("seed.txt", "seed\n");
  repo.commit("seed");
  for (int round = 0; round < 25; ++round) {
    for (int op = std::uniform_int_distribution<int>(1, 6)(rng); op > 0; --op) {
      const std::string p = random_path();
      switch (std::uniform_int_distribution<int>(0, 3)(rng)) {
        case 0:  // write a file, replacing whatever is in the way
        case 1: {
          std::string command = "rm -rf " + shell_quote(p);
          for (std::size_t slash = p.find('/'); slash != std::string::npos;
               slash = p.find('/', slash + 1)) {
            const std::string dir = shell_quote(p.substr(0, slash));
            command += " && { [ -d " + dir + " ] || rm -f " + dir + "; }";
          }
          sh(repo, command + " && mkdir -p \"$(dirname " + shell_quote(p) + ")\" && echo " +
                       std::to_string(round) + " > " + shell_quote(p));
          break;
        }
        case 2:  // remove a file or a directory
          sh(repo, "rm -rf " + shell_quote(p));
          break;
        case 3:  // flip the executable bit of a file
          sh(repo, "if [ -f " + shell_quote(p) + " ]; then if [ -x " + shell_quote(p) +
                       " ]; then chmod -x " + shell_quote(p) + "; else chmod +x " + shell_quote(p) +
                       "; fi; fi");
          break;
      }
    }
    repo.commit("round " + std::to_string(round));
    check_agrees(repo, "HEAD~1", "HEAD");
  }
  check_agrees(repo, "HEAD~25", "HEAD");
  check_agrees(repo, "HEAD", "HEAD~12");
}
