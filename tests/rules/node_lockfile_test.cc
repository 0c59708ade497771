// npm's lockfile read per package: which workspace packages' installed trees a lockfile edit
// changes, on real-shaped lockfileVersion 3 files (hoisted and nested node_modules, workspace
// links, transitive dependencies, root-only dev tools).

#include "rules/node_lockfile.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace ripple;
using namespace ripple::rules;
using Json = nlohmann::json;

namespace {

// ui uses lodash (hoisted); web uses react (→ loose-envify → js-tokens) and ui (a link);
// api uses its own nested lodash 3; the root has prettier only.
Json lockfile() {
  return Json::parse(R"({
  "name": "acme", "lockfileVersion": 3, "requires": true,
  "packages": {
    "": { "name": "acme", "workspaces": ["packages/*", "apps/*"],
          "devDependencies": { "prettier": "^3.0.0" } },
    "apps/api": { "name": "@acme/api", "dependencies": { "lodash": "^3.0.0" } },
    "apps/api/node_modules/lodash": { "version": "3.10.1", "integrity": "sha512-l3" },
    "apps/web": { "name": "@acme/web", "dependencies": { "react": "^18.0.0", "@acme/ui": "*" } },
    "node_modules/@acme/api": { "resolved": "apps/api", "link": true },
    "node_modules/@acme/ui": { "resolved": "packages/ui", "link": true },
    "node_modules/@acme/web": { "resolved": "apps/web", "link": true },
    "node_modules/js-tokens": { "version": "4.0.0", "integrity": "sha512-jt" },
    "node_modules/lodash": { "version": "4.17.20", "integrity": "sha512-l4a" },
    "node_modules/loose-envify": { "version": "1.4.0", "integrity": "sha512-le",
                                   "dependencies": { "js-tokens": "^3.0.0 || ^4.0.0" } },
    "node_modules/prettier": { "version": "3.0.0", "integrity": "sha512-p", "dev": true },
    "node_modules/react": { "version": "18.2.0", "integrity": "sha512-r",
                            "dependencies": { "loose-envify": "^1.1.0" } },
    "packages/ui": { "name": "@acme/ui", "dependencies": { "lodash": "^4.17.0" } }
  }
})");
}

const std::vector<RepoPath> kDirs = {*RepoPath::parse("apps/api"), *RepoPath::parse("apps/web"),
                                     *RepoPath::parse("packages/ui")};

std::vector<std::string> changed(const Json& before, const Json& after) {
  const std::string a = before.dump();
  const std::string b = after.dump();
  auto dirs = npm_lock_changed_packages(std::string_view(a), std::string_view(b), kDirs);
  REQUIRE(dirs.has_value());
  std::vector<std::string> out;
  for (const RepoPath& d : *dirs) {
    out.push_back(d.str());
  }
  return out;
}

}  // namespace

TEST_CASE("npm lockfile: a bump touches the packages that install it, transitively, and no other") {
  const Json base = lockfile();
  CHECK(changed(base, base).empty());

  Json hoisted = base;  // lodash 4 is ui's; api has its own lodash 3
  hoisted["packages"]["node_modules/lodash"]["version"] = "4.17.21";
  hoisted["packages"]["node_modules/lodash"]["integrity"] = "sha512-l4b";
  CHECK(changed(base, hoisted) == std::vector<std::string>{"packages/ui"});

  Json nested = base;
  nested["packages"]["apps/api/node_modules/lodash"]["version"] = "3.10.2";
  CHECK(changed(base, nested) == std::vector<std::string>{"apps/api"});

  Json transitive = base;  // react → loose-envify → js-tokens
  transitive["packages"]["node_modules/js-tokens"]["version"] = "4.0.1";
  CHECK(changed(base, transitive) == std::vector<std::string>{"apps/web"});

  Json root_tool = base;  // prettier belongs to the root only
  root_tool["packages"]["node_modules/prettier"]["version"] = "3.1.0";
  CHECK(changed(base, root_tool).empty());

  Json new_dependency = base;  // web starts using lodash: its tree grows
  new_dependency["packages"]["apps/web"]["dependencies"]["lodash"] = "^4.17.0";
  CHECK(changed(base, new_dependency) == std::vector<std::string>{"apps/web"});
}

TEST_CASE(
    "npm lockfile: a lockfile added or removed touches every package it lists, and npm 6's is not "
    "read") {
  const std::string text = lockfile().dump();
  auto added = npm_lock_changed_packages(std::nullopt, std::string_view(text), kDirs);
  REQUIRE(added.has_value());
  CHECK(added->size() == 3);
  auto removed = npm_lock_changed_packages(std::string_view(text), std::nullopt, kDirs);
  REQUIRE(removed.has_value());
  CHECK(removed->size() == 3);

  const std::string v1 = R"({"lockfileVersion": 1, "dependencies": {"lodash": {"version": "1"}}})";
  CHECK_FALSE(
      npm_lock_changed_packages(std::string_view(v1), std::string_view(text), kDirs).has_value());
  CHECK_FALSE(
      npm_lock_changed_packages(std::string_view("{ not json"), std::string_view(text), kDirs)
          .has_value());
}
