// `ripple hash` on real directories and git repositories made by the tests.

#include <unistd.h>

#include <catch2/catch.hpp>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "cache/digest.h"
#include "tests/support/git_repo.h"
#include "tests/support/skip.h"

using namespace ripple::testing;
using Json = nlohmann::json;

namespace {

// api; web, which also reads libs/shared; shared; tools/ is global, Markdown and docs/ ignored.
template <typename Dir>
void write_workspace(const Dir& d) {
  d.write("ripple.yaml",
          "version: 1\nservices: [services/*, libs/*]\n"
          "global_inputs: ['tools/**']\nignore: ['**/*.md', 'docs/**']\n");
  d.write("services/api/service.yaml", "deps: [shared]\n");
  d.write("services/api/main.go", "package main\n");
  d.write("services/api/handlers/h.go", "package handlers\n");
  d.write("services/web/service.yaml", "inputs: ['**', '../../libs/shared/**']\n");
  d.write("services/web/app.js", "console.log(1)\n");
  d.write("libs/shared/service.yaml", "");
  d.write("libs/shared/s.h", "int s;\n");
  d.write("tools/lint.sh", "true\n");
  d.write("docs/guide.txt", "guide\n");
  d.write("README.md", "readme\n");
}

// Every service input write_workspace writes (tools/ is global: no service lists it).
const std::set<std::string> kInputPaths = {
    "libs/shared/s.h",          "libs/shared/service.yaml",  "services/api/handlers/h.go",
    "services/api/main.go",     "services/api/service.yaml", "services/web/app.js",
    "services/web/service.yaml"};

void sh(const std::string& command, const std::string& dir) {
  auto r = run_shell(command, dir);
  INFO(command << "\n" << r.err);
  REQUIRE(r.exit_code == 0);
}

std::string hash_in(const std::string& dir, const std::string& args = "") {
  auto r = run_ripple("hash " + args, dir);
  INFO("ripple hash " << args << " in " << dir << "\n" << r.err);
  REQUIRE(r.exit_code == 0);
  return r.out;
}

// name -> digest, from the text format.
std::map<std::string, std::string> digests(const std::string& dir) {
  std::map<std::string, std::string> out;
  std::istringstream in(hash_in(dir));
  std::string digest, name;
  while (in >> digest >> name) {
    out[name] = digest;
  }
  return out;
}

Json hash_json(const std::string& dir, const std::string& args = "") {
  return Json::parse(hash_in(dir, "--format json " + args));
}

// path -> {mode, id, source} over every service's --files listing.
struct Listed {
  std::string mode, id, source;
};
std::map<std::string, Listed> listed_files(const std::string& dir) {
  std::map<std::string, Listed> out;
  Json doc = hash_json(dir, "--files");
  for (const auto& s : doc["services"]) {
    for (const auto& f : s["files"]) {
      out[f["path"]] = Listed{f["mode"], f["id"], f["source"]};
    }
  }
  return out;
}

// A TempDir seen from one of its subdirectories, for write_workspace.
struct Below {
  const TempDir& dir;
  std::string prefix;
  void write(const std::string& rel, const std::string& content) const {
    dir.write(prefix + rel, content);
  }
};

// path -> "mode id" over every service's inputs: what the digests stand on, without the sources
// (which depend on timing).
std::map<std::string, std::string> ids(const std::string& dir) {
  std::map<std::string, std::string> out;
  for (const auto& [path, f] : listed_files(dir)) {
    out[path] = f.mode + " " + f.id;
  }
  return out;
}

Json without_sources(Json doc) {
  for (auto& s : doc["services"]) {
    for (auto& f : s["files"]) {
      f.erase("source");
    }
  }
  return doc;
}

std::string first_line(const std::string& s) { return s.substr(0, s.find('\n')); }

std::string git_hash_of_text(const std::string& text) {
  return first_line(
      run_shell("printf '%s' " + shell_quote(text) + " | git hash-object --stdin").out);
}

// Lets git refresh its index as `git status` does: racily clean entries (files written in the
// same timestamp tick as the index) are checked once and the index rewritten, later than them.
// Without it a few files right after `git add` or `git clone` are read, correctly but not
// from the index.
void settle(const std::string& dir) {
  sh("sleep 0.05", dir);
  run_git("status --porcelain", dir);
}

// Runs ripple as the unprivileged user nobody (the tests run as root; setpriv is util-linux's,
// which scripts/setup.sh installs), in the clean environment run_ripple() gives it.
CommandResult ripple_as_nobody(const std::string& args, const std::string& dir) {
  return run_shell(
      "setpriv --reuid=65534 --regid=65534 --clear-groups " + ripple_command_line(args), dir);
}

}  // namespace

// --- The same content, the same digest ------------------------------------------------------

TEST_CASE(
    "hash: the same content gives the same digests committed, staged, restored or untracked") {
  GitRepo committed;
  write_workspace(committed);
  committed.commit("all");
  const auto expected = digests(committed.path());
  REQUIRE(expected.size() == 3);

  SECTION("staged") {
    GitRepo repo;
    write_workspace(repo);
    repo.write("services/web/app.js", "console.log(0)\n");
    repo.commit("older app.js");
    CHECK(digests(repo.path()) != expected);
    repo.write("services/web/app.js", "console.log(1)\n");
    CHECK(digests(repo.path()) == expected);  // modified, unstaged
    repo.git("add services/web/app.js");
    CHECK(digests(repo.path()) == expected);  // staged
  }
  SECTION("modified, then restored") {
    GitRepo repo;
    write_workspace(repo);
    repo.commit("all");
    repo.write("services/web/app.js", "console.log(2)\n");
    repo.write("libs/shared/s.h", "int t;\n");
    CHECK(digests(repo.path()) != expected);
    repo.write("services/web/app.js", "console.log(1)\n");
    repo.write("libs/shared/s.h", "int s;\n");
    CHECK(digests(repo.path()) == expected);
    repo.git("checkout -- .");
    CHECK(digests(repo.path()) == expected);
  }
  SECTION("untracked") {
    GitRepo repo;
    write_workspace(repo);
    CHECK(digests(repo.path()) == expected);  // nothing committed at all
    repo.git("add ripple.yaml services/api");
    repo.commit("some");
    CHECK(digests(repo.path()) == expected);  // some committed, the rest untracked
  }
  SECTION("a file deleted from the work tree counts as never there") {
    GitRepo repo;
    write_workspace(repo);
    repo.write("services/api/old.go", "package old\n");
    repo.commit("with old.go");
    CHECK(digests(repo.path()) != expected);
    repo.remove("services/api/old.go");
    CHECK(digests(repo.path()) == expected);
  }
  SECTION("outside git, the same content gives the same digests in two places") {
    TempDir a;
    TempDir b;
    write_workspace(a);
    write_workspace(Below{b, "deeper/still/"});
    CHECK(hash_in(a.path()) == hash_in(b.path() + "/deeper/still"));
  }
}

TEST_CASE("hash: two clones at different absolute paths give the same digests") {
  GitRepo origin;
  write_workspace(origin);
  sh("chmod +x tools/lint.sh && ln -s ../../libs/shared/s.h services/api/shared.h", origin.path());
  origin.commit("all");
  TempDir one;
  TempDir two;
  run_git("clone -q " + shell_quote(origin.path()) + " a", one.path());
  sh("mkdir -p x/y/z", two.path());
  run_git("clone -q " + shell_quote(origin.path()) + " a-clone-elsewhere", two.path() + "/x/y/z");
  std::string first = hash_in(one.path() + "/a", "--format json");
  CHECK(first == hash_in(two.path() + "/x/y/z/a-clone-elsewhere", "--format json"));
  CHECK(first == hash_in(origin.path(), "--format json"));
  // And from a subdirectory of the workspace.
  CHECK(first == hash_in(one.path() + "/a/services/api/handlers", "--format json"));
}

TEST_CASE("hash: a workspace in a subdirectory of its repository gives the same digests") {
  GitRepo top;
  write_workspace(top);
  top.commit("at the root");
  GitRepo nested;
  sh("mkdir -p monorepo/ws && cp -r " + shell_quote(top.path() + "/.") +
         " monorepo/ws/ && rm -rf monorepo/ws/.git",
     nested.path());
  nested.write("other-project/x.txt", "not in the workspace\n");
  nested.commit("in a subdirectory");
  CHECK(hash_in(top.path()) == hash_in(nested.path() + "/monorepo/ws"));
  CHECK(ids(top.path()) == ids(nested.path() + "/monorepo/ws"));
}

TEST_CASE("hash: digests do not depend on the locale") {
  GitRepo repo;
  write_workspace(repo);
  // Names whose order differs between byte order and a locale's collation.
  repo.write("services/api/caf\xc3\xa9.go", "package main\n");
  repo.write("services/api/Zeta.go", "package main\n");
  repo.write("services/api/alpha.go", "package main\n");
  repo.write("services/api/\xc3\xa9t\xc3\xa9.go", "package main\n");
  repo.commit("names");
  repo.write("services/api/\xc3\xbcntracked.go", "package main\n");
  auto c = run_ripple("hash --files --format json", repo.path(), "LC_ALL=C LANG=C");
  auto utf8 = run_ripple("hash --files --format json", repo.path(), "LC_ALL=C.UTF-8 LANG=C.UTF-8");
  REQUIRE(c.exit_code == 0);
  REQUIRE(utf8.exit_code == 0);
  CHECK(without_sources(Json::parse(c.out)) == without_sources(Json::parse(utf8.out)));
  auto names = Json::parse(c.out)["services"];
  bool found = false;
  for (const auto& s : names) {
    for (const auto& f : s["files"]) {
      found = found || f["path"] == "services/api/caf\xc3\xa9.go";
    }
  }
  CHECK(found);
  auto c_text = run_ripple("hash", repo.path(), "LC_ALL=C");
  auto utf8_text = run_ripple("hash", repo.path(), "LC_ALL=C.UTF-8");
  REQUIRE(c_text.exit_code == 0);
  REQUIRE(utf8_text.exit_code == 0);
  CHECK_FALSE(c_text.out.empty());
  CHECK(c_text.out == utf8_text.out);
}

TEST_CASE("hash: digests do not depend on the umask files were created with") {
  // The same tree written under umask 022 and 077: only the owner's exec bit matters to git.
  const std::string script =
      "mkdir -p services/api libs/shared tools && "
      "printf 'version: 1\\nservices: [services/*, libs/*]\\nglobal_inputs: [\"tools/**\"]\\n' "
      "> ripple.yaml && "
      "printf '' > services/api/service.yaml && printf 'package main\\n' > services/api/main.go "
      "&& printf '#!/bin/sh\\n' > services/api/run.sh && chmod +x services/api/run.sh && "
      "printf '' > libs/shared/service.yaml && printf 'x\\n' > libs/shared/s.h && "
      "printf 'true\\n' > tools/lint.sh";
  GitRepo loose;
  GitRepo tight;
  sh("umask 022 && " + script, loose.path());
  sh("umask 077 && " + script, tight.path());
  REQUIRE(run_shell("stat -c %a services/api/run.sh", tight.path()).out == "700\n");
  REQUIRE(run_shell("stat -c %a services/api/run.sh", loose.path()).out == "755\n");
  std::string expected = hash_in(loose.path(), "--format json");
  CHECK(expected == hash_in(tight.path(), "--format json"));  // untracked
  CHECK(listed_files(tight.path())["services/api/run.sh"].mode == "100755");
  loose.commit("all");
  tight.commit("all");
  CHECK(expected == hash_in(loose.path(), "--format json"));
  CHECK(expected == hash_in(tight.path(), "--format json"));
  // A clone made under umask 077 too.
  TempDir parent;
  sh("umask 077 && git clone -q " + shell_quote(loose.path()) + " c", parent.path());
  CHECK(expected == hash_in(parent.path() + "/c", "--format json"));
  // Group and other exec bits do not count.
  sh("chmod 655 services/api/main.go && chmod 611 libs/shared/s.h", loose.path());
  CHECK(expected == hash_in(loose.path(), "--format json"));
}

// --- What changes a digest, and what does not -------------------------------------------------

TEST_CASE("hash: chmod +x on an input changes its service's digest") {
  GitRepo repo;
  write_workspace(repo);
  repo.commit("all");
  auto before = digests(repo.path());
  sh("chmod +x services/api/main.go", repo.path());
  auto after = digests(repo.path());
  CHECK(after["api"] != before["api"]);
  CHECK(after["web"] == before["web"]);
  CHECK(after["shared"] == before["shared"]);
  CHECK(listed_files(repo.path())["services/api/main.go"].mode == "100755");
  repo.commit("exec");
  CHECK(digests(repo.path()) == after);
  sh("chmod -x services/api/main.go", repo.path());
  CHECK(digests(repo.path()) == before);
}

TEST_CASE("hash: renaming an input changes the digest") {
  GitRepo repo;
  write_workspace(repo);
  repo.commit("all");
  auto before = digests(repo.path());
  sh("mv services/api/main.go services/api/server.go", repo.path());
  CHECK(digests(repo.path())["api"] != before["api"]);
  sh("mkdir -p services/api/cmd && mv services/api/server.go services/api/cmd/main.go",
     repo.path());
  CHECK(digests(repo.path())["api"] != before["api"]);
  sh("mv services/api/cmd/main.go services/api/main.go", repo.path());
  CHECK(digests(repo.path()) == before);
}

TEST_CASE("hash: ignored files change no digest") {
  GitRepo repo;
  write_workspace(repo);
  repo.write(".gitignore", "*.log\nbuild/\n");
  repo.commit("all");
  const std::string before = hash_in(repo.path(), "--format json");
  repo.write("services/api/debug.log", "gitignored\n");
  repo.write("services/api/build/out.bin", "gitignored directory\n");
  repo.write(".git/info/exclude", "secret.txt\n");
  repo.write("services/web/secret.txt", "excluded by .git/info/exclude\n");
  repo.write("services/api/NOTES.md", "ripple.yaml ignore:, untracked\n");
  repo.write("services/api/README.md", "ripple.yaml ignore:, tracked\n");
  repo.git("add services/api/README.md");
  repo.commit("readme");
  repo.write("services/api/README.md", "ripple.yaml ignore:, tracked, modified\n");
  repo.write("docs/guide.txt", "a new guide\n");
  repo.write("README.md", "new\n");
  CHECK(hash_in(repo.path(), "--format json") == before);
  std::set<std::string> paths;
  for (const auto& [path, f] : listed_files(repo.path())) {
    paths.insert(path);
  }
  CHECK(paths == kInputPaths);
}

TEST_CASE("hash: another service's file changes no digest, unless inputs reach it") {
  GitRepo repo;
  write_workspace(repo);
  repo.commit("all");
  auto before = digests(repo.path());

  repo.write("services/api/more.go", "package main\n");
  auto after_api = digests(repo.path());
  CHECK(after_api["api"] != before["api"]);
  CHECK(after_api["web"] == before["web"]);
  CHECK(after_api["shared"] == before["shared"]);
  repo.remove("services/api/more.go");

  // web's inputs are ["**", "../../libs/shared/**"].
  repo.write("libs/shared/s.h", "int s2;\n");
  auto after_shared = digests(repo.path());
  CHECK(after_shared["shared"] != before["shared"]);
  CHECK(after_shared["web"] != before["web"]);
  CHECK(after_shared["api"] == before["api"]);  // a dependency, but its inputs do not reach
  Json web = hash_json(repo.path(), "web --files")["services"][0]["files"];
  std::set<std::string> paths;
  for (const auto& f : web) {
    paths.insert(f["path"]);
  }
  CHECK(paths == std::set<std::string>{"libs/shared/s.h", "libs/shared/service.yaml",
                                       "services/web/app.js", "services/web/service.yaml"});
}

TEST_CASE("hash: a global input changes every digest") {
  GitRepo repo;
  write_workspace(repo);
  repo.commit("all");
  Json before = hash_json(repo.path());
  repo.write("tools/lint.sh", "exit 0\n");
  Json after = hash_json(repo.path());
  CHECK(after["global_digest"] != before["global_digest"]);
  REQUIRE(before["services"].size() == 3);
  REQUIRE(after["services"].size() == 3);
  for (std::size_t i = 0; i < before["services"].size(); ++i) {
    INFO(before["services"][i]["name"]);
    CHECK(after["services"][i]["digest"] != before["services"][i]["digest"]);
  }
  // A new global file too; and global files are listed by no service.
  repo.write("tools/lint.sh", "true\n");
  CHECK(hash_json(repo.path()) == before);
  repo.write("tools/new/fmt.sh", "true\n");
  CHECK(hash_json(repo.path())["global_digest"] != before["global_digest"]);
  std::set<std::string> paths;
  for (const auto& [path, f] : listed_files(repo.path())) {
    paths.insert(path);
  }
  CHECK(paths == kInputPaths);  // nothing under tools/
}

// --- Symlinks ----------------------------------------------------------------------------------

TEST_CASE("hash: symlinks are hashed as links, never followed") {
  GitRepo repo;
  write_workspace(repo);
  // api holds links to a file and a directory outside it (shared's files are not api inputs).
  sh("ln -s ../../libs/shared/s.h services/api/s.h && ln -s ../../libs/shared services/api/lib "
     "&& ln -s does/not/exist services/api/dangling",
     repo.path());
  auto check_links = [&](const char* state) {
    INFO(state);
    auto files = listed_files(repo.path());
    CHECK(files["services/api/s.h"].mode == "120000");
    CHECK(files["services/api/s.h"].id == git_hash_of_text("../../libs/shared/s.h"));
    CHECK(files["services/api/lib"].mode == "120000");
    CHECK(files["services/api/lib"].id == git_hash_of_text("../../libs/shared"));
    CHECK(files["services/api/dangling"].id == git_hash_of_text("does/not/exist"));
    CHECK(files.count("services/api/lib/s.h") == 0);  // the linked directory is not walked
    auto before = digests(repo.path())["api"];
    repo.write("libs/shared/s.h", std::string("int changed_") + state + ";\n");
    repo.write("libs/shared/added.h", "int added;\n");
    CHECK(digests(repo.path())["api"] == before);
    sh("ln -sfn ../../libs/shared/service.yaml services/api/s.h", repo.path());
    CHECK(digests(repo.path())["api"] != before);
    sh("ln -sfn ../../libs/shared/s.h services/api/s.h && rm libs/shared/added.h", repo.path());
    CHECK(digests(repo.path())["api"] == before);
  };
  check_links("untracked");
  repo.commit("links");
  settle(repo.path());
  auto files = listed_files(repo.path());
  auto index = run_git("ls-files -s services/api/s.h", repo.path());
  CHECK_THAT(index, Catch::StartsWith("120000 " + files["services/api/s.h"].id));
  check_links("committed");
}

TEST_CASE("hash: outside git, symlinks are hashed as links too") {
  TempDir d;
  write_workspace(d);
  sh("ln -s ../../libs/shared/s.h services/api/s.h && ln -s ../../libs/shared services/api/lib",
     d.path());
  auto files = listed_files(d.path());
  CHECK(files["services/api/s.h"].mode == "120000");
  CHECK(files["services/api/s.h"].id == ripple::cache::xxh3_128("../../libs/shared/s.h").hex());
  CHECK(files.count("services/api/lib/s.h") == 0);
  auto before = digests(d.path())["api"];
  d.write("libs/shared/s.h", "int changed;\n");
  CHECK(digests(d.path())["api"] == before);
  sh("ln -sfn ../../libs/shared/service.yaml services/api/s.h", d.path());
  CHECK(digests(d.path())["api"] != before);
}

// --- File ids and where they came from --------------------------------------------------------

TEST_CASE("hash: file ids are git's, with the source each came from") {
  GitRepo repo;
  write_workspace(repo);
  repo.commit("all");
  settle(repo.path());
  repo.write("services/api/main.go", "package main // dirty\n");
  repo.write("services/api/new.go", "package main // untracked\n");

  std::map<std::string, std::string> index;  // path -> "mode id"
  std::istringstream in(run_git("ls-files -s", repo.path()));
  std::string mode, id, stage, path;
  while (in >> mode >> id >> stage >> path) {
    index[path] = mode + " " + id;
  }
  auto files = listed_files(repo.path());
  REQUIRE(files.size() == 8);
  for (const auto& [p, f] : files) {
    INFO(p);
    CHECK(f.id.size() == 40);
    if (p == "services/api/main.go" || p == "services/api/new.go") {
      CHECK(f.source == "read");
      CHECK(f.id == first_line(run_git("hash-object " + p, repo.path())));
    } else {
      CHECK(f.source == "index");
      CHECK(f.mode + " " + f.id == index[p]);
    }
  }
  // The text listing says the same.
  std::string text = hash_in(repo.path(), "api --files");
  CHECK_THAT(text, Catch::Contains("    100644 " + files["services/api/main.go"].id +
                                   " read\tservices/api/main.go\n"));
  CHECK_THAT(text, Catch::Contains("    100644 " + files["services/api/handlers/h.go"].id +
                                   " index\tservices/api/handlers/h.go\n"));
}

TEST_CASE(
    "hash: a dirty file hashed more than 2 s after its change comes from the stat cache next") {
  GitRepo repo;
  write_workspace(repo);
  repo.commit("all");
  repo.write("services/api/main.go", "package main // dirty\n");
  repo.write("services/api/new.go", "package main // untracked\n");
  settle(repo.path());
  sh("sleep 2.1", repo.path());  // older than the racy window, for the stat cache
  auto first = listed_files(repo.path());
  CHECK(first["services/api/main.go"].source == "read");
  CHECK(first["services/api/new.go"].source == "read");
  auto second = listed_files(repo.path());
  CHECK(second["services/api/main.go"].source == "stat-cache");
  CHECK(second["services/api/new.go"].source == "stat-cache");
  CHECK(second["services/api/handlers/h.go"].source == "index");
  for (const auto& [p, f] : second) {
    INFO(p);
    CHECK(f.id == first[p].id);
    CHECK(f.mode == first[p].mode);
  }
  // A change is seen, whatever the cache remembers.
  repo.write("services/api/main.go", "package main // dirty again\n");
  auto third = listed_files(repo.path());
  CHECK(third["services/api/main.go"].source == "read");
  CHECK(third["services/api/main.go"].id ==
        first_line(run_git("hash-object services/api/main.go", repo.path())));
  CHECK(third["services/api/new.go"].source == "stat-cache");
}

TEST_CASE("hash: a 50 MB file is streamed to git's blob id") {
  GitRepo repo;
  write_workspace(repo);
  sh("head -c 50000000 /dev/urandom > services/api/big.bin", repo.path());
  std::string expected = first_line(run_git("hash-object services/api/big.bin", repo.path()));
  auto files = listed_files(repo.path());
  CHECK(files["services/api/big.bin"].id == expected);
  CHECK(files["services/api/big.bin"].source == "read");
  repo.commit("big");
  settle(repo.path());
  files = listed_files(repo.path());
  CHECK(files["services/api/big.bin"].id == expected);
  CHECK(files["services/api/big.bin"].source == "index");
}

// --- Outside git --------------------------------------------------------------------------------

TEST_CASE("hash: outside git, ids are xxh3-128 and .gitignore files are honoured") {
  TempDir d;
  write_workspace(d);
  d.write(".gitignore", "*.log\n!keep.log\nbuild/\n/top.txt\n");
  d.write("services/api/a.log", "ignored\n");
  d.write("services/api/keep.log", "re-included\n");
  d.write("services/api/build/out.o", "dir-only rule\n");
  d.write("services/api/out/build", "a file named build is kept\n");
  d.write("top.txt", "anchored: ignored at the root\n");
  d.write("services/api/top.txt", "anchored: kept below\n");
  d.write("services/api/sub/.gitignore", "*.tmp\n!important.log\n");
  d.write("services/api/sub/x.tmp", "nested rule\n");
  d.write("services/api/x.tmp", "nested rule does not apply above\n");
  d.write("services/api/sub/important.log", "nested negation\n");
  d.write("services/api/deep/logs/z.log", "ignored at any depth\n");
  d.write(".ripple/notes.txt", "ripple's own\n");
  d.write("services/api/.git/HEAD", "a nested repository's metadata\n");

  auto files = listed_files(d.path());
  std::set<std::string> api;
  for (const auto& [p, f] : files) {
    INFO(p);
    CHECK(f.id.size() == 32);
    CHECK(f.id.find_first_not_of("0123456789abcdef") == std::string::npos);
    CHECK(f.source == "read");
    if (p.rfind("services/api/", 0) == 0) {
      api.insert(p);
    }
  }
  CHECK(api == std::set<std::string>{"services/api/handlers/h.go", "services/api/keep.log",
                                     "services/api/main.go", "services/api/out/build",
                                     "services/api/service.yaml", "services/api/sub/.gitignore",
                                     "services/api/sub/important.log", "services/api/top.txt",
                                     "services/api/x.tmp"});
  CHECK(files["services/api/main.go"].id == ripple::cache::xxh3_128("package main\n").hex());
  CHECK(files["services/api/main.go"].mode == "100644");

  // Ignored files change nothing.
  std::string before = hash_in(d.path(), "--format json");
  d.write("services/api/a.log", "changed\n");
  d.write("services/api/build/out.o", "changed\n");
  d.write("services/api/sub/x.tmp", "changed\n");
  d.write(".ripple/notes.txt", "changed\n");
  CHECK(hash_in(d.path(), "--format json") == before);

  // Cross-check with git: what git would call untracked and not ignored, in api.
  sh("rm -rf services/api/.git && git init -q . && "
     "git ls-files -o --exclude-standard services/api > .ripple/git-view.txt && rm -rf .git",
     d.path());
  std::istringstream view(run_shell("cat .ripple/git-view.txt", d.path()).out);
  std::set<std::string> git_api;
  for (std::string line; std::getline(view, line);) {
    git_api.insert(line);
  }
  CHECK(api == git_api);
}

TEST_CASE("hash: outside git, unchanged files come from the stat cache on a later run") {
  TempDir d;
  write_workspace(d);
  sh("sleep 2.1", d.path());  // older than the racy window
  auto first = listed_files(d.path());
  REQUIRE(first.size() == kInputPaths.size());
  for (const auto& [p, f] : first) {
    CHECK(f.source == "read");
  }
  d.write("services/web/app.js", "console.log(2)\n");  // changed just now
  auto second = listed_files(d.path());
  REQUIRE(second.size() == kInputPaths.size());
  for (const auto& [p, f] : second) {
    INFO(p);
    if (p == "services/web/app.js") {
      CHECK(f.source == "read");
      CHECK(f.id == ripple::cache::xxh3_128("console.log(2)\n").hex());
    } else {
      CHECK(f.source == "stat-cache");
      CHECK(f.id == first[p].id);
    }
  }
}

// --- The command line ---------------------------------------------------------------------------

TEST_CASE("hash: an unknown service exits 2 with a suggestion") {
  GitRepo repo;
  write_workspace(repo);
  auto r = repo.ripple("hash web apx");
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK_THAT(r.err,
             Catch::Contains("unknown service 'apx'") && Catch::Contains("did you mean 'api'"));
}

TEST_CASE("hash: named services only, '<digest>  <name>' per line") {
  GitRepo repo;
  write_workspace(repo);
  auto all = digests(repo.path());
  std::string out = hash_in(repo.path(), "web api");
  CHECK(std::count(out.begin(), out.end(), '\n') == 2);
  CHECK_THAT(out, Catch::Contains(all["web"] + "  web\n"));
  CHECK_THAT(out, Catch::Contains(all["api"] + "  api\n"));
  CHECK_THAT(out, !Catch::Contains("shared"));
}

TEST_CASE("hash: the json format") {
  GitRepo repo;
  write_workspace(repo);
  repo.commit("all");
  auto text = digests(repo.path());
  // Parsed keeping key order: the schema names it.
  auto doc = nlohmann::ordered_json::parse(hash_in(repo.path(), "--format json"));
  REQUIRE(doc.is_object());
  std::vector<std::string> keys;
  for (const auto& [k, v] : doc.items()) {
    keys.push_back(k);
  }
  CHECK(keys == std::vector<std::string>{"version", "global_digest", "services"});
  CHECK(doc["version"] == 1);
  CHECK(doc["global_digest"].get<std::string>().size() == 32);
  REQUIRE(doc["services"].size() == 3);
  for (const auto& s : doc["services"]) {
    std::vector<std::string> skeys;
    for (const auto& [k, v] : s.items()) {
      skeys.push_back(k);
    }
    CHECK(skeys == std::vector<std::string>{"name", "dir", "digest"});
    CHECK(s["digest"] == text[s["name"]]);
  }
  CHECK(doc["services"][0]["dir"].is_string());

  auto files = nlohmann::ordered_json::parse(hash_in(repo.path(), "--format json --files api"));
  REQUIRE(files["services"].size() == 1);
  const auto& api = files["services"][0];
  CHECK(api["name"] == "api");
  CHECK(api["dir"] == "services/api");
  CHECK(api["digest"] == text["api"]);
  REQUIRE(api["files"].size() == 3);
  std::vector<std::string> paths;
  for (const auto& f : api["files"]) {
    std::vector<std::string> fkeys;
    for (const auto& [k, v] : f.items()) {
      fkeys.push_back(k);
    }
    CHECK(fkeys == std::vector<std::string>{"path", "mode", "id", "source"});
    CHECK(f["mode"] == "100644");
    CHECK(f["id"].get<std::string>().size() == 40);
    CHECK((f["source"] == "index" || f["source"] == "read" || f["source"] == "stat-cache"));
    paths.push_back(f["path"]);
  }
  CHECK(paths == std::vector<std::string>{"services/api/handlers/h.go", "services/api/main.go",
                                          "services/api/service.yaml"});
}

// --- Unreadable and odd files -------------------------------------------------------------------

TEST_CASE("hash: a file that cannot be read exits 3, naming it") {
  if (geteuid() != 0) {
    TempDir d;
    write_workspace(d);
    sh("chmod 000 services/api/main.go", d.path());
    auto r = run_ripple("hash", d.path());
    CHECK(r.exit_code == 3);
    CHECK_THAT(r.err, Catch::Contains(d.path() + "/services/api/main.go"));
    sh("chmod 644 services/api/main.go", d.path());
    return;
  }

  SECTION("outside git") {
    TempDir d;
    write_workspace(d);
    sh("chmod 000 services/api/main.go && chown -R 65534:65534 .", d.path());
    sh("chown 0:0 services/api/main.go", d.path());
    auto r = ripple_as_nobody("hash", d.path());
    CHECK(r.exit_code == 3);
    CHECK(r.out.empty());
    CHECK_THAT(r.err, Catch::Contains(d.path() + "/services/api/main.go"));
  }
  SECTION("in git, untracked and modified") {
    GitRepo repo;
    write_workspace(repo);
    repo.commit("all");
    repo.write("services/api/main.go", "package main // modified\n");
    repo.write("services/web/new.js", "untracked\n");
    sh("chown -R 65534:65534 . && chown 0:0 services/api/main.go services/web/new.js && "
       "chmod 000 services/web/new.js",
       repo.path());
    auto untracked = ripple_as_nobody("hash", repo.path());
    CHECK(untracked.exit_code == 3);
    CHECK_THAT(untracked.err, Catch::Contains(repo.path() + "/services/web/new.js"));
    sh("chmod 644 services/web/new.js && chmod 000 services/api/main.go", repo.path());
    auto modified = ripple_as_nobody("hash", repo.path());
    CHECK(modified.exit_code == 3);
    CHECK_THAT(modified.err, Catch::Contains(repo.path() + "/services/api/main.go"));
  }
}

TEST_CASE("hash: a broken service.yaml is the error, whatever the work tree holds") {
  // The work tree is listed while the workspace loads (input_scan.h); a configuration error
  // still decides the outcome, and no digest is printed.
  GitRepo repo;
  write_workspace(repo);
  repo.commit("all");
  repo.write("services/web/new.js", "untracked\n");
  repo.write("services/api/service.yaml", "deps: [shared\n");
  auto r = run_ripple("hash", repo.path());
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK_THAT(r.err, Catch::Contains("services/api/service.yaml:"));
  repo.write("services/api/service.yaml", "deps: [shared]\n");
  CHECK(run_ripple("hash", repo.path()).exit_code == 0);
}

TEST_CASE("hash: a FIFO in the workspace is not an input and is never opened") {
  SECTION("in git") {
    GitRepo repo;
    write_workspace(repo);
    repo.commit("all");
    auto before = digests(repo.path());
    sh("mkfifo services/api/pipe", repo.path());
    auto r = run_shell("timeout 10 " + ripple_command_line("hash"), repo.path());
    CHECK(r.exit_code == 0);
    CHECK(digests(repo.path()) == before);
  }
  SECTION("outside git") {
    TempDir d;
    write_workspace(d);
    auto before = digests(d.path());
    sh("mkfifo services/api/pipe", d.path());
    auto r = run_shell("timeout 10 " + ripple_command_line("hash"), d.path());
    CHECK(r.exit_code == 0);
    CHECK(digests(d.path()) == before);
  }
}

// --- Known bugs ---------------------------------------------------------------------------------

// ripple writes a .gitignore into .ripple/, but files someone force-added are tracked files like
// any other; they still never enter a digest (the stat cache rewrites them on every run, which
// would change the digest of a service at the workspace root every time).
TEST_CASE("hash: .ripple/ is never an input, even when committed") {
  GitRepo repo;
  repo.write("ripple.yaml", "version: 1\nservices: ['.', svc]\n");
  repo.write("service.yaml", "name: root\n");
  repo.write("svc/service.yaml", "");
  hash_in(repo.path());  // creates .ripple/state
  CHECK(repo.git("status --porcelain --ignored=no").find(".ripple") == std::string::npos);
  repo.git("add -f .ripple");
  repo.commit("all, .ripple/ included");
  REQUIRE_THAT(repo.git("ls-files"), Catch::Contains(".ripple/"));
  std::string first = hash_in(repo.path(), "--files");
  CHECK_THAT(first, !Catch::Contains(".ripple/"));
  CHECK(hash_in(repo.path(), "--files") == first);
}

// When libgit2 will not open the repository for another reason than "there is none" (here: the
// work tree belongs to another user, git's "dubious ownership"; a CI container running as a
// different uid than the checkout), `ripple hash` must not fall back to the plain-directory walk
// (xxh3 ids, digests unlike every other machine's): the same digests as the owner gets, or an
// error (exit 3) that says why git refused the repository.
TEST_CASE("hash: a repository git will not open is not hashed as a plain directory") {
  if (geteuid() != 0) {
    RIPPLE_SKIP("needs root, to run ripple as another user than the repository's owner");
  }
  GitRepo repo;
  write_workspace(repo);
  repo.commit("all");
  std::string owner = hash_in(repo.path());
  auto other = ripple_as_nobody("hash", repo.path());
  INFO(other.err);
  if (other.exit_code == 0) {
    CHECK(other.out == owner);
  } else {
    CHECK(other.exit_code == 3);
    CHECK_THAT(other.err, Catch::Contains("owne") || Catch::Contains("safe.directory"));
  }
}

// `safe.directory = *` in the user's (or the system's) git config trusts every repository, as git
// does (libgit2 1.5 does not know the wildcard); an empty value after it takes that back.
TEST_CASE("hash: safe.directory = * lets another user's repository be opened, as git does") {
  if (geteuid() != 0) {
    RIPPLE_SKIP("needs root, to run ripple as another user than the repository's owner");
  }
  GitRepo repo;
  write_workspace(repo);
  repo.commit("all");
  const std::string owner = hash_in(repo.path());
  TempDir home;
  sh("chmod -R a+rwX " + shell_quote(repo.path()) + " " + shell_quote(home.path()), repo.path());
  auto as_nobody = [&](const std::string& gitconfig) {
    home.write(".gitconfig", gitconfig);
    sh("chmod a+r " + shell_quote(home.path() + "/.gitconfig"), repo.path());
    return run_shell("setpriv --reuid=65534 --regid=65534 --clear-groups " +
                         ripple_command_line("hash", "HOME=" + shell_quote(home.path())),
                     repo.path());
  };
  auto trusted = as_nobody("[safe]\n\tdirectory = *\n");
  INFO(trusted.err);
  CHECK(trusted.exit_code == 0);
  CHECK(trusted.out == owner);
  auto taken_back = as_nobody("[safe]\n\tdirectory = *\n\tdirectory =\n");
  INFO(taken_back.err);
  CHECK(taken_back.exit_code == 3);
  CHECK_THAT(taken_back.err,
             Catch::Contains("not owned by current user") && Catch::Contains("safe.directory"));
}

// Git's ids go through the repository's clean filters (.gitattributes `text`, `eol`,
// core.autocrlf): `git hash-object FILE` and `git add` store "x\n" for a work-tree "x\r\n" under
// `*.txt text eol=crlf`. A dirty or untracked file must get the id the same bytes get once
// committed, or the same work tree would have different digests committed and uncommitted.
TEST_CASE("hash: with eol conversion in .gitattributes, ids are git hash-object's") {
  GitRepo committed;
  GitRepo untracked;
  for (const GitRepo* repo : {&committed, &untracked}) {
    repo->write("ripple.yaml", "version: 1\nservices: [svc]\n");
    repo->write("svc/service.yaml", "");
    repo->write(".gitattributes", "*.txt text eol=crlf\n");
    repo->write("svc/a.txt", "x\r\ny\r\n");
  }
  committed.commit("all");
  CHECK(listed_files(untracked.path())["svc/a.txt"].id ==
        first_line(run_git("hash-object svc/a.txt", untracked.path())));
  CHECK(digests(untracked.path()) == digests(committed.path()));

  committed.write("svc/a.txt", "x\r\nz\r\n");  // modified
  CHECK(listed_files(committed.path())["svc/a.txt"].id ==
        first_line(run_git("hash-object svc/a.txt", committed.path())));
  auto dirty = digests(committed.path());
  committed.commit("z");
  CHECK(digests(committed.path()) == dirty);
}

// Stat cache keys carry the kind of id: after `git init` in a workspace hashed outside git,
// unchanged files must not get their xxh3 ids (32 hex) back from the cache as if they were git
// blob ids.
TEST_CASE("hash: attributes in a parent directory, or only in the index, still filter ids") {
  // Only files some attribute file may concern go through libgit2's filters (filter_probe.h);
  // each id must still be the one `git add` stores.
  GitRepo repo;
  repo.write("ripple.yaml", "version: 1\nservices: [svc]\n");
  repo.write("svc/service.yaml", "");
  repo.write("svc/.gitattributes", "*.txt text eol=lf\n");
  repo.write("svc/deep/a.txt", "x\ny\n");
  repo.write("svc/b.bin", "x\r\n");
  repo.commit("all");
  repo.remove("svc/.gitattributes");           // now only in the index
  repo.write("svc/deep/a.txt", "x\r\nz\r\n");  // CRLF: stored with LF
  repo.write("svc/deep/new.txt", "n\r\n");     // untracked, same rule
  repo.write("svc/b.bin", "y\r\n");            // not concerned by '*.txt'
  auto listed = listed_files(repo.path());
  repo.git("add svc/deep/a.txt svc/deep/new.txt svc/b.bin");
  for (const std::string path : {"svc/deep/a.txt", "svc/deep/new.txt", "svc/b.bin"}) {
    INFO(path);
    CHECK(listed[path].id == run_git("ls-files -s " + path, repo.path()).substr(7, 40));
  }
}

TEST_CASE("hash: ids remembered outside git are not reused as git ids after git init") {
  TempDir d;
  write_workspace(d);
  sh("sleep 2.1", d.path());  // older than the racy window, so the stat cache keeps them
  hash_in(d.path());
  run_git("init -q -b main", d.path());
  auto files = listed_files(d.path());
  REQUIRE(files.size() == kInputPaths.size());
  for (const auto& [p, f] : files) {
    INFO(p << " (" << f.source << ")");
    CHECK(f.id == first_line(run_git("hash-object " + shell_quote(p), d.path())));
  }
  std::string with_cache = hash_in(d.path());
  sh("rm -rf .ripple", d.path());
  CHECK(hash_in(d.path()) == with_cache);
}

// A file name that is not UTF-8 (Linux allows any bytes; "caf\xe9.txt" from a Latin-1 system)
// must not kill `--format json --files`: the document lists it with U+FFFD, exit 0.
TEST_CASE("hash: --format json copes with a file name that is not UTF-8") {
  GitRepo repo;
  write_workspace(repo);
  repo.write("services/api/caf\xe9.txt", "latin-1 name\n");
  auto r = repo.ripple("hash api --format json --files");
  INFO(r.err);
  CHECK(r.exit_code == 0);
  Json doc = Json::parse(r.out, nullptr, false);
  REQUIRE_FALSE(doc.is_discarded());
  bool listed = false;
  for (const auto& f : doc["services"][0]["files"]) {
    listed = listed || f["path"].get<std::string>().rfind("services/api/caf", 0) == 0;
  }
  CHECK(listed);
}

// --- --no-uncommitted: ids straight from the index ------------------------------------------

namespace {

// write_workspace plus what the digest treats specially: an executable global input, a link, a
// nested service, a task output inside a service, and a file of the outer service beside the
// nested one.
template <typename Dir>
void write_rich_workspace(const Dir& d) {
  write_workspace(d);
  d.write("ripple.yaml",
          "version: 1\nservices: [services/*, services/api/inner, libs/*]\n"
          "global_inputs: ['tools/**']\nignore: ['**/*.md', 'docs/**']\n");
  d.write("services/api/inner/service.yaml", "name: inner\n");
  d.write("services/api/inner/x.c", "int x;\n");
  d.write("services/api/notes.txt", "notes\n");
  d.write("libs/shared/service.yaml", "tasks:\n  build: { run: make, outputs: ['dist/**'] }\n");
  d.write("libs/shared/dist/out.bin", "built\n");
}

}  // namespace

TEST_CASE("hash: --no-uncommitted on a clean clone gives exactly the digests of a full hash") {
  GitRepo origin;
  write_rich_workspace(origin);
  sh("chmod +x tools/lint.sh && ln -s ../../libs/shared/s.h services/api/shared.h", origin.path());
  origin.commit("all");
  TempDir parent;
  run_git("clone -q " + shell_quote(origin.path()) + " c", parent.path());
  const std::string clone = parent.path() + "/c";
  Json full = hash_json(clone);
  REQUIRE(full["services"].size() == 4);
  CHECK(hash_json(clone, "--no-uncommitted") == full);
  // Named services, and the text format.
  CHECK(hash_in(clone, "--no-uncommitted web inner") == hash_in(clone, "web inner"));
  CHECK(hash_in(clone, "--no-uncommitted") == hash_in(clone));
}

TEST_CASE("hash: --no-uncommitted --files lists the index's ids, with the same digests") {
  GitRepo repo;
  write_rich_workspace(repo);
  sh("chmod +x tools/lint.sh && ln -s ../../libs/shared/s.h services/api/shared.h", repo.path());
  repo.commit("all");
  settle(repo.path());
  Json with_files = hash_json(repo.path(), "--no-uncommitted --files");
  Json digests_only = hash_json(repo.path(), "--no-uncommitted");
  REQUIRE(with_files["services"].size() == digests_only["services"].size());
  CHECK(with_files["global_digest"] == digests_only["global_digest"]);
  for (std::size_t i = 0; i < digests_only["services"].size(); ++i) {
    CHECK(with_files["services"][i]["digest"] == digests_only["services"][i]["digest"]);
  }
  CHECK(without_sources(with_files) == without_sources(hash_json(repo.path(), "--files")));
  std::map<std::string, std::string> ls;
  std::istringstream in(run_git("ls-files -s", repo.path()));
  std::string mode, id, stage, path;
  while (in >> mode >> id >> stage >> path) {
    ls[path] = mode + " " + id;
  }
  std::size_t listed = 0;
  for (const auto& s : with_files["services"]) {
    for (const auto& f : s["files"]) {
      INFO(f.dump());
      CHECK(f["source"] == "index");
      CHECK(ls[f["path"].get<std::string>()] ==
            f["mode"].get<std::string>() + " " + f["id"].get<std::string>());
      ++listed;
    }
  }
  // api 5 (not inner's), inner 2, web 4 (its own 2, shared's 2: shared's task output is nobody's
  // input, not even of a service that reaches into shared), shared 2 (not its task output).
  CHECK(listed == 13);
  for (const auto& s : with_files["services"]) {
    for (const auto& f : s["files"]) {
      CHECK(f["path"] != "libs/shared/dist/out.bin");
    }
  }
}

TEST_CASE("hash: --no-uncommitted trusts the index over a changed work tree") {
  GitRepo repo;
  write_rich_workspace(repo);
  repo.commit("all");
  const std::string before = hash_in(repo.path(), "--no-uncommitted");
  CHECK(before == hash_in(repo.path()));
  sh("printf 'changed\\n' >> services/web/app.js && printf 'new\\n' > services/api/new.go",
     repo.path());
  CHECK(hash_in(repo.path(), "--no-uncommitted") == before);
  CHECK(hash_in(repo.path()) != before);
  // What is staged is what the index records.
  run_git("add -A", repo.path());
  CHECK(hash_in(repo.path(), "--no-uncommitted") == hash_in(repo.path()));
}

TEST_CASE("hash: --no-uncommitted in a workspace below the repository root") {
  struct BelowRepo {
    const GitRepo& repo;
    void write(const std::string& rel, const std::string& content) const {
      repo.write("sub/ws/" + rel, content);
    }
  };
  GitRepo top;
  write_rich_workspace(BelowRepo{top});
  top.write("outside.txt", "not in the workspace\n");
  top.write("sub/beside.txt", "not in the workspace either\n");
  top.commit("nested");
  const std::string ws = top.path() + "/sub/ws";
  CHECK(hash_json(ws, "--no-uncommitted") == hash_json(ws));
  GitRepo at_root;
  write_rich_workspace(at_root);
  at_root.commit("at the root");
  CHECK(hash_in(ws, "--no-uncommitted") == hash_in(at_root.path(), "--no-uncommitted"));
}

TEST_CASE(
    "hash: files 'affected' found touched since the index last saw them come from the stat cache") {
  // A checkout copied, or its files touched, without git refreshing its index: the stat data of
  // every such file differs from the index, so each scan must read it, unless what one scan read
  // is remembered for the next. `affected` remembers it, as `hash` and `run` do.
  GitRepo repo;
  write_workspace(repo);
  repo.commit("all");
  sh("touch services/api/main.go services/web/app.js", repo.path());
  sh("sleep 2.1", repo.path());  // older than the racy window, for the stat cache
  auto affected = run_ripple("affected --base HEAD", repo.path());
  REQUIRE(affected.exit_code == 0);
  CHECK(affected.out.empty());  // touched, not changed
  auto files = listed_files(repo.path());
  CHECK(files["services/api/main.go"].source == "stat-cache");
  CHECK(files["services/web/app.js"].source == "stat-cache");
  CHECK(files["services/api/handlers/h.go"].source == "index");
}
