// `ripple images` and the image task end to end (docs/images.md): real git repositories, and
// real images built by buildah (`--isolation chroot --storage-driver vfs`, FROM scratch, so
// offline) into a store of the test's own.

#include <catch2/catch.hpp>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "tests/support/buildah_store.h"
#include "tests/support/git_repo.h"

using ripple::testing::CommandResult;
using ripple::testing::GitRepo;
using ripple::testing::run_git;
using ripple::testing::run_ripple;
using ripple::testing::run_shell;
using ripple::testing::shell_quote;
using ripple::testing::TempDir;

namespace {

// base (an image worker builds on), api (depends on base, but its image does not use base's),
// worker (its Dockerfile copies from base's image: an image dependency the dockerfile rule finds),
// web (alone), lib (no image).
void write_repo(const GitRepo& repo, const std::string& builder) {
  repo.write("ripple.yaml",
             "services: [services/*, libs/*]\nimages:\n  registry: "
             "registry.example.com/acme\n  builder: " +
                 builder + "\n");
  repo.write("services/base/service.yaml", "image: {}\n");
  repo.write("services/base/Dockerfile", "FROM scratch\nCOPY base.txt /base.txt\n");
  repo.write("services/base/base.txt", "base 1\n");
  repo.write("services/api/service.yaml",
             "deps: [base, lib]\nimage: { name: acme-api, build_args: { MODE: prod } }\n");
  repo.write("services/api/Dockerfile", "FROM scratch\nARG MODE\nCOPY api.txt /api.txt\n");
  repo.write("services/api/api.txt", "api 1\n");
  repo.write("services/worker/service.yaml", "image: {}\n");
  repo.write("services/worker/Dockerfile",
             "FROM registry.example.com/acme/base AS base\nFROM scratch\nCOPY --from=base "
             "/base.txt /base.txt\n");
  repo.write("services/web/service.yaml", "image: { dockerfile: docker/Dockerfile }\n");
  repo.write("services/web/docker/Dockerfile", "FROM scratch\nCOPY web.txt /web.txt\n");
  repo.write("services/web/web.txt", "web 1\n");
  repo.write("libs/lib/service.yaml", "");
  repo.write("libs/lib/lib.txt", "lib 1\n");
  repo.write(".gitignore", ".ripple/\n");
}

// service → (status, reference) from `images --format json`.
std::map<std::string, std::pair<std::string, std::string>> images(const std::string& dir,
                                                                  const std::string& args = "") {
  CommandResult r = run_ripple("images --format json" + args, dir);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  std::map<std::string, std::pair<std::string, std::string>> out;
  const nlohmann::json doc = nlohmann::json::parse(r.out);
  for (const auto& image : doc["images"]) {
    out[image["service"].get<std::string>()] = {image["status"].get<std::string>(),
                                                image["reference"].get<std::string>()};
  }
  return out;
}

}  // namespace

TEST_CASE("images: every image with its content tag, the same in every clone") {
  GitRepo repo;
  write_repo(repo, "docker");
  repo.commit("base");
  auto r = repo.ripple("images");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.err, Catch::Contains("0 of 4 images to build"));
  auto first = images(repo.path());
  REQUIRE(first.size() == 4);  // lib has no image
  CHECK(first.at("api").first == "unchanged");
  CHECK_THAT(first.at("api").second,
             Catch::Matches("registry\\.example\\.com/acme/acme-api:r-[0-9a-f]{24}"));
  CHECK_THAT(first.at("web").second,
             Catch::Matches("registry\\.example\\.com/acme/web:r-[0-9a-f]{24}"));
  nlohmann::json doc = nlohmann::json::parse(repo.ripple("images --format json").out);
  for (const auto& image : doc["images"]) {
    if (image["service"] == "web") {
      CHECK(image["dockerfile"] == "services/web/docker/Dockerfile");
      CHECK(image["context"] == "services/web");
    }
  }

  // Another clone, elsewhere: the same references.
  TempDir parent;
  const std::string clone = parent.path() + "/clone";
  run_git("clone -q " + shell_quote(repo.path()) + " " + shell_quote(clone), parent.path());
  CHECK(images(clone) == first);
}

TEST_CASE("images: a change rebuilds its image and the images built on it, tags follow") {
  GitRepo repo;
  write_repo(repo, "docker");
  repo.commit("base");
  const auto before = images(repo.path());
  repo.git("checkout -q -b feature");
  repo.write("services/base/base.txt", "base 2\n");
  repo.commit("base 2");
  auto after = images(repo.path(), " --base main");
  CHECK(after.at("base").first == "build");
  CHECK(after.at("api").first == "build");  // depends on base
  CHECK(after.at("worker").first == "build");
  CHECK(after.at("web").first == "unchanged");
  CHECK(after.at("base").second != before.at("base").second);
  // worker's image is made from base's: its tag follows. api's is not: its tag stays.
  CHECK(after.at("worker").second != before.at("worker").second);
  CHECK(after.at("api").second == before.at("api").second);
  CHECK(after.at("web").second == before.at("web").second);
  auto text = repo.ripple("images --base main");
  REQUIRE(text.exit_code == 0);
  CHECK_THAT(text.out, Catch::Contains("build      " + after.at("base").second +
                                       "  changed (services/base/base.txt)"));
  CHECK_THAT(text.out, Catch::Contains("  dependency → base"));

  // A library the service depends on: the service is affected, but what its image is made of
  // (its context, Dockerfile, build args, upstream images) did not change, nor does its tag.
  repo.write("libs/lib/lib.txt", "lib 2\n");
  auto lib_changed = images(repo.path(), " --base main");
  CHECK(lib_changed.at("api").first == "build");
  CHECK(lib_changed.at("api").second == after.at("api").second);
  // With a build task, the image builds on its output: the library's change reaches the tag.
  repo.write("ripple.yaml",
             repo.read("ripple.yaml") + "tasks:\n  build: { run: \"true\", deps: [\"^build\"] }\n");
  const auto with_build = images(repo.path(), " --base main");
  repo.write("libs/lib/lib.txt", "lib 1\n");
  CHECK(images(repo.path(), " --base main").at("api").second != with_build.at("api").second);
  CHECK(images(repo.path(), " --base main").at("web").second == with_build.at("web").second);
}

TEST_CASE("images: a Dockerfile or context that does not exist is exit 2 at its image:") {
  GitRepo repo;
  write_repo(repo, "docker");
  repo.write("services/web/service.yaml", "# web\nimage: { dockerfile: Dockerfile.prod }\n");
  repo.commit("base");
  auto r = repo.ripple("images");
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("services/web/service.yaml:2:1: image.dockerfile "
                                    "'Dockerfile.prod' (services/web/Dockerfile.prod) does not "
                                    "exist"));
  repo.write("services/web/service.yaml",
             "image: { dockerfile: docker/Dockerfile, context: src }\n");
  r = repo.ripple("images");
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("image.context 'src' (services/web/src) does not exist"));
  repo.write("services/web/service.yaml", "image: {}\n");
  repo.write("ripple.yaml", "services: [services/*, libs/*]\nimages: { builder: kaniko }\n");
  r = repo.ripple("images");
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("ripple.yaml:2:20: images.builder 'kaniko' is neither"));
}

TEST_CASE("run image: buildah builds every image, tagged with the reference images lists") {
  const ripple::testing::BuildahStore store;
  const std::string buildah = store.command();
  GitRepo repo;
  // A command template: the store is the test's own, the image what ripple names. Offline: no
  // image pulled, every one FROM scratch.
  write_repo(repo, "\"" + store.bud() +
                       " --file {dockerfile} {build_args} --tag {ref} {context} && echo built "
                       "$RIPPLE_IMAGE_TAG from $RIPPLE_DOCKERFILE\"");
  repo.write("services/worker/Dockerfile", "FROM scratch\nCOPY Dockerfile /\n");
  repo.commit("base");
  const auto listed = images(repo.path());
  auto r = repo.ripple("run image --all");
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out + r.err, Catch::Contains("built r-"));
  CHECK_THAT(r.out + r.err, Catch::Contains("from docker/Dockerfile"));
  auto stored = run_shell(buildah + " images --format '{{.Name}}:{{.Tag}}'");
  REQUIRE(stored.exit_code == 0);
  for (const auto& [service, image] : listed) {
    CHECK_THAT(stored.out, Catch::Contains(image.second));
  }
  // What was built is what each Dockerfile copies.
  auto content =
      run_shell(buildah + " from --name check " + shell_quote(listed.at("api").second) +
                " >/dev/null && " + buildah + " mount check | xargs -I{} cat {}/api.txt");
  CHECK(content.out == "api 1\n");
  // Images are not restored from the task cache: a second run builds again.
  r = repo.ripple("run image --all");
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.err, Catch::Contains("0 cached"));
}
