#include "orchestrator/images/gitops_write.h"

#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <sstream>

#include "orchestrator/images/yaml_edit.h"
#include "tests/support/process.h"
#include "tests/support/skip.h"

namespace ripple {
namespace {

const std::string kFixtures = std::string(RIPPLE_FIXTURES_DIR) + "/gitops/";
const std::string kDigest = "sha256:" + std::string(64, 'a');

std::string fixture(const std::string& rel) {
  std::ifstream in(kFixtures + rel, std::ios::binary);
  REQUIRE(in);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

graph::ServiceDeploy deploy_of(const std::string& service) {
  return graph::ServiceDeploy{{service, SourcePos{"ripple.yaml", 7, 3}}, {}, {}, {}};
}

ImageUpdate update(const std::string& service, const std::string& tag, const std::string& digest) {
  return ImageUpdate{service, service, "registry.example.com/shop/" + service, tag, digest};
}

// A workspace of files in memory.
struct Files {
  std::map<std::string, std::string> files;
  FileReader reader() const {
    return [this](const std::string& path) -> std::optional<std::string> {
      auto it = files.find(path);
      return it == files.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
  }
  void apply(const std::vector<FileChange>& changes) {
    for (const FileChange& c : changes) {
      files[c.path] = c.new_text;
    }
  }
};

graph::DeployConfig kustomize_deploy() {
  graph::DeployConfig deploy;
  for (const char* service : {"checkout", "payments", "web"}) {
    deploy.push_back(deploy_of(service));
    deploy.back().kustomize =
        graph::KustomizeTarget{"deploy/kustomization.yaml", std::nullopt, SourcePos{}};
  }
  return deploy;
}

const std::vector<ImageUpdate> kUpdates = {
    update("checkout", "r-0123456789abcdef01234567", kDigest),
    update("payments", "r-00000000000000000000000a", kDigest),
    update("web", "r-fedcba9876543210fedcba98", ""),
};

}  // namespace

TEST_CASE("kustomize: changed entries are updated, a missing one added in order, the rest kept") {
  Files files;
  files.files["deploy/kustomization.yaml"] = fixture("kustomize/before.yaml");
  auto changes = plan_gitops_changes(kustomize_deploy(), kUpdates, files.reader());
  REQUIRE(changes);
  REQUIRE(changes->size() == 1);
  CHECK(changes->front().path == "deploy/kustomization.yaml");
  CHECK(changes->front().old_text == fixture("kustomize/before.yaml"));
  CHECK(changes->front().new_text == fixture("kustomize/after.yaml"));
  CHECK(changes->front().services == std::vector<std::string>{"checkout", "payments", "web"});

  files.apply(*changes);
  auto again = plan_gitops_changes(kustomize_deploy(), kUpdates, files.reader());
  REQUIRE(again);
  CHECK(again->empty());
}

TEST_CASE("kustomize: an entry already at the new tag and digest leaves the file unchanged") {
  Files files;
  files.files["deploy/kustomization.yaml"] = fixture("kustomize/after.yaml");
  auto changes = plan_gitops_changes(kustomize_deploy(), kUpdates, files.reader());
  REQUIRE(changes);
  CHECK(changes->empty());
}

TEST_CASE("kustomize: `name` in deploy matches the entry the manifests use") {
  graph::DeployConfig deploy = {deploy_of("checkout")};
  deploy[0].kustomize = graph::KustomizeTarget{"k.yaml", "shop-checkout", SourcePos{}};
  Files files;
  files.files["k.yaml"] = "images:\n- name: checkout\n  newTag: keep\n";
  auto changes = plan_gitops_changes(deploy, {kUpdates[0]}, files.reader());
  REQUIRE(changes);
  REQUIRE(changes->size() == 1);
  CHECK(changes->front().new_text ==
        "images:\n- name: checkout\n  newTag: keep\n"
        "- name: shop-checkout\n  newName: registry.example.com/shop/checkout\n"
        "  newTag: \"r-0123456789abcdef01234567\"\n  digest: " +
            kDigest + "\n");
}

TEST_CASE("kustomize: a kustomization without images gets the list at its end") {
  graph::DeployConfig deploy = {deploy_of("web")};
  deploy[0].kustomize = graph::KustomizeTarget{"k.yaml", std::nullopt, SourcePos{}};
  Files files;
  files.files["k.yaml"] = "resources:\n- a.yaml";  // no final newline
  auto changes = plan_gitops_changes(deploy, {kUpdates[2]}, files.reader());
  REQUIRE(changes);
  REQUIRE(changes->size() == 1);
  CHECK(changes->front().new_text ==
        "resources:\n- a.yaml\nimages:\n- name: web\n  newName: registry.example.com/shop/web\n"
        "  newTag: \"r-fedcba9876543210fedcba98\"\n");
}

TEST_CASE("kustomize: `images: []` becomes a block list") {
  graph::DeployConfig deploy = {deploy_of("web")};
  deploy[0].kustomize = graph::KustomizeTarget{"k.yaml", std::nullopt, SourcePos{}};
  Files files;
  files.files["k.yaml"] = "images: []\nresources:\n- a.yaml\n";
  auto changes = plan_gitops_changes(deploy, {kUpdates[2]}, files.reader());
  REQUIRE(changes);
  REQUIRE(changes->size() == 1);
  CHECK(changes->front().new_text ==
        "images:\n- name: web\n  newName: registry.example.com/shop/web\n"
        "  newTag: \"r-fedcba9876543210fedcba98\"\nresources:\n- a.yaml\n");
}

TEST_CASE("kustomize: a missing kustomization is an input error at its deploy line") {
  graph::DeployConfig deploy = {deploy_of("web")};
  deploy[0].kustomize =
      graph::KustomizeTarget{"deploy/k.yaml", std::nullopt, SourcePos{"ripple.yaml", 9, 5}};
  auto changes = plan_gitops_changes(deploy, {kUpdates[2]}, Files{}.reader());
  REQUIRE(!changes);
  CHECK(changes.error().kind == ErrorKind::input);
  CHECK(changes.error().message ==
        "ripple.yaml:9:5: kustomization file 'deploy/k.yaml' does not exist; create it or fix "
        "the path in `deploy:`");
}

TEST_CASE("a target file that is not YAML is an input error naming the file and line") {
  graph::DeployConfig deploy = {deploy_of("web")};
  deploy[0].helm = graph::HelmTarget{"values.yaml", {"web", "image"}, SourcePos{}};
  Files files;
  files.files["values.yaml"] = "web:\n  image: [unclosed\n";
  auto changes = plan_gitops_changes(deploy, {kUpdates[2]}, files.reader());
  REQUIRE(!changes);
  CHECK(changes.error().kind == ErrorKind::input);
  CHECK(changes.error().message.rfind("values.yaml:", 0) == 0);
  CHECK(changes.error().message.find("not valid YAML") != std::string::npos);
}

TEST_CASE("a flow mapping on the path is an input error asking for block style") {
  graph::DeployConfig deploy = {deploy_of("web")};
  deploy[0].helm = graph::HelmTarget{"values.yaml", {"web", "image"}, SourcePos{}};
  Files files;
  files.files["values.yaml"] = "web:\n  image: {repository: nginx, tag: \"1\"}\n";
  auto changes = plan_gitops_changes(deploy, {kUpdates[2]}, files.reader());
  REQUIRE(!changes);
  CHECK(changes.error().message ==
        "values.yaml:2:10: 'image' must be a block mapping (one 'key: value' per line) so that "
        "ripple can update it");
}

TEST_CASE("helm: repository, quoted tag and digest at the path, comments and the rest kept") {
  graph::DeployConfig deploy;
  for (const char* service : {"checkout", "payments", "web"}) {
    deploy.push_back(deploy_of(service));
    deploy.back().helm =
        graph::HelmTarget{"deploy/values-prod.yaml", {service, "image"}, SourcePos{}};
  }
  Files files;
  files.files["deploy/values-prod.yaml"] = fixture("helm/before.yaml");
  auto changes = plan_gitops_changes(deploy, kUpdates, files.reader());
  REQUIRE(changes);
  REQUIRE(changes->size() == 1);
  CHECK(changes->front().new_text == fixture("helm/after.yaml"));

  files.apply(*changes);
  auto again = plan_gitops_changes(deploy, kUpdates, files.reader());
  REQUIRE(again);
  CHECK(again->empty());
}

TEST_CASE("argocd: the override file gets sorted kustomize.images entries, others kept") {
  graph::DeployConfig deploy;
  for (const char* service : {"web", "checkout"}) {
    deploy.push_back(deploy_of(service));
    deploy.back().argocd = graph::ArgoCdTarget{"shop", "deploy/apps", SourcePos{}};
  }
  Files files;
  files.files["deploy/apps/.argocd-source-shop.yaml"] = fixture("argocd/before.yaml");
  auto changes = plan_gitops_changes(deploy, kUpdates, files.reader());
  REQUIRE(changes);
  REQUIRE(changes->size() == 1);
  CHECK(changes->front().path == "deploy/apps/.argocd-source-shop.yaml");
  CHECK(changes->front().new_text == fixture("argocd/after.yaml"));

  files.apply(*changes);
  auto again = plan_gitops_changes(deploy, kUpdates, files.reader());
  REQUIRE(again);
  CHECK(again->empty());
}

TEST_CASE("argocd: a missing override file is created") {
  graph::DeployConfig deploy = {deploy_of("checkout")};
  deploy[0].argocd = graph::ArgoCdTarget{"shop-checkout", ".", SourcePos{}};
  auto changes = plan_gitops_changes(deploy, {kUpdates[0]}, Files{}.reader());
  REQUIRE(changes);
  REQUIRE(changes->size() == 1);
  CHECK(changes->front().path == ".argocd-source-shop-checkout.yaml");
  CHECK(changes->front().old_text.empty());
  CHECK(changes->front().new_text ==
        "kustomize:\n  images:\n  - checkout=registry.example.com/shop/checkout:"
        "r-0123456789abcdef01234567@" +
            kDigest + "\n");
}

TEST_CASE("services without a deploy entry and writers not asked for change nothing") {
  graph::DeployConfig deploy = kustomize_deploy();
  Files files;
  files.files["deploy/kustomization.yaml"] = fixture("kustomize/before.yaml");
  auto helm_only = plan_gitops_changes(deploy, kUpdates, files.reader(), {GitOpsKind::helm});
  REQUIRE(helm_only);
  CHECK(helm_only->empty());
  auto other = plan_gitops_changes(deploy, {update("search", "r-1", "")}, files.reader());
  REQUIRE(other);
  CHECK(other->empty());
}

TEST_CASE("fragments: each writer's YAML for every image, from nothing") {
  auto kustomize = gitops_fragment(GitOpsKind::kustomize, {}, {kUpdates[2]});
  REQUIRE(kustomize);
  CHECK(*kustomize ==
        "images:\n- name: web\n  newName: registry.example.com/shop/web\n"
        "  newTag: \"r-fedcba9876543210fedcba98\"\n");
  auto helm = gitops_fragment(GitOpsKind::helm, {}, {kUpdates[2]});
  REQUIRE(helm);
  CHECK(*helm ==
        "web:\n  image:\n    repository: registry.example.com/shop/web\n"
        "    tag: \"r-fedcba9876543210fedcba98\"\n");
  auto argocd = gitops_fragment(GitOpsKind::argocd, {}, {kUpdates[2]});
  REQUIRE(argocd);
  CHECK(
      *argocd ==
      "kustomize:\n  images:\n  - web=registry.example.com/shop/web:r-fedcba9876543210fedcba98\n");
}

TEST_CASE("deploy entries must name services with images") {
  graph::DeployConfig deploy = {deploy_of("chekout")};
  auto unknown = check_deploy_services(deploy, {"checkout", "web", "docs"}, {"checkout", "web"});
  REQUIRE(!unknown);
  CHECK(unknown.error().message ==
        "ripple.yaml:7:3: deploy: unknown service 'chekout' (did you mean 'checkout'?); use a "
        "service name from `ripple graph`");
  deploy = {deploy_of("docs")};
  auto no_image = check_deploy_services(deploy, {"checkout", "web", "docs"}, {"checkout", "web"});
  REQUIRE(!no_image);
  CHECK(no_image.error().message.find("service 'docs' has no image") != std::string::npos);
  deploy = {deploy_of("web")};
  CHECK(check_deploy_services(deploy, {"checkout", "web", "docs"}, {"checkout", "web"}));
}

TEST_CASE("tags are quoted, names and digests plain only when YAML reads them back as strings") {
  CHECK(yaml_scalar("r-0123", true) == "\"r-0123\"");
  CHECK(yaml_scalar("localhost:5000/shop/web", false) == "localhost:5000/shop/web");
  CHECK(yaml_scalar("1234", false) == "\"1234\"");
  CHECK(yaml_scalar("true", false) == "\"true\"");
  CHECK(yaml_scalar("a b", false) == "\"a b\"");
  CHECK(yaml_entry_name("web=reg/web:r-1@sha256:ab") == "web");
  CHECK(yaml_entry_name("localhost:5000/web:1.2") == "localhost:5000/web");
  CHECK(yaml_entry_name("nginx@sha256:ab") == "nginx");
}

TEST_CASE("kubectl kustomize renders the written kustomization with the new images") {
  if (testing::run_shell("command -v kubectl").exit_code != 0) {
    RIPPLE_SKIP("kubectl is not installed (scripts/setup.sh installs kubernetes-client)");
  }
  testing::TempDir dir;
  dir.write("deployment.yaml", fixture("kustomize/deployment.yaml"));
  Files files;
  files.files["kustomization.yaml"] = fixture("kustomize/before.yaml");
  graph::DeployConfig deploy = kustomize_deploy();
  for (graph::ServiceDeploy& d : deploy) {
    d.kustomize->file = "kustomization.yaml";
  }
  auto changes = plan_gitops_changes(deploy, kUpdates, files.reader());
  REQUIRE(changes);
  REQUIRE(apply_file_changes(dir.path(), *changes));
  const testing::CommandResult rendered =
      testing::run_shell("kubectl kustomize " + testing::shell_quote(dir.path()));
  INFO(rendered.err);
  REQUIRE(rendered.exit_code == 0);
  // Pinned to the digest: kustomize 5 writes `name:tag@digest`, the kustomize 2 in Debian 12's
  // kubectl 1.20 `name@digest` (the digest wins over the tag either way).
  auto pinned = [&](const std::string& repository, const std::string& tag) {
    return rendered.out.find("image: " + repository + ":" + tag + "@" + kDigest) !=
               std::string::npos ||
           rendered.out.find("image: " + repository + "@" + kDigest) != std::string::npos;
  };
  CHECK(pinned("registry.example.com/shop/checkout", "r-0123456789abcdef01234567"));
  CHECK(pinned("registry.example.com/shop/payments", "r-00000000000000000000000a"));
  CHECK_FALSE(pinned("registry.example.com/shop/web", "r-fedcba9876543210fedcba98"));
  CHECK(rendered.out.find("image: registry.example.com/shop/web:r-fedcba9876543210fedcba98\n") !=
        std::string::npos);
  CHECK(rendered.out.find("image: cart:1.4\n") != std::string::npos);
}

}  // namespace ripple

namespace ripple {

TEST_CASE("non-ASCII text before the edited entries keeps the edits in place") {
  graph::DeployConfig deploy = {deploy_of("web")};
  deploy[0].helm = graph::HelmTarget{"values.yaml", {"web", "image"}, SourcePos{}};
  Files files;
  files.files["values.yaml"] =
      "# Café → prod, 日本\nweb:\n  image:\n    repository: nginx  # é\n    tag: \"1\"\n";
  auto changes = plan_gitops_changes(deploy, {kUpdates[2]}, files.reader());
  REQUIRE(changes);
  REQUIRE(changes->size() == 1);
  CHECK(changes->front().new_text ==
        "# Café → prod, 日本\nweb:\n  image:\n    repository: registry.example.com/shop/web  # "
        "é\n    tag: \"r-fedcba9876543210fedcba98\"\n");
}

TEST_CASE("an unsorted images list gets a new entry at its end") {
  graph::DeployConfig deploy = {deploy_of("checkout")};
  deploy[0].kustomize = graph::KustomizeTarget{"k.yaml", std::nullopt, SourcePos{}};
  Files files;
  files.files["k.yaml"] =
      "images:\n  - name: web\n    newTag: \"1\"\n  - name: api\n    newTag: \"2\"\nresources: "
      "[]\n";
  auto changes = plan_gitops_changes(deploy, {kUpdates[0]}, files.reader());
  REQUIRE(changes);
  REQUIRE(changes->size() == 1);
  CHECK(changes->front().new_text ==
        "images:\n  - name: web\n    newTag: \"1\"\n  - name: api\n    newTag: \"2\"\n"
        "  - name: checkout\n    newName: registry.example.com/shop/checkout\n"
        "    newTag: \"r-0123456789abcdef01234567\"\n    digest: " +
            kDigest + "\nresources: []\n");
}

}  // namespace ripple
