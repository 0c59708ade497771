// pnpm's lockfile read per package: which workspace packages' resolved trees a lockfile edit
// changes, on real-shaped pnpm-lock.yaml files of lockfileVersion 9 (importers, packages and
// snapshots, peer suffixes, workspace links) and 6 (packages keyed by /name@version).

#include "rules/pnpm_lockfile.h"

#include <catch2/catch.hpp>

using namespace ripple;
using namespace ripple::rules;

namespace {

const std::vector<RepoPath> kDirs = {*RepoPath::parse(""), *RepoPath::parse("apps/api"),
                                     *RepoPath::parse("apps/web"), *RepoPath::parse("packages/ui")};

// web uses react (→ loose-envify → js-tokens) with a peer suffix, and ui (a link); api uses
// lodash; ui uses lodash too; the root has prettier only.
std::string lock_v9(const std::string& js_tokens = "4.0.0", const std::string& prettier = "3.0.0",
                    const std::string& lodash_integrity = "sha512-l4") {
  return R"(lockfileVersion: '9.0'

settings:
  autoInstallPeers: true
  excludeLinksFromLockfile: false

importers:

  .:
    devDependencies:
      prettier:
        specifier: ^3.0.0
        version: )" +
         prettier + R"(

  apps/api:
    dependencies:
      lodash:
        specifier: ^4.17.0
        version: 4.17.21

  apps/web:
    dependencies:
      '@acme/ui':
        specifier: workspace:*
        version: link:../../packages/ui
      react-dom:
        specifier: ^18.2.0
        version: 18.2.0(react@18.2.0)

  packages/ui:
    dependencies:
      lodash:
        specifier: ^4.17.0
        version: 4.17.21

packages:

  js-tokens@)" +
         js_tokens + R"(:
    resolution: {integrity: sha512-jt)" +
         js_tokens + R"(}

  lodash@4.17.21:
    resolution: {integrity: )" +
         lodash_integrity + R"(}

  loose-envify@1.4.0:
    resolution: {integrity: sha512-le}
    hasBin: true

  prettier@)" +
         prettier + R"(:
    resolution: {integrity: sha512-p)" +
         prettier + R"(}

  react-dom@18.2.0:
    resolution: {integrity: sha512-rd}
    peerDependencies:
      react: ^18.2.0

  react@18.2.0:
    resolution: {integrity: sha512-r}

snapshots:

  js-tokens@)" +
         js_tokens + R"(: {}

  lodash@4.17.21: {}

  loose-envify@1.4.0:
    dependencies:
      js-tokens: )" +
         js_tokens + R"(

  prettier@)" +
         prettier + R"(: {}

  react-dom@18.2.0(react@18.2.0):
    dependencies:
      loose-envify: 1.4.0
      react: 18.2.0

  react@18.2.0:
    dependencies:
      loose-envify: 1.4.0
)";
}

std::vector<std::string> changed(const std::string& before, const std::string& after) {
  auto a = pnpm_lock_trees(before, kDirs);
  auto b = pnpm_lock_trees(after, kDirs);
  REQUIRE(a.has_value());
  REQUIRE(b.has_value());
  std::vector<std::string> out;
  for (const RepoPath& dir : kDirs) {
    if (a->at(dir) != b->at(dir)) {
      out.push_back(dir.str().empty() ? "." : dir.str());
    }
  }
  return out;
}

}  // namespace

TEST_CASE("pnpm lockfile 9: a transitive bump touches the packages that resolve it, and no other") {
  const std::string base = lock_v9();
  CHECK(changed(base, base).empty());
  // js-tokens is reached from web through react-dom (a snapshot with a peer suffix) only.
  CHECK(changed(base, lock_v9("4.0.1")) == std::vector<std::string>{"apps/web"});
  // The root's dev tool: the root only.
  CHECK(changed(base, lock_v9("4.0.0", "3.1.0")) == std::vector<std::string>{"."});
  // The same version with other bytes (a republished tarball): both users of lodash.
  CHECK(changed(base, lock_v9("4.0.0", "3.0.0", "sha512-other")) ==
        std::vector<std::string>{"apps/api", "packages/ui"});
}

TEST_CASE(
    "pnpm lockfile 9: a workspace link counts by its target, and a tree lists what it resolves") {
  auto trees = pnpm_lock_trees(lock_v9(), kDirs);
  REQUIRE(trees.has_value());
  const std::string& web = trees->at(*RepoPath::parse("apps/web"));
  CHECK_THAT(web, Catch::Contains("@acme/ui -> link:../../packages/ui\n"));
  CHECK_THAT(web, Catch::Contains("react-dom react-dom@18.2.0(react@18.2.0) sha512-rd\n"));
  CHECK_THAT(web, Catch::Contains("js-tokens js-tokens@4.0.0 sha512-jt4.0.0\n"));
  // ui's own lodash is not web's: the link is not followed.
  CHECK_THAT(web, !Catch::Contains("lodash"));
  CHECK(trees->at(*RepoPath::parse("packages/ui")) == "lodash lodash@4.17.21 sha512-l4\n");
}

TEST_CASE("pnpm lockfile 6: packages keyed by /name@version, dependencies inline") {
  auto lock = [](const std::string& ms) {
    return R"(lockfileVersion: '6.0'

importers:

  apps/api:
    dependencies:
      debug:
        specifier: ^4.3.0
        version: 4.3.4

  apps/web:
    dependencies:
      react:
        specifier: ^18.2.0
        version: 18.2.0

packages:

  /debug@4.3.4:
    resolution: {integrity: sha512-d}
    dependencies:
      ms: )" +
           ms + R"(
    dev: false

  /ms@)" + ms +
           R"(:
    resolution: {integrity: sha512-ms)" +
           ms + R"(}
    dev: false

  /react@18.2.0:
    resolution: {integrity: sha512-r}
    dev: false
)";
  };
  CHECK(changed(lock("2.1.2"), lock("2.1.3")) == std::vector<std::string>{"apps/api"});
  auto trees = pnpm_lock_trees(lock("2.1.2"), kDirs);
  REQUIRE(trees.has_value());
  CHECK(trees->at(*RepoPath::parse("apps/api")) ==
        "debug /debug@4.3.4 sha512-d\nms /ms@2.1.2 sha512-ms2.1.2\n");
  CHECK(trees->at(*RepoPath::parse("packages/ui")).empty());  // no importer
}

TEST_CASE("pnpm lockfile: text that is not a pnpm lockfile gives nothing") {
  CHECK_FALSE(pnpm_lock_trees("{ not: [yaml", kDirs).has_value());
  CHECK_FALSE(pnpm_lock_trees("lockfileVersion: '9.0'\npackages: {}\n", kDirs).has_value());
  CHECK_FALSE(pnpm_lock_trees("- a list\n", kDirs).has_value());
}
