#include "orchestrator/platform/beneath.h"

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <vector>

#include "tests/support/process.h"

using namespace ripple;
using ripple::testing::run_shell;
using ripple::testing::TempDir;

namespace {

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

unsigned mode_of(const std::string& path) {
  struct stat st {};
  REQUIRE(lstat(path.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

bool is_link(const std::string& path) {
  struct stat st {};
  return lstat(path.c_str(), &st) == 0 && S_ISLNK(st.st_mode);
}

}  // namespace

TEST_CASE("beneath: writes a file, creating its directories, with the mode less the umask") {
  TempDir d;
  REQUIRE(write_file_beneath(d.path(), "a/b/c.txt", "hello", 0640).has_value());
  CHECK(read(d.path() + "/a/b/c.txt") == "hello");
  const mode_t mask = umask(0);
  umask(mask);
  CHECK(mode_of(d.path() + "/a/b/c.txt") == (0640u & ~mask));
  REQUIRE(write_file_beneath(d.path(), "a/b/c.txt", "again", 0600).has_value());
  CHECK(read(d.path() + "/a/b/c.txt") == "again");
  CHECK(mode_of(d.path() + "/a/b/c.txt") == 0600u);
  // No temporary is left behind.
  CHECK(run_shell("ls -A " + ripple::testing::shell_quote(d.path() + "/a/b")).out == "c.txt\n");
}

TEST_CASE("beneath: a symlink at the destination is replaced, never written through") {
  TempDir d;
  TempDir outside;
  outside.write("victim", "precious");
  REQUIRE(chmod((outside.path() + "/victim").c_str(), 0600) == 0);
  REQUIRE(symlink((outside.path() + "/victim").c_str(), (d.path() + "/out.txt").c_str()) == 0);
  REQUIRE(write_file_beneath(d.path(), "out.txt", "restored", 0644).has_value());
  CHECK_FALSE(is_link(d.path() + "/out.txt"));
  CHECK(read(d.path() + "/out.txt") == "restored");
  CHECK(read(outside.path() + "/victim") == "precious");
  CHECK(mode_of(outside.path() + "/victim") == 0600u);
}

TEST_CASE("beneath: a symlinked directory on the way is refused") {
  TempDir d;
  TempDir outside;
  REQUIRE(symlink(outside.path().c_str(), (d.path() + "/dist").c_str()) == 0);
  auto st = write_file_beneath(d.path(), "dist/app.js", "x", 0644);
  REQUIRE_FALSE(st.has_value());
  CHECK_THAT(st.error().message, Catch::Contains("is a symlink or not a directory"));
  CHECK(run_shell("ls -A " + ripple::testing::shell_quote(outside.path())).out.empty());
  d.write("file", "x");
  CHECK_FALSE(write_file_beneath(d.path(), "file/y", "x", 0644).has_value());
}

TEST_CASE("beneath: a planted link at any fixed temporary name is never opened") {
  TempDir d;
  TempDir outside;
  outside.write("victim", "precious");
  for (const char* planted : {"out.txt.ripple-tmp", "out.txt.tmp", ".ripple-tmp"}) {
    REQUIRE(symlink((outside.path() + "/victim").c_str(), (d.path() + "/" + planted).c_str()) == 0);
  }
  REQUIRE(write_file_beneath(d.path(), "out.txt", "restored", 0644).has_value());
  CHECK(read(outside.path() + "/victim") == "precious");
}

TEST_CASE("beneath: paths that are not plain relative paths are refused") {
  TempDir d;
  for (const char* bad : {"../x", "a/../b", "./a", "a//b", "/etc/x", "", "a/"}) {
    INFO(bad);
    CHECK_FALSE(write_file_beneath(d.path(), bad, "x", 0644).has_value());
  }
}

TEST_CASE("beneath: a 250-byte name fits beside its temporary") {
  TempDir d;
  const std::string name(250, 'n');
  REQUIRE(write_file_beneath(d.path(), name, "long", 0644).has_value());
  CHECK(read(d.path() + "/" + name) == "long");
}

TEST_CASE("beneath: a streamed file is put in place only once its source ends without error") {
  TempDir d;
  REQUIRE(write_file_beneath(d.path(), "out/f.bin", "old", 0644).has_value());
  std::vector<std::string> chunks = {"first ", "second ", "third"};
  std::size_t next = 0;
  auto fails_at_end = [&]() -> Result<std::string_view> {
    if (next < chunks.size()) {
      return std::string_view(chunks[next++]);
    }
    return environment_error("blob x is damaged");
  };
  auto failed = write_file_beneath(d.path(), "out/f.bin", fails_at_end, 0644);
  REQUIRE_FALSE(failed.has_value());
  CHECK(failed.error().message == "blob x is damaged");
  CHECK(read(d.path() + "/out/f.bin") == "old");
  CHECK(run_shell("ls -A " + ripple::testing::shell_quote(d.path() + "/out")).out == "f.bin\n");
  next = 0;
  auto whole = [&]() -> Result<std::string_view> {
    return next < chunks.size() ? std::string_view(chunks[next++]) : std::string_view();
  };
  REQUIRE(write_file_beneath(d.path(), "out/f.bin", whole, 0644).has_value());
  CHECK(read(d.path() + "/out/f.bin") == "first second third");
  // The same rules as for bytes in memory: a link at the destination is replaced.
  REQUIRE(symlink("/etc/passwd", (d.path() + "/out/link").c_str()) == 0);
  next = 0;
  REQUIRE(write_file_beneath(d.path(), "out/link", whole, 0644).has_value());
  CHECK_FALSE(is_link(d.path() + "/out/link"));
  CHECK(read(d.path() + "/out/link") == "first second third");
}

TEST_CASE("beneath: a symlink is made as given, its directories created, never through a link") {
  TempDir d;
  REQUIRE(symlink_beneath(d.path(), "a/b/current", "../target").has_value());
  REQUIRE(is_link(d.path() + "/a/b/current"));
  char buf[64] = {};
  REQUIRE(readlink((d.path() + "/a/b/current").c_str(), buf, sizeof buf - 1) == 9);
  CHECK(std::string(buf) == "../target");
  // Something already there is an error, left as it was.
  d.write("a/taken", "x");
  auto st = symlink_beneath(d.path(), "a/taken", "elsewhere");
  REQUIRE_FALSE(st.has_value());
  CHECK_THAT(st.error().message, Catch::Contains("a/taken"));
  CHECK(read(d.path() + "/a/taken") == "x");
  // A symlinked directory on the way is refused: nothing is made outside.
  TempDir outside;
  REQUIRE(symlink(outside.path().c_str(), (d.path() + "/dist").c_str()) == 0);
  st = symlink_beneath(d.path(), "dist/link", "x");
  REQUIRE_FALSE(st.has_value());
  CHECK_THAT(st.error().message, Catch::Contains("is a symlink or not a directory"));
  CHECK(run_shell("ls -A " + ripple::testing::shell_quote(outside.path())).out.empty());
  CHECK_FALSE(symlink_beneath(d.path(), "../x", "y").has_value());
}
