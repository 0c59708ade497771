// `ripple images --push` and `ripple run image --push` against a real registry (Debian's
// docker-registry on 127.0.0.1, started by the test), building with buildah (chroot isolation,
// vfs storage, offline: FROM scratch): the images the registry lacks are built and pushed with
// their digests, the ones it holds are never rebuilt; an edit rebuilds that image and the images
// that depend on it, nothing else; extra tags are pushed beside the content tag.

#include <catch2/catch.hpp>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "tests/support/buildah_store.h"
#include "tests/support/git_repo.h"
#include "tests/support/registry_server.h"

using ripple::testing::GitRepo;
using ripple::testing::RegistryServer;
using ripple::testing::run_shell;
using ripple::testing::shell_quote;
using ripple::testing::TempDir;

namespace {

// api; web, whose image copies from api's (`latest`, pulled from the registry: so its image task
// runs after api's and its tag follows api's); docs, on its own. Each logs its build to builds.log.
void write_repo(const GitRepo& repo, const std::string& registry, const std::string& log) {
  repo.write("ripple.yaml",
             "services: [services/*]\nimages:\n  registry: " + registry + "\n  builder: buildah\n");
  for (const char* name : {"api", "web", "docs"}) {
    const std::string dir = std::string("services/") + name;
    const std::string deps = std::string(name) == "web" ? "deps: [api]\n" : "";
    repo.write(dir + "/service.yaml", deps + "tasks:\n  build: { run: echo " + name + " >> " +
                                          shell_quote(log) +
                                          " }\nimage:\n  extra_tags: [latest, \"${RELEASE}\"]\n");
    const std::string from_api =
        std::string(name) == "web" ? "COPY --from=api /app.txt /api.txt\n" : "";
    repo.write(dir + "/Dockerfile",
               (from_api.empty() ? "" : "FROM " + registry + "/api:latest AS api\n") +
                   "FROM scratch\nCOPY app.txt /app.txt\n" + from_api);
    repo.write(dir + "/app.txt", std::string(name) + " 1\n");
  }
  repo.write(".gitignore", ".ripple/\n");
}

struct Listed {
  std::string status, reference, digest;
};

std::map<std::string, Listed> listed(const std::string& json) {
  std::map<std::string, Listed> out;
  const nlohmann::json doc = nlohmann::json::parse(json);
  for (const auto& image : doc["images"]) {
    out[image["service"].get<std::string>()] =
        Listed{image["status"].get<std::string>(), image["reference"].get<std::string>(),
               image.value("digest", "")};
  }
  return out;
}

std::size_t count(const std::string& text, const std::string& line) {
  std::size_t n = 0;
  for (std::size_t at = text.find(line); at != std::string::npos; at = text.find(line, at + 1)) {
    ++n;
  }
  return n;
}

std::string digest_of(const std::string& reference) {
  auto inspected = run_shell("skopeo inspect --tls-verify=false --format '{{.Digest}}' " +
                             shell_quote("docker://" + reference));
  return inspected.exit_code == 0 ? inspected.out.substr(0, inspected.out.size() - 1) : "";
}

}  // namespace

TEST_CASE("images --push: builds and pushes what the registry lacks, never what it holds") {
  RegistryServer registry;
  const ripple::testing::BuildahStore buildah(true);
  TempDir logs;
  const std::string log = logs.path() + "/builds.log";
  GitRepo repo;
  write_repo(repo, registry.host() + "/acme", log);
  repo.commit("base");
  const std::string env = buildah.env(registry.host()) + " RELEASE=v1.0";

  // The first release: every image built and pushed, with the registry's digests.
  auto first = repo.ripple_with_env(env, "images --push --format json");
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  auto pushed = listed(first.out);
  for (const char* name : {"api", "web", "docs"}) {
    INFO(name);
    CHECK(pushed.at(name).status == "built");
    CHECK(pushed.at(name).digest.starts_with("sha256:"));
    CHECK(pushed.at(name).digest == digest_of(pushed.at(name).reference));
  }
  CHECK_THAT(first.err, Catch::Contains("3 of 3 images built and pushed"));
  // The extra tags, beside the content tag: the same image.
  const std::string api = pushed.at("api").reference;
  const std::string repository = api.substr(0, api.rfind(':'));
  CHECK(digest_of(repository + ":latest") == pushed.at("api").digest);
  CHECK(digest_of(repository + ":v1.0") == pushed.at("api").digest);
  const std::string built_once = logs.read("builds.log");
  CHECK(count(built_once, "api\n") == 1);
  CHECK(count(built_once, "docs\n") == 1);

  // Nothing changed: nothing built, not even the builds the images run after.
  auto second = repo.ripple_with_env(env, "images --push --format json");
  INFO(second.err);
  REQUIRE(second.exit_code == 0);
  for (const auto& [name, image] : listed(second.out)) {
    INFO(name);
    CHECK(image.status == "reused");
    CHECK(image.reference == pushed.at(name).reference);
    CHECK(image.digest == pushed.at(name).digest);
  }
  CHECK_THAT(second.err, Catch::Contains("0 of 3 images built and pushed"));
  CHECK_THAT(second.err, !Catch::Contains("Tasks:"));  // no run at all
  CHECK(logs.read("builds.log") == built_once);

  // An edit to api: api and web (which depends on it) rebuilt, docs not.
  repo.write("services/api/app.txt", "api 2\n");
  repo.commit("api 2");
  auto third = repo.ripple_with_env(env, "images --push --format skaffold");
  INFO(third.err);
  REQUIRE(third.exit_code == 0);
  // Only the services whose images are missing are selected (their dependencies' images are
  // found in the registry).
  CHECK_THAT(third.err, Catch::Contains("2 of 3 services (--only)"));
  const nlohmann::json builds = nlohmann::json::parse(third.out)["builds"];
  std::map<std::string, std::string> status;
  for (const auto& b : builds) {
    status[b["service"].get<std::string>()] = b["status"].get<std::string>();
    const std::string tag = b["tag"].get<std::string>();
    // skaffold's form: name:tag@digest, the digest the registry gives.
    const std::string reference = tag.substr(0, tag.find('@'));
    CHECK(tag == reference + "@" + digest_of(reference));
    CHECK(b["imageName"].get<std::string>() == reference.substr(0, reference.rfind(':')));
  }
  CHECK(status ==
        std::map<std::string, std::string>{{"api", "built"}, {"web", "built"}, {"docs", "reused"}});
  CHECK(count(logs.read("builds.log"), "api\n") == 2);
  CHECK(count(logs.read("builds.log"), "docs\n") == 1);
}

TEST_CASE("run image --push: the affected images, skipping those the registry holds") {
  RegistryServer registry;
  const ripple::testing::BuildahStore buildah(true);
  TempDir logs;
  GitRepo repo;
  write_repo(repo, registry.host() + "/acme", logs.path() + "/builds.log");
  repo.commit("base");
  auto all = repo.ripple_with_env(buildah.env(registry.host()), "run image --all --push");
  INFO(all.err);
  REQUIRE(all.exit_code == 0);
  // ${RELEASE} unset: that extra tag left out, said in the log; latest pushed.
  CHECK_THAT(repo.read(".ripple/logs/api/image.log"),
             Catch::Contains("extra tag '${RELEASE}' left out"));
  CHECK_THAT(repo.read(".ripple/logs/api/image.log"), Catch::Contains("ripple: pushed "));
  auto images = listed(repo.ripple("images --format json --check-registry").out);
  CHECK(images.at("docs").status == "reused");

  // An edit and its revert: the edited image built; back at the old bytes, the registry has it.
  repo.write("services/docs/app.txt", "docs 2\n");
  auto edited =
      repo.ripple_with_env(buildah.env(registry.host()), "run image --affected --push --base HEAD");
  INFO(edited.err);
  REQUIRE(edited.exit_code == 0);
  CHECK_THAT(repo.read(".ripple/logs/docs/image.log"), Catch::Contains("ripple: pushed "));
  repo.write("services/docs/app.txt", "docs 1\n");
  auto reverted =
      repo.ripple_with_env(buildah.env(registry.host()), "run image --only docs --push");
  INFO(reverted.err);
  REQUIRE(reverted.exit_code == 0);
  CHECK_THAT(repo.read(".ripple/logs/docs/image.log"),
             Catch::Contains("ripple: the registry has " + images.at("docs").reference + " (" +
                             images.at("docs").digest + "); not rebuilt"));
}

TEST_CASE("images --push: a push that fails is the run's failure, and nothing is listed") {
  RegistryServer registry;
  const ripple::testing::BuildahStore buildah(true);
  TempDir logs;
  GitRepo repo;
  write_repo(repo, registry.host() + "/acme", logs.path() + "/builds.log");
  repo.write("ripple.yaml", "services: [services/*]\nimages:\n  registry: " + registry.host() +
                                "/acme\n  builder: buildah\n  push: \"false {ref}\"\n");
  repo.commit("base");
  auto r = repo.ripple_with_env(buildah.env(registry.host()), "images --push --format json");
  CHECK(r.exit_code == 1);
  CHECK(r.out.empty());
  CHECK_THAT(r.err, Catch::Contains("the push of " + registry.host() + "/acme/"));

  // A builder template cannot be pushed without images.push: exit 2 at the builder's line,
  // before anything is built.
  repo.write("ripple.yaml", "services: [services/*]\nimages:\n  registry: " + registry.host() +
                                "/acme\n  builder: \"true {ref}\"\n");
  auto templated = repo.ripple("images --push");
  CHECK(templated.exit_code == 2);
  CHECK_THAT(templated.err, Catch::Contains("ripple.yaml:4:12: images.builder is a command "
                                            "template") &&
                                Catch::Contains("images.push"));
}
