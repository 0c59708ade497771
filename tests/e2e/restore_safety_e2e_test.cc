// Restores from the cache on real repositories (issue 20): never through a link a pull request
// planted, modes as stored, a full disk is a miss and never a cached empty file, any name Linux
// allows, and output globs spelled any way.

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/support/git_repo.h"

using namespace ripple::testing;

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

std::map<std::string, std::string> statuses(const GitRepo& repo) {
  std::ifstream in(repo.path() + "/.summary.json");
  const auto doc = nlohmann::json::parse(in);
  std::map<std::string, std::string> out;
  for (const auto& t : doc["tasks"]) {
    out[t["taskId"]] = t["status"];
  }
  return out;
}

CommandResult run(const GitRepo& repo, const std::string& args = "build --all",
                  const std::string& env = "") {
  return repo.ripple_with_env(
      env, "run " + args + " --summary " + shell_quote(repo.path() + "/.summary.json"));
}

}  // namespace

TEST_CASE("restore: a committed link at the old temporary name is never written through") {
  GitRepo repo;
  TempDir outside;
  outside.write("victim", "precious\n");
  REQUIRE(chmod((outside.path() + "/victim").c_str(), 0600) == 0);
  repo.write("ripple.yaml",
             "services: [s/*]\ntasks:\n  build: { run: 'echo built > out.txt', outputs: "
             "[out.txt] }\n");
  repo.write("s/a/service.yaml", "");
  REQUIRE(symlink((outside.path() + "/victim").c_str(),
                  (repo.path() + "/s/a/out.txt.ripple-tmp").c_str()) == 0);
  repo.commit("a pull request with a planted link");
  REQUIRE(run(repo).exit_code == 0);
  repo.remove("s/a/out.txt");
  auto r = run(repo);  // a second job on the same commit restores
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(statuses(repo)["a#build"] == "cached");
  CHECK(read(repo.path() + "/s/a/out.txt") == "built\n");
  CHECK(read(outside.path() + "/victim") == "precious\n");
  CHECK(mode_of(outside.path() + "/victim") == 0600u);
}

TEST_CASE("restore: a link at the output itself is replaced, not followed") {
  GitRepo repo;
  TempDir outside;
  outside.write("victim", "precious\n");
  repo.write("ripple.yaml",
             "services: [s/*]\ntasks:\n  build: { run: 'rm -f out.txt; echo built > out.txt', "
             "outputs: [out.txt] }\n");
  repo.write("s/a/service.yaml", "");
  REQUIRE(symlink((outside.path() + "/victim").c_str(), (repo.path() + "/s/a/out.txt").c_str()) ==
          0);
  repo.commit("a pull request with a planted link at the output");
  REQUIRE(run(repo).exit_code == 0);
  repo.git("checkout -- s/a/out.txt");  // the committed link is back
  REQUIRE(is_link(repo.path() + "/s/a/out.txt"));
  auto r = run(repo);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(statuses(repo)["a#build"] == "cached");
  CHECK_FALSE(is_link(repo.path() + "/s/a/out.txt"));
  CHECK(read(repo.path() + "/s/a/out.txt") == "built\n");
  CHECK(read(outside.path() + "/victim") == "precious\n");
}

TEST_CASE("restore: a directory swapped for a link is refused and the task runs instead") {
  GitRepo repo;
  TempDir outside;
  repo.write("ripple.yaml",
             "services: [s/*]\ntasks:\n  build: { run: 'test ! -L dist && mkdir -p dist && echo "
             "built > dist/app.js', outputs: ['dist/**'] }\n");
  repo.write("s/a/service.yaml", "");
  repo.commit("ws");
  REQUIRE(run(repo).exit_code == 0);
  repo.remove("s/a/dist");
  REQUIRE(symlink(outside.path().c_str(), (repo.path() + "/s/a/dist").c_str()) == 0);
  auto r = run(repo);
  INFO(r.err);
  CHECK(statuses(repo)["a#build"] != "cached");
  CHECK(run_shell("ls -A " + shell_quote(outside.path())).out.empty());
}

TEST_CASE("restore: outputs come back with their modes, less the umask") {
  GitRepo repo;
  repo.write("ripple.yaml",
             "services: [s/*]\ntasks:\n  build: { run: 'echo k > key.pem && chmod 600 key.pem && "
             "echo t > tool.sh && chmod 755 tool.sh && echo p > pub.txt && chmod 644 pub.txt', "
             "outputs: ['*.pem', '*.sh', '*.txt'] }\n");
  repo.write("s/a/service.yaml", "");
  repo.commit("ws");
  REQUIRE(run(repo).exit_code == 0);
  const std::string dir = repo.path() + "/s/a/";
  run_shell("rm -f key.pem tool.sh pub.txt", dir);
  auto r = repo.ripple_with_env("", "run build --all");
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.err, Catch::Contains("Tasks: 1 (1 cached"));
  CHECK(mode_of(dir + "key.pem") == 0600u);
  CHECK(mode_of(dir + "tool.sh") == 0755u);
  CHECK(mode_of(dir + "pub.txt") == 0644u);

  run_shell("rm -f key.pem tool.sh pub.txt", dir);
  auto masked = run_shell("umask 077 && " + ripple_command_line("run build --all"),
                          repo.path());
  INFO(masked.err);
  REQUIRE(masked.exit_code == 0);
  CHECK_THAT(masked.err, Catch::Contains("Tasks: 1 (1 cached"));
  CHECK(mode_of(dir + "key.pem") == 0600u);
  CHECK(mode_of(dir + "tool.sh") == 0700u);
  CHECK(mode_of(dir + "pub.txt") == 0600u);
}

TEST_CASE("restore: names that are not UTF-8, and 250-byte names, are stored and restored") {
  GitRepo repo;
  repo.write("ripple.yaml",
             "services: [s/*]\ntasks:\n  build: { run: 'mkdir -p out && printf latin > "
             "\"out/$(printf \"caf\\351\").txt\" && printf long > out/" +
                 std::string(250, 'n') + "', outputs: ['out/**'] }\n");
  repo.write("s/a/service.yaml", "");
  repo.commit("ws");
  REQUIRE(run(repo).exit_code == 0);
  const std::string latin = repo.path() + "/s/a/out/caf\xe9.txt";
  const std::string long_name = repo.path() + "/s/a/out/" + std::string(250, 'n');
  REQUIRE(read(latin) == "latin");
  auto verify = repo.ripple("cache verify");
  INFO(verify.out << verify.err);
  CHECK(verify.exit_code == 0);
  repo.remove("s/a/out");
  auto r = run(repo);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(statuses(repo)["a#build"] == "cached");
  CHECK(read(latin) == "latin");
  CHECK(read(long_name) == "long");
}

TEST_CASE("restore: output globs spelled ./dist/** or dist//y store and restore what they name") {
  GitRepo repo;
  repo.write("ripple.yaml",
             "services: [s/*]\ntasks:\n  build: { run: 'mkdir -p dist && echo x > dist/x && echo "
             "y > dist/y && echo z > z.txt', outputs: ['./dist/x', 'dist//y', './z.txt'] }\n");
  repo.write("s/a/service.yaml", "");
  repo.commit("ws");
  REQUIRE(run(repo).exit_code == 0);
  run_shell("rm -rf dist z.txt", repo.path() + "/s/a");
  auto r = run(repo);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(statuses(repo)["a#build"] == "cached");
  CHECK(read(repo.path() + "/s/a/dist/x") == "x\n");
  CHECK(read(repo.path() + "/s/a/dist/y") == "y\n");
  CHECK(read(repo.path() + "/s/a/z.txt") == "z\n");
}

TEST_CASE("restore: a disk too full for an output is a miss, never a cached empty file") {
  REQUIRE(geteuid() == 0);  // mounts a tmpfs; the test suite runs as root (scripts/test.sh)
  GitRepo repo;
  TempDir cache;
  repo.write("ripple.yaml", "services: [s/*]\ncache: { dir: " + cache.path() +
                                " }\ntasks:\n  build: { run: 'head -c 300000 /dev/zero | tr "
                                "\"\\\\0\" x > dist/big.bin', outputs: ['dist/**'] }\n");
  repo.write("s/a/service.yaml", "");
  repo.write(".gitignore", "dist/\n");
  repo.commit("ws");
  const std::string dist = repo.path() + "/s/a/dist";
  REQUIRE(run_shell("mkdir -p " + shell_quote(dist) + " && mount -t tmpfs -o size=512k tmpfs " +
                    shell_quote(dist))
              .exit_code == 0);
  struct Unmount {
    std::string dir;
    ~Unmount() { run_shell("umount " + shell_quote(dir)); }
  } unmount{dist};
  REQUIRE(run(repo).exit_code == 0);  // 300 KB fit in 512 KB
  REQUIRE(run_shell("rm -f dist/big.bin && head -c 400000 /dev/zero > dist/filler",
                    repo.path() + "/s/a")
              .exit_code == 0);
  auto r = run(repo);
  INFO(r.err);
  CHECK(statuses(repo)["a#build"] != "cached");
  CHECK_THAT(r.err, Catch::Contains("cannot restore a#build"));
  CHECK_THAT(r.err, Catch::Contains("No space left on device"));
  // Whatever is there is not an empty or short file passed off as the output.
  struct stat st {};
  if (lstat((dist + "/big.bin").c_str(), &st) == 0) {
    CHECK(r.exit_code != 0);
  }
}
