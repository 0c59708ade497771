// `ripple docker prune` end to end (docs/images.md, "Minimal build contexts"): real git
// repositories with uncommitted edits, the pruned tree read back from disk, and buildah
// (`--isolation chroot --storage-driver vfs`, FROM scratch, so offline) building from it.

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>

#include "tests/support/buildah_store.h"
#include "tests/support/git_repo.h"

using ripple::testing::CommandResult;
using ripple::testing::GitRepo;
using ripple::testing::run_shell;
using ripple::testing::shell_quote;
using ripple::testing::TempDir;

namespace {

// checkout (image, Dockerfile outside its directory) depends on shared; unrelated stands alone;
// tools/ is global; README.md is nobody's input.
void write_repo(const GitRepo& repo) {
  repo.write("ripple.yaml",
             "version: 1\nservices: [services/*, libs/*]\nglobal_inputs: ['tools/**']\n");
  repo.write(".gitignore", ".ripple/\n");
  repo.write("README.md", "readme\n");
  repo.write("tools/version.txt", "1.0\n");
  repo.write("docker/checkout.Dockerfile",
             "FROM scratch\nCOPY libs/shared/ /shared/\nCOPY services/checkout/ /app/\n");
  repo.write("docker/checkout.Dockerfile.dockerignore", "**/*.log\n");
  repo.write("services/checkout/service.yaml",
             "deps: [shared]\n"
             "image: { dockerfile: ../../docker/checkout.Dockerfile, context: ../.. }\n");
  repo.write("services/checkout/package.json", "{\"name\": \"checkout\"}\n");
  repo.write("services/checkout/main.js", "console.log('v1')\n");
  repo.write("services/checkout/run.sh", "#!/bin/sh\nnode main.js\n");
  chmod((repo.path() + "/services/checkout/run.sh").c_str(), 0755);
  REQUIRE(symlink("main.js", (repo.path() + "/services/checkout/current.js").c_str()) == 0);
  repo.write("libs/shared/service.yaml", "");
  repo.write("libs/shared/requirements.txt", "requests==2.31.0\n");
  repo.write("libs/shared/shared.txt", "shared 1\n");
  repo.write("services/unrelated/service.yaml", "");
  repo.write("services/unrelated/package.json", "{\"name\": \"unrelated\"}\n");
  repo.write("services/unrelated/u.js", "u\n");
}

// Every file and link under `dir`, relative to it.
std::set<std::string> tree(const std::string& dir) {
  std::set<std::string> out;
  if (!std::filesystem::exists(dir)) {
    return out;
  }
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    if (!e.is_directory() || e.is_symlink()) {
      out.insert(e.path().lexically_relative(dir).generic_string());
    }
  }
  return out;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

TEST_CASE(
    "docker prune: the service and its dependency as the work tree has them, manifests "
    "apart, nothing unrelated") {
  GitRepo repo;
  write_repo(repo);
  repo.commit("base");
  repo.write("services/checkout/main.js", "console.log('v2, not committed')\n");
  repo.write("services/checkout/new.js", "untracked\n");
  TempDir tmp;
  const std::string out = tmp.path() + "/out";

  CommandResult r = repo.ripple("docker prune checkout --out " + shell_quote(out));
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.err,
             Catch::Contains("ripple: pruned checkout (+1 dependency): 5 files in json/, 13 in "
                             "full/"));
  const std::set<std::string> json = {"libs/shared/requirements.txt", "libs/shared/service.yaml",
                                      "ripple.yaml", "services/checkout/package.json",
                                      "services/checkout/service.yaml"};
  const std::set<std::string> full = {"docker/checkout.Dockerfile",
                                      "docker/checkout.Dockerfile.dockerignore",
                                      "libs/shared/requirements.txt",
                                      "libs/shared/service.yaml",
                                      "libs/shared/shared.txt",
                                      "ripple.yaml",
                                      "services/checkout/current.js",
                                      "services/checkout/main.js",
                                      "services/checkout/new.js",
                                      "services/checkout/package.json",
                                      "services/checkout/run.sh",
                                      "services/checkout/service.yaml",
                                      "tools/version.txt"};
  CHECK(tree(out + "/json") == json);
  CHECK(tree(out + "/full") == full);
  CHECK(repo.read("services/checkout/main.js") == slurp(out + "/full/services/checkout/main.js"));
  struct stat st {};
  REQUIRE(stat((out + "/full/services/checkout/run.sh").c_str(), &st) == 0);
  CHECK((st.st_mode & 0100) != 0);
  REQUIRE(stat((out + "/full/services/checkout/main.js").c_str(), &st) == 0);
  CHECK((st.st_mode & 0111) == 0);
  CHECK(std::filesystem::is_symlink(out + "/full/services/checkout/current.js"));
  CHECK(std::filesystem::read_symlink(out + "/full/services/checkout/current.js") == "main.js");

  // The same lists as JSON, into a second directory.
  r = repo.ripple("docker prune checkout --format json --out " + shell_quote(tmp.path() + "/o2"));
  REQUIRE(r.exit_code == 0);
  const auto doc = nlohmann::json::parse(r.out);
  CHECK(doc["services"] == nlohmann::json::array({"checkout"}));
  CHECK(doc["dependencies"] == nlohmann::json::array({"shared"}));
  CHECK(doc["json"].get<std::set<std::string>>() == json);
  CHECK(doc["full"].get<std::set<std::string>>() == full);
}

TEST_CASE("docker prune: a dependency alone leaves out the services depending on it") {
  GitRepo repo;
  write_repo(repo);
  repo.commit("base");
  TempDir tmp;
  CommandResult r = repo.ripple("docker prune shared --out " + shell_quote(tmp.path() + "/o"));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.err, Catch::Contains("pruned shared (+0 dependencies)"));
  CHECK(tree(tmp.path() + "/o/full") ==
        std::set<std::string>{"libs/shared/requirements.txt", "libs/shared/service.yaml",
                              "libs/shared/shared.txt", "ripple.yaml", "tools/version.txt"});
}

TEST_CASE(
    "docker prune: a DIR that is not empty, an unknown service, a DIR that would be an "
    "input are refused with exit 2") {
  GitRepo repo;
  write_repo(repo);
  repo.commit("base");
  TempDir tmp;
  tmp.write("full/stale.txt", "old\n");
  CommandResult r = repo.ripple("docker prune checkout --out " + shell_quote(tmp.path()));
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("is not empty"));
  CHECK_THAT(r.err, Catch::Contains("remove it first"));
  CHECK(tree(tmp.path()) == std::set<std::string>{"full/stale.txt"});

  r = repo.ripple("docker prune chekout --out " + shell_quote(tmp.path() + "/new"));
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("unknown service 'chekout' (did you mean 'checkout'?)"));
  CHECK(!std::filesystem::exists(tmp.path() + "/new"));

  // Under services/checkout/ the copies would be checkout's inputs: the next key would change.
  r = repo.ripple("docker prune checkout --out services/checkout/pruned");
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("would be an input of service 'checkout'"));
  CHECK_THAT(r.err, Catch::Contains("services/checkout/pruned/**"));
  CHECK(!std::filesystem::exists(repo.path() + "/services/checkout/pruned"));
  // Where no input reaches, the workspace is fine.
  r = repo.ripple("docker prune checkout --out build/pruned");
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(std::filesystem::is_regular_file(repo.path() + "/build/pruned/full/ripple.yaml"));
}

TEST_CASE("docker prune: a symlink out of the pruned set is an error naming it") {
  GitRepo repo;
  write_repo(repo);
  REQUIRE(symlink("../unrelated/u.js", (repo.path() + "/services/checkout/u.js").c_str()) == 0);
  repo.commit("base");
  TempDir tmp;
  CommandResult r = repo.ripple("docker prune checkout --out " + shell_quote(tmp.path() + "/o"));
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("services/checkout/u.js -> ../unrelated/u.js"));
  CHECK(tree(tmp.path() + "/o").empty());
}

TEST_CASE("docker prune: buildah builds the service's image from the pruned full/ alone") {
  const ripple::testing::BuildahStore buildah;
  GitRepo repo;
  write_repo(repo);
  repo.commit("base");
  TempDir tmp;
  const std::string out = tmp.path() + "/out";
  CommandResult r = repo.ripple("docker prune checkout --out " + shell_quote(out));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto built =
      run_shell(buildah.bud() + " --file " + shell_quote(out + "/full/docker/checkout.Dockerfile") +
                " --tag localhost/checkout:pruned " + shell_quote(out + "/full"));
  INFO(built.out << built.err);
  REQUIRE(built.exit_code == 0);
  auto content =
      run_shell(buildah.command() + " from --name check localhost/checkout:pruned >/dev/null && " +
                buildah.command() + " mount check | xargs -I{} sh -c 'cat {}/app/main.js " +
                "{}/shared/shared.txt'");
  INFO(content.err);
  CHECK(content.out == "console.log('v1')\nshared 1\n");
}

TEST_CASE(
    "docker prune: an npm workspace package gets the root lockfile and package.json, as "
    "turbo prune --docker lays them out") {
  GitRepo repo;
  repo.write("package.json",
             R"({"name": "root", "private": true, "workspaces": ["apps/*", "packages/*"]})");
  repo.write("apps/web/package.json",
             R"({"name": "web", "version": "1.0.0", "dependencies": {"ui": "*"}})");
  repo.write("apps/web/index.js", "web\n");
  repo.write("apps/admin/package.json", R"({"name": "admin", "version": "1.0.0"})");
  repo.write("packages/ui/package.json", R"({"name": "ui", "version": "1.0.0"})");
  repo.write("packages/ui/ui.js", "ui\n");
  repo.write("package-lock.json", R"({
  "name": "root", "lockfileVersion": 3, "requires": true,
  "packages": {
    "": {"name": "root", "workspaces": ["apps/*", "packages/*"]},
    "apps/web": {"name": "web", "version": "1.0.0", "dependencies": {"ui": "*"}},
    "apps/admin": {"name": "admin", "version": "1.0.0"},
    "packages/ui": {"name": "ui", "version": "1.0.0"},
    "node_modules/web": {"resolved": "apps/web", "link": true},
    "node_modules/admin": {"resolved": "apps/admin", "link": true},
    "node_modules/ui": {"resolved": "packages/ui", "link": true}
  }
})");
  repo.commit("base");
  TempDir tmp;
  CommandResult r = repo.ripple("docker prune web --out " + shell_quote(tmp.path() + "/o"));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(tree(tmp.path() + "/o/json") == std::set<std::string>{"apps/web/package.json",
                                                              "package-lock.json", "package.json",
                                                              "packages/ui/package.json"});
  CHECK(tree(tmp.path() + "/o/full") ==
        std::set<std::string>{"apps/web/index.js", "apps/web/package.json", "package-lock.json",
                              "package.json", "packages/ui/package.json", "packages/ui/ui.js"});
  // Whole, not pruned: admin's entries stay in the lockfile.
  CHECK(slurp(tmp.path() + "/o/json/package-lock.json") == repo.read("package-lock.json"));
}
