// `ripple images --write` against a real registry (Debian's docker-registry on 127.0.0.1) with
// images built and pushed by buildah: the GitOps files of `deploy:` point at the images the
// registry holds, and only at those; a rerun changes nothing; a bad `deploy:` is exit 2.

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
using ripple::testing::TempDir;

namespace {

const char* const kKustomization =
    "# overlay\n"
    "resources:\n"
    "- deployment.yaml\n"
    "images:\n"
    "- name: cart  # not ours\n"
    "  newTag: \"1.4\"\n";

const char* const kValues =
    "web:\n"
    "  image:\n"
    "    repository: nginx  # replaced\n"
    "    tag: \"1.25\"\n"
    "  replicas: 2\n";

const char* const kDeploy =
    "deploy:\n"
    "  api:\n"
    "    kustomize: deploy/kustomization.yaml\n"
    "    argocd: { app: shop, dir: deploy }\n"
    "  web:\n"
    "    helm: { file: deploy/values.yaml, path: web.image }\n";

// api and web, each FROM scratch, pushed by buildah to `registry`; their GitOps files in deploy/.
void write_repo(const GitRepo& repo, const std::string& registry, const std::string& builder,
                const std::string& deploy) {
  repo.write("ripple.yaml", "services: [services/*]\nimages:\n  registry: " + registry +
                                "\n  builder: " + builder + "\n" + deploy);
  for (const char* name : {"api", "web"}) {
    const std::string dir = std::string("services/") + name;
    repo.write(dir + "/service.yaml", "image: {}\n");
    repo.write(dir + "/Dockerfile", "FROM scratch\nCOPY app.txt /app.txt\n");
    repo.write(dir + "/app.txt", std::string(name) + " 1\n");
  }
  repo.write("deploy/kustomization.yaml", kKustomization);
  repo.write("deploy/values.yaml", kValues);
  repo.write(".gitignore", ".ripple/\n");
}

struct Listed {
  std::string tag, digest;
};

std::map<std::string, Listed> listed(const GitRepo& repo) {
  auto r = repo.ripple("images --check-registry --format json");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  std::map<std::string, Listed> out;
  const nlohmann::json doc = nlohmann::json::parse(r.out);
  for (const auto& image : doc["images"]) {
    out[image["service"].get<std::string>()] =
        Listed{image["tag"].get<std::string>(), image.value("digest", "")};
  }
  return out;
}

}  // namespace

TEST_CASE("images --write: pushed images are written, a rerun changes nothing, absent ones never") {
  const ripple::testing::BuildahStore store;
  RegistryServer registry;
  GitRepo repo;
  const std::string repository = registry.host() + "/acme";
  const std::string builder = "\"" + store.bud() +
                              " --file {dockerfile} --tag {ref} {context} && " + store.command() +
                              " push --quiet --tls-verify=false {ref}\"";
  write_repo(repo, repository, builder, kDeploy);
  repo.commit("base");

  // Nothing pushed yet: nothing may be written.
  auto early = repo.ripple("images --write");
  INFO(early.err);
  REQUIRE(early.exit_code == 0);
  CHECK_THAT(early.err, Catch::Contains("nothing to write"));
  CHECK(repo.read("deploy/kustomization.yaml") == kKustomization);
  CHECK(repo.read("deploy/values.yaml") == kValues);

  auto pushed = repo.ripple("run image --all");
  INFO(pushed.out << pushed.err);
  REQUIRE(pushed.exit_code == 0);
  const auto images = listed(repo);
  const Listed api = images.at("api");
  const Listed web = images.at("web");
  REQUIRE(!api.digest.empty());

  auto written = repo.ripple("images --write");
  INFO(written.err);
  REQUIRE(written.exit_code == 0);
  CHECK_THAT(written.err,
             Catch::Contains("ripple: wrote deploy/kustomization.yaml (api → " + api.tag + ")"));
  CHECK_THAT(written.err,
             Catch::Contains("ripple: wrote deploy/values.yaml (web → " + web.tag + ")"));
  CHECK_THAT(written.err, Catch::Contains("ripple: wrote deploy/.argocd-source-shop.yaml (api → " +
                                          api.tag + ")"));
  // api sorts before cart: the new entry goes first, cart's line (and comment) stays as it was.
  CHECK(repo.read("deploy/kustomization.yaml") ==
        "# overlay\nresources:\n- deployment.yaml\nimages:\n- name: api\n  newName: " + repository +
            "/api\n  newTag: \"" + api.tag + "\"\n  digest: " + api.digest +
            "\n- name: cart  # not ours\n  newTag: \"1.4\"\n");
  CHECK(repo.read("deploy/values.yaml") ==
        "web:\n  image:\n    repository: " + repository + "/web  # replaced\n    tag: \"" +
            web.tag + "\"\n    digest: " + web.digest + "\n  replicas: 2\n");
  CHECK(repo.read("deploy/.argocd-source-shop.yaml") ==
        "kustomize:\n  images:\n  - api=" + repository + "/api:" + api.tag + "@" + api.digest +
            "\n");

  // The same images again: no file changes.
  repo.commit("release");
  auto again = repo.ripple("images --write");
  CHECK(again.exit_code == 0);
  CHECK_THAT(again.err, Catch::Contains("nothing to write"));
  CHECK(repo.git("status --porcelain").empty());

  // web edited and not pushed: its new tag is not in the registry, so nothing points at it.
  repo.write("services/web/app.txt", "web 2\n");
  auto edited = repo.ripple("images --write");
  CHECK(edited.exit_code == 0);
  CHECK_THAT(edited.err, Catch::Contains("nothing to write"));
  CHECK(repo.git("status --porcelain") == " M services/web/app.txt\n");

  // The print-only format: every image's fragment, nothing written.
  auto fragment = repo.ripple("images --format kustomize");
  CHECK(fragment.exit_code == 0);
  CHECK_THAT(fragment.out, Catch::Contains("- name: api\n  newName: " + repository + "/api\n"));
  CHECK(repo.git("status --porcelain") == " M services/web/app.txt\n");

  // The release step in one command: web built and pushed (the builder pushes already, so
  // images.push has nothing left to do), then its new tag and digest written.
  repo.write("ripple.yaml", "services: [services/*]\nimages:\n  registry: " + repository +
                                "\n  builder: " + builder + "\n  push: \"true {ref}\"\n" + kDeploy);
  auto released = repo.ripple("images --push --write --format json");
  INFO(released.err);
  REQUIRE(released.exit_code == 0);
  const nlohmann::json doc = nlohmann::json::parse(released.out);
  std::map<std::string, nlohmann::json> after;
  for (const auto& image : doc["images"]) {
    after[image["service"].get<std::string>()] = image;
  }
  CHECK(after.at("web")["status"] == "built");
  CHECK(after.at("web")["tag"] != web.tag);
  CHECK_THAT(released.err, Catch::Contains("ripple: wrote deploy/values.yaml (web → " +
                                           after.at("web")["tag"].get<std::string>() + ")"));
  CHECK_THAT(repo.read("deploy/values.yaml"),
             Catch::Contains("tag: \"" + after.at("web")["tag"].get<std::string>() +
                             "\"\n    digest: " + after.at("web")["digest"].get<std::string>()));
}

TEST_CASE(
    "images --write: a bad deploy entry is exit 2 at its line, an unreachable registry exit 3") {
  GitRepo repo;
  write_repo(repo, "127.0.0.1:1/acme", "docker",
             "deploy:\n  wbe:\n    helm: { file: x.yaml, path: a }\n");
  repo.commit("base");
  auto unknown = repo.ripple("images --write");
  CHECK(unknown.exit_code == 2);
  CHECK_THAT(unknown.err, Catch::Contains("ripple.yaml:6:3: deploy: unknown service 'wbe' (did "
                                          "you mean 'web'?)"));

  write_repo(repo, "127.0.0.1:1/acme", "docker", "deploy:\n  web:\n    kustomise: k.yaml\n");
  auto key = repo.ripple("images --write");
  CHECK(key.exit_code == 2);
  CHECK_THAT(key.err, Catch::Contains("ripple.yaml:7:5: unknown key 'kustomise' in "
                                      "'deploy.web' (did you mean 'kustomize'?)"));

  write_repo(repo, "127.0.0.1:1/acme", "docker",
             "deploy:\n  web:\n    helm: { file: deploy/values.yaml }\n");
  auto helm = repo.ripple("images --write");
  CHECK(helm.exit_code == 2);
  CHECK_THAT(helm.err, Catch::Contains("ripple.yaml:7:11: 'helm' needs a 'file'"));

  // A registry that cannot answer: exit 3, and no file points anywhere new.
  write_repo(repo, "127.0.0.1:1/acme", "docker", kDeploy);
  auto unreachable = repo.ripple("images --write");
  CHECK(unreachable.exit_code == 3);
  CHECK_THAT(unreachable.err, Catch::Contains("registry 127.0.0.1:1 answered"));
  CHECK(repo.read("deploy/kustomization.yaml") == kKustomization);
  CHECK(repo.read("deploy/values.yaml") == kValues);
}
