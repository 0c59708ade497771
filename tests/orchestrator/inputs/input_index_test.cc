// The input index (which files are whose inputs, and the service digests) over hand-made
// FileRecords; and the two listings that feed it, GitVcs::files and walk_files, over real
// directories with hashers that count and fail.

#include "orchestrator/inputs/input_index.h"

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <map>
#include <random>
#include <set>
#include <sstream>

#include "cache/digest.h"
#include "orchestrator/git/git_blob_hasher.h"
#include "orchestrator/git/git_vcs.h"
#include "orchestrator/platform/real_filesystem.h"
#include "orchestrator/inputs/tree_walk.h"
#include "orchestrator/workspace_loader.h"
#include "tests/support/content_hashers.h"
#include "tests/support/git_repo.h"
#include "tests/support/memory_filesystem.h"

using namespace ripple;
using ripple::testing::CountingHasher;
using ripple::testing::FaultyHasher;
using ripple::testing::GitRepo;
using ripple::testing::MemoryFilesystem;
using ripple::testing::run_git;
using ripple::testing::run_shell;
using ripple::testing::shell_quote;
using ripple::testing::TempDir;
using ripple::testing::VanishingHasher;

namespace {

constexpr std::uint32_t kBlob = 0100644;
constexpr std::uint32_t kExec = 0100755;
constexpr std::uint32_t kLink = 0120000;

// A workspace from file contents keyed by root-relative path (ripple.yaml and service.yaml
// files); only the configuration matters here, the input files are FileRecords.
LoadedWorkspace load(const std::map<std::string, std::string>& files) {
  MemoryFilesystem fs;
  for (const auto& [path, content] : files) {
    fs.add_file("/r/" + path, content);
  }
  auto loaded = load_workspace(fs, "/r");
  if (!loaded) {
    FAIL("cannot load the test workspace: " << loaded.error().message);
  }
  return std::move(*loaded);
}

FileRecord rec(const std::string& path, const std::string& id, std::uint32_t mode = kBlob) {
  return FileRecord{*RepoPath::parse(path), mode, id, FileSource::read};
}

// Records sorted by path, as the listings hand them over.
std::vector<FileRecord> sorted(std::vector<FileRecord> files) {
  std::sort(files.begin(), files.end(),
            [](const FileRecord& a, const FileRecord& b) { return a.path < b.path; });
  return files;
}

ServiceId id_of(const graph::Workspace& ws, const std::string& name) {
  auto id = ws.graph().find(name);
  REQUIRE(id.has_value());
  return *id;
}

std::vector<std::string> inputs_of(const InputIndex& index, const graph::Workspace& ws,
                                   const std::string& name) {
  std::vector<std::string> out;
  for (std::size_t i : index.services[id_of(ws, name).value].files) {
    out.emplace_back(index.file(i).path);
  }
  return out;
}

std::string digest_of(const graph::Workspace& ws, std::vector<FileRecord> files,
                      const std::string& name) {
  InputIndex index = build_input_index(ws, sorted(std::move(files)));
  return index.services[id_of(ws, name).value].digest.hex();
}

using Paths = std::vector<std::string>;

// api and web under services/, shared under libs/; web also reads libs/shared; tools/ is global,
// Markdown and docs/ are ignored.
const std::map<std::string, std::string> kShop = {
    {"ripple.yaml",
     "version: 1\nservices: [services/*, libs/*]\n"
     "global_inputs: ['tools/**']\nignore: ['**/*.md', 'docs/**']\n"},
    {"services/api/service.yaml", ""},
    {"services/web/service.yaml", "inputs: ['**', '../../libs/shared/**']\n"},
    {"libs/shared/service.yaml", ""},
};

std::vector<FileRecord> shop_files() {
  return {
      rec("libs/shared/s.h", "1111"),
      rec("services/api/main.go", "2222"),
      rec("services/api/README.md", "3333"),
      rec("services/web/app.js", "4444"),
      rec("tools/lint.sh", "5555", kExec),
      rec("docs/guide.txt", "6666"),
      rec("README.md", "7777"),
  };
}

}  // namespace

TEST_CASE("input index: a file counts for the innermost service that holds it") {
  auto loaded = load({{"ripple.yaml", "services: [libs/*, libs/*/*]\n"},
                      {"libs/lib/service.yaml", ""},
                      {"libs/lib/inner/service.yaml", ""}});
  const auto& ws = loaded.workspace;
  InputIndex index =
      build_input_index(ws, sorted({rec("libs/lib/a.go", "aa"), rec("libs/lib/inner/b.go", "bb"),
                                    rec("libs/lib/inner/deep/c.go", "cc")}));
  CHECK(inputs_of(index, ws, "lib") == Paths{"libs/lib/a.go"});
  CHECK(inputs_of(index, ws, "inner") == Paths{"libs/lib/inner/b.go", "libs/lib/inner/deep/c.go"});

  // So a change inside the inner service leaves the outer digest alone.
  CHECK(digest_of(ws, {rec("libs/lib/a.go", "aa"), rec("libs/lib/inner/b.go", "bb")}, "lib") ==
        digest_of(ws, {rec("libs/lib/a.go", "aa"), rec("libs/lib/inner/b.go", "XX")}, "lib"));
}

// An outer service whose inputs reach outside its directory (`../shared/**`) takes only outside
// paths that way: its `**` does not pull in the files of the services nested inside it.
TEST_CASE(
    "input index: a nested service's files stay its own when the outer service reaches outside") {
  auto loaded = load({{"ripple.yaml", "services: [libs/*, libs/*/*]\n"},
                      {"libs/lib/service.yaml", "inputs: ['**', '../shared/**']\n"},
                      {"libs/lib/inner/service.yaml", ""},
                      {"libs/shared/service.yaml", ""}});
  const auto& ws = loaded.workspace;
  InputIndex index =
      build_input_index(ws, sorted({rec("libs/lib/a.go", "aa"), rec("libs/lib/inner/b.go", "bb"),
                                    rec("libs/shared/s.h", "ss")}));
  CHECK(inputs_of(index, ws, "inner") == Paths{"libs/lib/inner/b.go"});
  CHECK(inputs_of(index, ws, "lib") == Paths{"libs/lib/a.go", "libs/shared/s.h"});
}

TEST_CASE("input index: `!` patterns exclude and the last matching pattern decides") {
  auto loaded = load(
      {{"ripple.yaml", "services: [services/*]\n"},
       {"services/web/service.yaml", "inputs: ['**', '!**/*.test.js', 'src/keep.test.js']\n"}});
  const auto& ws = loaded.workspace;
  auto files = std::vector<FileRecord>{rec("services/web/src/app.js", "a"),
                                       rec("services/web/src/app.test.js", "b"),
                                       rec("services/web/src/keep.test.js", "c")};
  InputIndex index = build_input_index(ws, sorted(files));
  CHECK(inputs_of(index, ws, "web") ==
        Paths{"services/web/src/app.js", "services/web/src/keep.test.js"});

  std::string before = digest_of(ws, files, "web");
  files[1].id = "changed";
  CHECK(digest_of(ws, files, "web") == before);
  files[2].id = "changed";
  CHECK(digest_of(ws, files, "web") != before);
}

TEST_CASE("input index: `../` patterns reach files outside the service directory") {
  auto loaded = load(kShop);
  const auto& ws = loaded.workspace;
  InputIndex index = build_input_index(ws, sorted(shop_files()));
  CHECK(inputs_of(index, ws, "web") == Paths{"libs/shared/s.h", "services/web/app.js"});
  CHECK(inputs_of(index, ws, "shared") == Paths{"libs/shared/s.h"});
  CHECK(inputs_of(index, ws, "api") == Paths{"services/api/main.go"});

  auto files = shop_files();
  files[0].id = "changed";  // libs/shared/s.h
  CHECK(digest_of(ws, files, "web") != digest_of(ws, shop_files(), "web"));
  CHECK(digest_of(ws, files, "shared") != digest_of(ws, shop_files(), "shared"));
  CHECK(digest_of(ws, files, "api") == digest_of(ws, shop_files(), "api"));
}

TEST_CASE("input index: a pattern climbing above the workspace root matches nothing") {
  auto loaded = load({{"ripple.yaml", "services: [web]\n"},
                      {"web/service.yaml", "inputs: ['**', '../../outside/**']\n"}});
  const auto& ws = loaded.workspace;
  InputIndex index = build_input_index(
      ws, sorted({rec("web/a.js", "a"), rec("outside/x", "x"), rec("other/y", "y")}));
  CHECK(inputs_of(index, ws, "web") == Paths{"web/a.js"});
}

TEST_CASE("input index: ignored files are nobody's inputs") {
  auto loaded = load(kShop);
  const auto& ws = loaded.workspace;
  InputIndex index = build_input_index(ws, sorted(shop_files()));
  for (const auto& s : ws.services()) {
    for (const std::string& p : inputs_of(index, ws, s.name)) {
      CHECK_THAT(p, !Catch::EndsWith(".md"));
      CHECK_THAT(p, !Catch::StartsWith("docs/"));
    }
  }
  auto files = shop_files();
  files[2].id = "changed";  // services/api/README.md
  files[5].id = "changed";  // docs/guide.txt
  files.push_back(rec("services/api/NOTES.md", "new"));
  for (const char* name : {"api", "web", "shared"}) {
    INFO(name);
    CHECK(digest_of(ws, files, name) == digest_of(ws, shop_files(), name));
  }
  CHECK(build_input_index(ws, sorted(files)).global_digest ==
        build_input_index(ws, sorted(shop_files())).global_digest);
}

TEST_CASE("input index: global inputs are folded into every digest and listed by no service") {
  auto loaded = load(kShop);
  const auto& ws = loaded.workspace;
  InputIndex before = build_input_index(ws, sorted(shop_files()));
  REQUIRE(before.global_files.size() == 1);
  CHECK(before.file(before.global_files[0]).path == "tools/lint.sh");
  for (const auto& s : ws.services()) {
    for (const std::string& p : inputs_of(before, ws, s.name)) {
      CHECK_THAT(p, !Catch::StartsWith("tools/"));
    }
  }

  for (auto change :
       {+[](FileRecord& f) { f.id = "changed"; }, +[](FileRecord& f) { f.mode = kBlob; },
        +[](FileRecord& f) { f.path = *RepoPath::parse("tools/lint2.sh"); }}) {
    auto files = shop_files();
    change(files[4]);  // tools/lint.sh
    InputIndex after = build_input_index(ws, sorted(files));
    CHECK(after.global_digest != before.global_digest);
    for (std::uint32_t s = 0; s < ws.services().size(); ++s) {
      INFO(ws.services()[s].name);
      CHECK(after.services[s].digest != before.services[s].digest);
    }
  }

  // A new global file counts too, and a change outside global inputs leaves the global digest.
  auto files = shop_files();
  files.push_back(rec("tools/new.sh", "n"));
  CHECK(build_input_index(ws, sorted(files)).global_digest != before.global_digest);
  files = shop_files();
  files[3].id = "changed";  // services/web/app.js
  CHECK(build_input_index(ws, sorted(files)).global_digest == before.global_digest);
}

TEST_CASE("input index: the digest is stable and changes with each input's path, mode and id") {
  auto loaded = load(kShop);
  const auto& ws = loaded.workspace;
  std::string base = digest_of(ws, shop_files(), "api");
  CHECK(base.size() == 32);
  CHECK(base.find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(digest_of(ws, shop_files(), "api") == base);

  auto files = shop_files();
  files[1].id = "2223";
  CHECK(digest_of(ws, files, "api") != base);

  files = shop_files();
  files[1].mode = kExec;
  CHECK(digest_of(ws, files, "api") != base);
  files[1].mode = kLink;
  CHECK(digest_of(ws, files, "api") != base);

  files = shop_files();
  files[1].path = *RepoPath::parse("services/api/main2.go");
  CHECK(digest_of(ws, files, "api") != base);

  files = shop_files();
  files.push_back(rec("services/api/extra.go", "e"));
  CHECK(digest_of(ws, files, "api") != base);

  files = shop_files();
  files.erase(files.begin() + 1);
  CHECK(digest_of(ws, files, "api") != base);

  // The source of an id is how it was found, not what it is.
  files = shop_files();
  for (auto& f : files) {
    f.source = FileSource::index;
  }
  CHECK(digest_of(ws, files, "api") == base);

  // Another service's file, and a file no service holds, are not api's business.
  files = shop_files();
  files[3].id = "changed";
  files.push_back(rec("top-level.txt", "t"));
  CHECK(digest_of(ws, files, "api") == base);
}

TEST_CASE("input index: the digest holds paths relative to the service, not where it lives") {
  auto a = load({{"ripple.yaml", "services: [services/*]\n"}, {"services/api/service.yaml", ""}});
  auto b = load({{"ripple.yaml", "services: [apps/*]\n"}, {"apps/api/service.yaml", ""}});
  CHECK(digest_of(a.workspace, {rec("services/api/main.go", "m"), rec("services/api/x/y", "y")},
                  "api") ==
        digest_of(b.workspace, {rec("apps/api/main.go", "m"), rec("apps/api/x/y", "y")}, "api"));
}

TEST_CASE("input index: an input outside the service is not confused with one inside") {
  // web/x inside web and x reached from outside would both be "x" relative to web.
  auto loaded = load(
      {{"ripple.yaml", "services: [web]\n"}, {"web/service.yaml", "inputs: ['**', '../x']\n"}});
  const auto& ws = loaded.workspace;
  CHECK(digest_of(ws, {rec("web/x", "same")}, "web") != digest_of(ws, {rec("x", "same")}, "web"));
  CHECK(inputs_of(build_input_index(ws, {rec("web/x", "1"), rec("x", "2")}), ws, "web") ==
        Paths{"web/x", "x"});
}

TEST_CASE("input index: every file is kept, sorted, and service lists follow that order") {
  auto loaded = load(kShop);
  const auto& ws = loaded.workspace;
  InputIndex index = build_input_index(ws, sorted(shop_files()));
  REQUIRE(index.table.files().size() == shop_files().size());
  for (std::size_t i = 1; i < index.table.files().size(); ++i) {
    CHECK(index.file(i - 1).path < index.file(i).path);
  }
  for (const auto& s : index.services) {
    CHECK(std::is_sorted(s.files.begin(), s.files.end()));
  }
}

// ---------------------------------------------------------------------------------------------
// GitVcs::files: which files it reads, and the ids it gives.

namespace {

// `git ls-files -s` as path -> "mode id".
std::map<std::string, std::string> ls_files(const std::string& dir) {
  std::map<std::string, std::string> out;
  std::istringstream in(run_git("ls-files -s", dir));
  std::string mode, id, stage, path;
  while (in >> mode >> id >> stage >> path) {
    out[path] = mode + " " + id;
  }
  return out;
}

std::string mode_id(const FileRecord& f) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%06o", f.mode);
  return std::string(buf) + " " + f.id;
}

std::string hash_object(const std::string& file, const std::string& dir) {
  std::string out = run_git("hash-object " + shell_quote(file), dir);
  return out.substr(0, out.find('\n'));
}

// A committed workspace of a few services, cloned next to it.
struct Cloned {
  GitRepo origin;
  TempDir parent;
  std::string path;

  Cloned() {
    origin.copy_example_shop();
    origin.commit("shop");
    run_git("clone -q " + shell_quote(origin.path()) + " clone", parent.path());
    path = parent.path() + "/clone";
  }

  // Lets git refresh the index the way `git status` does after a checkout: entries whose mtime
  // is not older than the index file are racily clean, and git rewrites the index once it has
  // checked them, later than any of them.
  void refresh_index() const {
    run_shell("sleep 0.05");
    run_git("status --porcelain", path);
  }

  Result<std::vector<FileRecord>> files(const ContentHasher& hasher,
                                        cache::StatCache* stat_cache = nullptr) const {
    auto vcs = git::GitVcs::open(path);
    REQUIRE(vcs.has_value());
    auto table = (*vcs)->files(stat_cache, hasher);
    if (!table) {
      return tl::unexpected(table.error());
    }
    return table->records();
  }
};

void check_ids_are_the_index_ids(const std::vector<FileRecord>& files, const std::string& dir) {
  auto expected = ls_files(dir);
  REQUIRE(files.size() == expected.size());
  for (const FileRecord& f : files) {
    INFO(f.path.str());
    CHECK(mode_id(f) == expected[f.path.str()]);
  }
}

}  // namespace

TEST_CASE(
    "git files: after git refreshed its index, a clean clone is listed without reading a file") {
  Cloned c;
  c.refresh_index();
  git::GitBlobHasher blob;
  CountingHasher counting(blob);
  auto files = c.files(counting);
  REQUIRE(files.has_value());
  INFO("read: " << ::Catch::Detail::stringify(counting.paths()));
  CHECK(counting.calls() == 0);
  for (const FileRecord& f : *files) {
    INFO(f.path.str());
    CHECK(f.source == FileSource::index);
  }
  check_ids_are_the_index_ids(*files, c.path);
  CHECK(std::is_sorted(files->begin(), files->end(),
                       [](const FileRecord& a, const FileRecord& b) { return a.path < b.path; }));
}

// Right after `git clone` the files written in the same timestamp tick as the index are racily
// clean (their mtime is not older than the index file's), and ripple reads those to be safe, as
// git does; every other file's id comes from the index unread. Waiting does not help (raciness
// is judged against the index file, not the clock); only a rewrite of the index (`git status`)
// does. Typically 0 to 2 files are read; the ids are the index's either way.
TEST_CASE("git files: a fresh clone is listed reading only its racily clean files") {
  Cloned c;
  // Lists the clone, and checks that exactly the racily clean files were read; returns how
  // many were.
  auto check_reads = [&c] {
    struct stat index;
    REQUIRE(stat((c.path + "/.git/index").c_str(), &index) == 0);
    git::GitBlobHasher blob;
    CountingHasher counting(blob);
    auto files = c.files(counting);
    REQUIRE(files.has_value());
    check_ids_are_the_index_ids(*files, c.path);
    const std::vector<std::string> paths = counting.paths();
    const std::set<std::string> read(paths.begin(), paths.end());
    INFO("read: " << ::Catch::Detail::stringify(paths));
    CHECK(read.size() == paths.size());  // none twice
    std::size_t racy_files = 0;
    for (const FileRecord& f : *files) {
      const std::string full = c.path + "/" + f.path.str();
      INFO(f.path.str());
      struct stat st;
      REQUIRE(lstat(full.c_str(), &st) == 0);
      // Racily clean: modified in the same tick as the index was written, or later.
      const bool racy = st.st_mtim.tv_sec > index.st_mtim.tv_sec ||
                        (st.st_mtim.tv_sec == index.st_mtim.tv_sec &&
                         st.st_mtim.tv_nsec >= index.st_mtim.tv_nsec);
      racy_files += racy ? 1 : 0;
      CHECK(read.count(full) == (racy ? 1u : 0u));
      CHECK(f.source == (racy ? FileSource::read : FileSource::index));
    }
    CHECK(read.size() == racy_files);
    return racy_files;
  };
  check_reads();

  // The same with a racily clean file for certain: the index's mtime set to the newest file's.
  std::string newest;
  struct timespec newest_mtime {};
  for (const auto& [path, id] : ls_files(c.path)) {
    struct stat st;
    REQUIRE(lstat((c.path + "/" + path).c_str(), &st) == 0);
    if (S_ISREG(st.st_mode) &&
        (newest.empty() || st.st_mtim.tv_sec > newest_mtime.tv_sec ||
         (st.st_mtim.tv_sec == newest_mtime.tv_sec && st.st_mtim.tv_nsec > newest_mtime.tv_nsec))) {
      newest = path;
      newest_mtime = st.st_mtim;
    }
  }
  REQUIRE_FALSE(newest.empty());
  run_shell("touch -r " + shell_quote(newest) + " .git/index", c.path);
  CHECK(check_reads() >= 1);
}

TEST_CASE("git files: after one file is modified, exactly that file is read") {
  Cloned c;
  c.refresh_index();
  git::GitBlobHasher blob;
  CountingHasher counting(blob);
  std::string rel = "services/web/Makefile";
  ripple::testing::run_shell("printf 'changed\\n' >> " + shell_quote(rel), c.path);
  auto files = c.files(counting);
  REQUIRE(files.has_value());
  CHECK(counting.paths() == std::vector<std::string>{c.path + "/" + rel});
  auto expected = ls_files(c.path);
  for (const FileRecord& f : *files) {
    INFO(f.path.str());
    if (f.path.str() == rel) {
      CHECK(f.source == FileSource::read);
      CHECK(f.id == hash_object(rel, c.path));
      CHECK(mode_id(f) != expected[rel]);
    } else {
      CHECK(f.source == FileSource::index);
      CHECK(mode_id(f) == expected[f.path.str()]);
    }
  }

  // An untracked file is read too, and only it besides.
  counting.reset();
  ripple::testing::run_shell("printf 'new\\n' > services/web/new.txt", c.path);
  files = c.files(counting);
  REQUIRE(files.has_value());
  CHECK(counting.paths() == std::vector<std::string>{c.path + "/services/web/Makefile",
                                                     c.path + "/services/web/new.txt"});
  auto it = std::find_if(files->begin(), files->end(), [](const FileRecord& f) {
    return f.path.str() == "services/web/new.txt";
  });
  REQUIRE(it != files->end());
  CHECK(it->id == hash_object("services/web/new.txt", c.path));
  CHECK(it->mode == kBlob);
}

TEST_CASE("git files: a modified file that cannot be read fails the listing, naming it") {
  Cloned c;
  c.refresh_index();
  ripple::testing::run_shell("printf 'changed\\n' >> services/web/Makefile", c.path);
  git::GitBlobHasher blob;
  FaultyHasher faulty(blob, "/services/web/Makefile");
  auto files = c.files(faulty);
  REQUIRE_FALSE(files.has_value());
  CHECK(files.error().kind == ErrorKind::environment);
  CHECK_THAT(files.error().message, Catch::Contains(c.path + "/services/web/Makefile"));
}

TEST_CASE("git files: an untracked file that cannot be read fails the listing, naming it") {
  Cloned c;
  ripple::testing::run_shell("printf 'new\\n' > services/web/new.txt", c.path);
  git::GitBlobHasher blob;
  FaultyHasher faulty(blob, "/services/web/new.txt");
  auto files = c.files(faulty);
  REQUIRE_FALSE(files.has_value());
  CHECK(files.error().kind == ErrorKind::environment);
  CHECK_THAT(files.error().message, Catch::Contains(c.path + "/services/web/new.txt"));
}

TEST_CASE("git files: a file that vanishes before it is read is an environment error naming it") {
  Cloned c;
  ripple::testing::run_shell("printf 'new\\n' > services/web/new.txt", c.path);
  git::GitBlobHasher blob;
  VanishingHasher vanishing(blob, "/services/web/new.txt");
  auto files = c.files(vanishing);
  REQUIRE_FALSE(files.has_value());
  CHECK(files.error().kind == ErrorKind::environment);
  CHECK_THAT(files.error().message, Catch::Contains(c.path + "/services/web/new.txt"));
  CHECK_THAT(files.error().message, Catch::Contains("vanished"));
}

TEST_CASE(
    "git files: a deleted tracked file is left out, an executable and a link keep git's modes") {
  Cloned c;
  ripple::testing::run_shell(
      "rm services/web/Makefile && printf '#!/bin/sh\\n' > run.sh && chmod 755 run.sh && "
      "ln -s services/web/Dockerfile link",
      c.path);
  git::GitBlobHasher blob;
  auto files = c.files(blob);
  REQUIRE(files.has_value());
  std::map<std::string, FileRecord> by_path;
  for (const FileRecord& f : *files) {
    by_path[f.path.str()] = f;
  }
  CHECK(by_path.count("services/web/Makefile") == 0);
  REQUIRE(by_path.count("run.sh") == 1);
  CHECK(by_path["run.sh"].mode == kExec);
  REQUIRE(by_path.count("link") == 1);
  CHECK(by_path["link"].mode == kLink);
  CHECK(by_path["link"].id ==
        run_shell("printf 'services/web/Dockerfile' | git hash-object --stdin", c.path)
            .out.substr(0, 40));
}

TEST_CASE("recorded files: the index's entries as views give the lists and digests of records") {
  Cloned c;
  ripple::testing::run_shell(
      "chmod 755 services/web/Makefile && ln -s services/web/Dockerfile link && "
      "git add -A && git commit -q -m more",
      c.path);
  auto vcs = git::GitVcs::open(c.path);
  REQUIRE(vcs.has_value());
  auto table = (*vcs)->recorded_files();
  REQUIRE(table.has_value());
  std::vector<FileRecord> records = table->records();
  REQUIRE(records.size() == table->files().size());
  auto expected = ls_files(c.path);
  REQUIRE(records.size() == expected.size());
  for (const FileRecord& f : records) {
    INFO(f.path.str());
    CHECK(mode_id(f) == expected[f.path.str()]);
    CHECK(f.source == FileSource::index);
  }
  CHECK(std::is_sorted(records.begin(), records.end(),
                       [](const FileRecord& a, const FileRecord& b) { return a.path < b.path; }));

  RealFilesystem fs;
  auto loaded = load_workspace(fs, c.path);
  REQUIRE(loaded.has_value());
  const graph::Workspace& ws = loaded->workspace;
  InputIndex from_views = build_input_index(ws, table->files());
  InputIndex from_records = build_input_index(ws, records);
  CHECK(from_views.table.files().empty());
  CHECK(from_records.table.files().size() == records.size());
  CHECK(from_views.global_digest == from_records.global_digest);
  CHECK(from_views.global_files == from_records.global_files);
  REQUIRE(from_views.services.size() == from_records.services.size());
  REQUIRE(from_views.services.size() >= 2);
  for (std::size_t s = 0; s < from_views.services.size(); ++s) {
    INFO(ws.services()[s].name);
    CHECK(from_views.services[s].files == from_records.services[s].files);
    CHECK(from_views.services[s].digest == from_records.services[s].digest);
    CHECK_FALSE(from_views.services[s].files.empty());
  }
}

TEST_CASE("recorded files: below a prefix, paths are relative to the workspace") {
  GitRepo repo;
  repo.write("top.txt", "outside\n");
  repo.write("mono/ws/ripple.yaml", "version: 1\nservices: [svc]\n");
  repo.write("mono/ws/svc/service.yaml", "");
  repo.write("mono/ws/svc/a.txt", "a\n");
  repo.write("mono/wsx/b.txt", "beside, with a longer name\n");
  repo.commit("nested");
  auto vcs = git::GitVcs::open(repo.path() + "/mono/ws");
  REQUIRE(vcs.has_value());
  auto table = (*vcs)->recorded_files();
  REQUIRE(table.has_value());
  std::vector<std::string> paths;
  for (const InputFile& f : table->files()) {
    paths.emplace_back(f.path);
    CHECK(f.id.size() == 40);
  }
  CHECK(paths == std::vector<std::string>{"ripple.yaml", "svc/a.txt", "svc/service.yaml"});
}

// ---------------------------------------------------------------------------------------------
// The hashers on their own.

TEST_CASE("git blob hasher: ids are git hash-object's, links are hashed by their text") {
  TempDir dir;
  std::string big(3 * 1024 * 1024 + 17, '\0');
  std::mt19937 rng(42);
  for (char& ch : big) {
    ch = static_cast<char>(rng());
  }
  dir.write("big.bin", big);
  dir.write("empty", "");
  dir.write("text", "hello\n");
  REQUIRE(symlink("text", (dir.path() + "/link").c_str()) == 0);
  REQUIRE(symlink("nowhere/at/all", (dir.path() + "/dangling").c_str()) == 0);
  git::GitBlobHasher hasher;
  for (const char* name : {"big.bin", "empty", "text"}) {
    INFO(name);
    auto id = hasher.content_id(dir.path() + "/" + name, false);
    REQUIRE(id.has_value());
    CHECK(*id == hash_object(name, dir.path()));
  }
  auto link = hasher.content_id(dir.path() + "/link", true);
  REQUIRE(link.has_value());
  CHECK(*link == run_shell("printf text | git hash-object --stdin").out.substr(0, 40));
  auto dangling = hasher.content_id(dir.path() + "/dangling", true);
  REQUIRE(dangling.has_value());
  CHECK(*dangling ==
        run_shell("printf nowhere/at/all | git hash-object --stdin").out.substr(0, 40));

  auto gone = hasher.content_id(dir.path() + "/missing", false);
  REQUIRE_FALSE(gone.has_value());
  CHECK(gone.error().kind == ErrorKind::environment);
  CHECK_THAT(gone.error().message, Catch::Contains(dir.path() + "/missing"));
}

TEST_CASE("xxh3 file hasher: ids are xxh3-128 of the bytes, streamed, and of a link's text") {
  TempDir dir;
  std::string big(1024 * 1024 + 12345, '\0');
  std::mt19937 rng(7);
  for (char& ch : big) {
    ch = static_cast<char>(rng());
  }
  dir.write("big.bin", big);
  dir.write("text", "hello\n");
  REQUIRE(symlink("text", (dir.path() + "/link").c_str()) == 0);
  Xxh3FileHasher hasher;
  CHECK(*hasher.content_id(dir.path() + "/big.bin", false) == cache::xxh3_128(big).hex());
  CHECK(*hasher.content_id(dir.path() + "/text", false) == cache::xxh3_128("hello\n").hex());
  CHECK(*hasher.content_id(dir.path() + "/link", true) == cache::xxh3_128("text").hex());
  auto gone = hasher.content_id(dir.path() + "/missing", false);
  REQUIRE_FALSE(gone.has_value());
  CHECK(gone.error().kind == ErrorKind::environment);
  CHECK_THAT(gone.error().message, Catch::Contains(dir.path() + "/missing"));
}

// ---------------------------------------------------------------------------------------------
// walk_files: the listing outside git.

TEST_CASE("tree walk: every file but .git, .ripple and ignored ones, sorted, with xxh3 ids") {
  TempDir dir;
  dir.write("ripple.yaml", "version: 1\n");
  dir.write("b/z.txt", "z\n");
  dir.write("a.txt", "a\n");
  dir.write(".gitignore", "*.o\n");
  dir.write("b/x.o", "object\n");
  dir.write(".git/config", "not a repository, still skipped\n");
  dir.write(".ripple/state/x", "state\n");
  dir.write("b/.ripple/kept", "only the root's .ripple is ripple's\n");
  Xxh3FileHasher xxh3;
  CountingHasher counting(xxh3);
  auto files = walk_files(dir.path(), nullptr, counting);
  REQUIRE(files.has_value());
  std::vector<std::string> paths;
  for (const FileRecord& f : *files) {
    paths.push_back(f.path.str());
    CHECK(f.source == FileSource::read);
    CHECK(f.mode == kBlob);
  }
  CHECK(paths == Paths{".gitignore", "a.txt", "b/.ripple/kept", "b/z.txt", "ripple.yaml"});
  CHECK(counting.calls() == paths.size());
  CHECK((*files)[1].id == cache::xxh3_128("a\n").hex());
}

TEST_CASE("tree walk: a file that cannot be read fails the walk, naming it") {
  TempDir dir;
  dir.write("ripple.yaml", "version: 1\n");
  dir.write("svc/bad.bin", "x");
  Xxh3FileHasher xxh3;
  FaultyHasher faulty(xxh3, "/svc/bad.bin");
  auto files = walk_files(dir.path(), nullptr, faulty);
  REQUIRE_FALSE(files.has_value());
  CHECK(files.error().kind == ErrorKind::environment);
  CHECK_THAT(files.error().message, Catch::Contains(dir.path() + "/svc/bad.bin"));
}
