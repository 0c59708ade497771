// `ripple images --check-registry` against a real registry (Debian's docker-registry on
// 127.0.0.1, started by the test), with images built and pushed by buildah: what the registry
// holds is `reused` (with its digest), the rest `build`; a registry that cannot answer is an
// error naming it, never a silent build or skip; basic auth from the environment.

#include <signal.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "tests/support/buildah_store.h"
#include "tests/support/git_repo.h"
#include "tests/support/loopback_port.h"
#include "tests/support/registry_server.h"

using ripple::testing::free_loopback_port;
using ripple::testing::GitRepo;
using ripple::testing::RegistryOptions;
using ripple::testing::RegistryServer;
using ripple::testing::run_shell;
using ripple::testing::shell_quote;
using ripple::testing::TempDir;

namespace {

// api and web, each FROM scratch; images pushed to `registry` by `builder`.
void write_repo(const GitRepo& repo, const std::string& registry, const std::string& builder) {
  repo.write("ripple.yaml", "services: [services/*]\nimages:\n  registry: " + registry +
                                "\n  builder: " + builder + "\n");
  for (const char* name : {"api", "web"}) {
    const std::string dir = std::string("services/") + name;
    repo.write(dir + "/service.yaml", "image: {}\n");
    repo.write(dir + "/Dockerfile", "FROM scratch\nCOPY app.txt /app.txt\n");
    repo.write(dir + "/app.txt", std::string(name) + " 1\n");
  }
  repo.write(".gitignore", ".ripple/\n");
}

struct Listed {
  std::string status, reference, digest;
};

std::map<std::string, Listed> checked(const GitRepo& repo, const std::string& env = "") {
  auto r = repo.ripple_with_env(env, "images --check-registry --format json");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  std::map<std::string, Listed> out;
  const nlohmann::json doc = nlohmann::json::parse(r.out);
  for (const auto& image : doc["images"]) {
    out[image["service"].get<std::string>()] =
        Listed{image["status"].get<std::string>(), image["reference"].get<std::string>(),
               image.value("digest", "")};
  }
  return out;
}

// tests/servers/bearer_registry/server.py on a free port: a registry that only answers through
// the bearer-token flow. Stopped in the destructor.
class BearerRegistry {
 public:
  explicit BearerRegistry(const std::string& basic = "") {
    for (int attempt = 0; attempt < 5 && pid_ == 0; ++attempt) {
      port_ = free_loopback_port();
      auto started = run_shell(
          "python3 " +
          shell_quote(std::string(RIPPLE_SOURCE_DIR) + "/tests/servers/bearer_registry/server.py") +
          " " + std::to_string(port_) + " " + shell_quote(state_.path()) + " " +
          (basic.empty() ? std::string() : shell_quote(basic)) + " >/dev/null 2>&1 & echo $!");
      pid_ = std::atoi(started.out.c_str());
      for (int i = 0; i < 200 && !ripple::testing::loopback_port_answers(port_); ++i) {
        usleep(25'000);
      }
      if (!ripple::testing::loopback_port_answers(port_)) {
        kill(pid_, SIGKILL);
        pid_ = 0;
      }
    }
    if (pid_ == 0) {
      throw std::runtime_error("the bearer registry did not come up");
    }
  }
  ~BearerRegistry() {
    kill(pid_, SIGTERM);
    ripple::testing::wait_until_stopped(pid_, 10);
  }
  BearerRegistry(const BearerRegistry&) = delete;
  BearerRegistry& operator=(const BearerRegistry&) = delete;
  std::string host() const { return "127.0.0.1:" + std::to_string(port_); }
  // Marks "<repo>:<tag>" as held.
  void hold(const std::string& repo_tag) const { state_.write("present", repo_tag + "\n"); }
  // Every manifest HEAD answers `status` from now on.
  void fail_with(int status) const { state_.write("status", std::to_string(status)); }
  std::string requests() const { return state_.read("requests.log"); }

 private:
  TempDir state_;
  int port_ = 0;
  int pid_ = 0;
};

}  // namespace

TEST_CASE("images --check-registry: the bearer-token flow, with and without credentials") {
  BearerRegistry registry;
  GitRepo repo;
  write_repo(repo, registry.host() + "/acme", "docker");
  repo.commit("base");
  // Hold api's current tag.
  auto listed = repo.ripple("images --format json");
  REQUIRE(listed.exit_code == 0);
  const nlohmann::json doc = nlohmann::json::parse(listed.out);
  registry.hold("acme/api:" + doc["images"][0]["tag"].get<std::string>());
  auto answers = checked(repo);
  CHECK(answers.at("api").status == "reused");
  std::string digest = "sha256:";
  for (int i = 0; i < 32; ++i) {
    digest += "ab";
  }
  CHECK(answers.at("api").digest == digest);
  CHECK(answers.at("web").status == "build");
  // Asked without a token, then for a pull token of the repository, then with it.
  const std::string log = registry.requests();
  CHECK_THAT(log, Catch::Contains("HEAD /v2/acme/api/manifests/"));
  CHECK_THAT(log, Catch::Contains("GET /token?scope=repository%3Aacme%2Fapi%3Apull&service=fake-"
                                  "registry -"));
  CHECK_THAT(log, Catch::Contains(" Bearer\n"));

  // A token service that wants credentials: refused without them, named; given them, answered.
  BearerRegistry private_registry("ci:pw");
  write_repo(repo, private_registry.host() + "/acme", "docker");
  auto refused = repo.ripple("images --check-registry");
  CHECK(refused.exit_code == 3);
  CHECK_THAT(refused.err, Catch::Contains("registry " + private_registry.host() +
                                          ": its token service (http://" + private_registry.host() +
                                          "/token) answered HTTP 401"));
  auto given = checked(repo, "RIPPLE_REGISTRY_USER=ci RIPPLE_REGISTRY_PASSWORD=pw");
  CHECK(given.at("api").status == "build");
  CHECK_THAT(private_registry.requests(), Catch::Contains("GET /token?scope=repository%3Aacme%2Fweb"
                                                          "%3Apull&service=fake-registry Basic"));
}

TEST_CASE("images --check-registry: a registry answering 5xx is exit 3 naming it and the status") {
  BearerRegistry registry;
  registry.fail_with(503);
  GitRepo repo;
  write_repo(repo, registry.host() + "/acme", "docker");
  repo.commit("base");
  for (const char* args : {"images --check-registry", "images --push", "images --write"}) {
    INFO(args);
    auto r = repo.ripple(args);
    CHECK(r.exit_code == 3);
    CHECK_THAT(r.err, Catch::Contains("registry " + registry.host()) && Catch::Contains("503"));
    CHECK(r.out.empty());
  }
  // Nothing was built: the push never started.
  CHECK_FALSE(std::filesystem::exists(repo.path() + "/.ripple/logs/api/image.log"));
}

TEST_CASE("images --check-registry: what the registry holds is reused, the rest built") {
  const ripple::testing::BuildahStore store(true);
  RegistryServer registry;
  GitRepo repo;
  write_repo(repo, registry.host() + "/acme",
             "\"" + store.bud() + " --file {dockerfile} --tag {ref} {context} && " +
                 store.command() + " push --quiet --tls-verify=false {ref}\"");
  repo.commit("base");

  // An empty registry: every image must be built, whether the change touched it or not.
  auto before = checked(repo);
  CHECK(before.at("api").status == "build");
  CHECK(before.at("web").status == "build");
  auto r = repo.ripple("run image --all");
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);

  // Pushed: both reused, with the digest the registry gives.
  auto after = checked(repo);
  CHECK(after.at("api").status == "reused");
  CHECK(after.at("web").status == "reused");
  CHECK(after.at("api").reference == before.at("api").reference);
  auto inspected = run_shell("skopeo inspect --tls-verify=false --format '{{.Digest}}' " +
                             shell_quote("docker://" + after.at("api").reference));
  REQUIRE(inspected.exit_code == 0);
  CHECK(after.at("api").digest + "\n" == inspected.out);
  auto text = repo.ripple("images --check-registry");
  CHECK_THAT(text.out, Catch::Contains("reused     " + after.at("web").reference));
  CHECK_THAT(text.err, Catch::Contains("0 of 2 images to build"));

  // An edit: that image's new tag is not in the registry; the other is still there.
  repo.write("services/web/app.txt", "web 2\n");
  auto edited = checked(repo);
  CHECK(edited.at("web").status == "build");
  CHECK(edited.at("web").reference != after.at("web").reference);
  CHECK(edited.at("api").status == "reused");
  text = repo.ripple("images --check-registry");
  CHECK_THAT(text.out, Catch::Contains("build      " + edited.at("web").reference +
                                       "  changed (services/web/app.txt)"));
}

TEST_CASE("images --check-registry: a registry that cannot answer is exit 3 naming it") {
  GitRepo repo;
  const int closed = free_loopback_port();
  write_repo(repo, "127.0.0.1:" + std::to_string(closed) + "/acme", "docker");
  repo.commit("base");
  auto r = repo.ripple("images --check-registry");
  CHECK(r.exit_code == 3);
  CHECK_THAT(r.err, Catch::Contains("registry 127.0.0.1:" + std::to_string(closed) + " answered"));
  CHECK_THAT(r.err, Catch::Contains("nothing listed"));
  CHECK(r.out.empty());
}

TEST_CASE("images --check-registry: basic auth from RIPPLE_REGISTRY_USER, or a clear refusal") {
  RegistryServer registry(RegistryOptions{"ci", "s3cret"});
  GitRepo repo;
  write_repo(repo, registry.host() + "/acme", "docker");
  repo.commit("base");
  auto r = repo.ripple("images --check-registry");
  CHECK(r.exit_code == 3);
  CHECK_THAT(r.err, Catch::Contains("answered HTTP 401"));
  CHECK_THAT(r.err, Catch::Contains("set RIPPLE_REGISTRY_USER and RIPPLE_REGISTRY_PASSWORD"));
  r = repo.ripple_with_env("RIPPLE_REGISTRY_USER=ci RIPPLE_REGISTRY_PASSWORD=wrong",
                           "images --check-registry");
  CHECK(r.exit_code == 3);
  CHECK_THAT(r.err, Catch::Contains("the credentials were refused"));
  auto ok = checked(repo, "RIPPLE_REGISTRY_USER=ci RIPPLE_REGISTRY_PASSWORD=s3cret");
  CHECK(ok.at("api").status == "build");  // an empty registry, asked with the right password
  // The Docker config's `auths`, as `docker login` writes it.
  TempDir home;
  home.write(".docker/config.json",
             R"({"auths": {")" + registry.host() + R"(": {"auth": "Y2k6czNjcmV0"}}})");
  CHECK(checked(repo, "HOME=" + home.path()).at("web").status == "build");
}
