// The node rule on real-shaped package.json and pnpm-workspace.yaml files: which globs make the
// workspace, each package's name and edges with the line that says them, and clear errors.

#include "rules/node_workspaces.h"

#include <catch2/catch.hpp>

#include "rules/inferred_codec.h"

using namespace ripple;
using namespace ripple::rules;

namespace {

std::vector<std::string> glob_texts(const PackageGlobs& globs) {
  std::vector<std::string> out;
  for (const auto& g : globs.globs) {
    out.push_back(g.value);
  }
  return out;
}

std::vector<std::string> targets(const InferredService& s) {
  std::vector<std::string> out;
  for (const auto& e : s.edges) {
    out.push_back(e.target);
  }
  return out;
}

}  // namespace

TEST_CASE(
    "node rule: npm and yarn workspaces come from the root package.json, pnpm's from its yaml") {
  auto npm = node_package_globs(
      R"({
  "name": "root",
  "private": true,
  "workspaces": ["./packages/*", "apps/*/", "!packages/legacy"]
}
)",
      std::nullopt);
  REQUIRE(npm.has_value());
  REQUIRE(npm->has_value());
  CHECK(glob_texts(**npm) == std::vector<std::string>{"packages/*", "apps/*", "!packages/legacy"});
  CHECK(format_pos((**npm).globs[1].pos) == "package.json:4:34");

  auto yarn = node_package_globs(
      R"({"workspaces": {"packages": ["libs/**"], "nohoist": ["**/x"]}})", std::nullopt);
  REQUIRE(yarn.has_value());
  REQUIRE(yarn->has_value());
  CHECK(glob_texts(**yarn) == std::vector<std::string>{"libs/**"});

  // pnpm reads only its yaml, whatever package.json says.
  auto pnpm = node_package_globs(std::string(R"({"workspaces": ["ignored/*"]})"),
                                 std::string("packages:\n  - 'packages/*'\n  - '!**/test/**'\n"));
  REQUIRE(pnpm.has_value());
  REQUIRE(pnpm->has_value());
  CHECK(glob_texts(**pnpm) == std::vector<std::string>{"packages/*", "!**/test/**"});
  CHECK(format_pos((**pnpm).globs[0].pos) == "pnpm-workspace.yaml:2:5");

  auto none = node_package_globs(std::string(R"({"name": "app"})"), std::nullopt);
  REQUIRE(none.has_value());
  CHECK_FALSE(none->has_value());
}

TEST_CASE("node rule: a package is a service named by its package name, scoped names included") {
  const std::string text = R"({
  "name": "@acme/web",
  "version": "1.0.0",
  "dependencies": {
    "@acme/ui": "workspace:*",
    "react": "^18.2.0"
  },
  "devDependencies": { "@acme/config": "^1.0.0" },
  "peerDependencies": { "@acme/theme": "*" },
  "optionalDependencies": { "@acme/native": "1.0.0" }
}
)";
  auto pkg = node_package(text, "apps/web/package.json", *RepoPath::parse("apps/web"));
  REQUIRE(pkg.has_value());
  REQUIRE(pkg->has_value());
  const InferredService& s = **pkg;
  CHECK(s.name == "@acme/web");
  CHECK(s.dir.str() == "apps/web");
  CHECK(s.from.rule == "node");
  CHECK(format_pos(s.from.pos) == "apps/web/package.json:2:3");
  CHECK(targets(s) == std::vector<std::string>{"@acme/ui", "react", "@acme/config", "@acme/theme",
                                               "@acme/native"});
  CHECK(format_pos(s.edges[0].from.pos) == "apps/web/package.json:5:5");
  CHECK(format_pos(s.edges[2].from.pos) == "apps/web/package.json:8:24");
}

TEST_CASE("node rule: aliases and remote specs are no edges, a nameless package is no service") {
  auto pkg = node_package(
      R"({"name": "a", "dependencies": {"b": "npm:other@1", "c": "git+https://x/c.git",
          "d": "github:o/d", "e": "https://x/e.tgz", "f": "file:../f", "g": "~1.2"}})",
      "a/package.json", *RepoPath::parse("a"));
  REQUIRE(pkg.has_value());
  REQUIRE(pkg->has_value());
  CHECK(targets(**pkg) == std::vector<std::string>{"f", "g"});

  auto nameless =
      node_package(R"({"private": true})", "tools/package.json", *RepoPath::parse("tools"));
  REQUIRE(nameless.has_value());
  CHECK_FALSE(nameless->has_value());
}

TEST_CASE("node rule: files that do not parse are errors at file:line:col with the fix") {
  auto broken = node_package("{\n  \"name\": \"a\",\n  \"dependencies\": {,}\n}\n",
                             "a/package.json", *RepoPath::parse("a"));
  REQUIRE_FALSE(broken.has_value());
  CHECK(broken.error().kind == ErrorKind::input);
  CHECK_THAT(broken.error().message, Catch::StartsWith("a/package.json:3:20: not valid JSON"));
  CHECK_THAT(broken.error().message, Catch::Contains("'discover:'"));

  auto bad_name = node_package(R"({"name": 3})", "b/package.json", *RepoPath::parse("b"));
  REQUIRE_FALSE(bad_name.has_value());
  CHECK_THAT(bad_name.error().message, Catch::StartsWith("b/package.json:1:2: 'name' must be"));

  auto bad_service_name =
      node_package(R"({"name": "my app"})", "d/package.json", *RepoPath::parse("d"));
  REQUIRE_FALSE(bad_service_name.has_value());
  CHECK_THAT(bad_service_name.error().message,
             Catch::StartsWith("d/package.json:1:2: a workspace package's name is its service's "
                               "name: service name 'my app' must be"));

  auto bad_deps = node_package("{\"name\": \"c\",\n \"dependencies\": [\"x\"]}", "c/package.json",
                               *RepoPath::parse("c"));
  REQUIRE_FALSE(bad_deps.has_value());
  CHECK_THAT(bad_deps.error().message, Catch::StartsWith("c/package.json:2:2: 'dependencies'"));

  auto bad_yaml = node_package_globs(std::nullopt, std::string("packages: [a\n"));
  REQUIRE_FALSE(bad_yaml.has_value());
  CHECK_THAT(bad_yaml.error().message, Catch::StartsWith("pnpm-workspace.yaml:"));

  auto bad_list = node_package_globs(std::string(R"({"workspaces": "packages/*"})"), std::nullopt);
  REQUIRE_FALSE(bad_list.has_value());
  CHECK_THAT(bad_list.error().message,
             Catch::StartsWith("package.json:1:2: 'workspaces' must be a list"));
}

TEST_CASE("inferred codec: what a manifest gave round-trips, and other bytes decode to nothing") {
  auto pkg = node_package(R"({"name": "@a/b", "dependencies": {"@a/c": "1", "d": "2"}})",
                          "x/package.json", *RepoPath::parse("x"));
  REQUIRE(pkg.has_value());
  const std::string bytes = encode_inferred(*pkg);
  auto back = decode_inferred(bytes, "x/package.json", *RepoPath::parse("x"));
  REQUIRE(back.has_value());
  REQUIRE(back->has_value());
  CHECK((*back)->name == "@a/b");
  CHECK((*back)->dir.str() == "x");
  CHECK(format_pos((*back)->from.pos) == format_pos((**pkg).from.pos));
  CHECK(targets(**back) == std::vector<std::string>{"@a/c", "d"});
  CHECK(format_pos((*back)->edges[1].from.pos) == format_pos((**pkg).edges[1].from.pos));
  CHECK((*back)->edges[1].from.rule == "node");

  auto nothing = decode_inferred(encode_inferred(std::nullopt), "y/package.json", RepoPath());
  REQUIRE(nothing.has_value());
  CHECK_FALSE(nothing->has_value());

  for (std::size_t cut = 0; cut < bytes.size(); ++cut) {
    INFO(cut);
    CHECK_FALSE(decode_inferred(bytes.substr(0, cut), "x/package.json", RepoPath()).has_value());
  }
  CHECK_FALSE(decode_inferred(bytes + "x", "x/package.json", RepoPath()).has_value());
  CHECK_FALSE(
      decode_inferred("inferred-0" + bytes.substr(10), "x/package.json", RepoPath()).has_value());
}
