#include "orchestrator/unowned_manifests.h"

#include <catch2/catch.hpp>

#include "orchestrator/workspace_loader.h"
#include "tests/support/memory_filesystem.h"

using namespace ripple;
using ripple::testing::MemoryFilesystem;

namespace {

const std::vector<std::string> kAllRules = {"compose", "dockerfile", "node",
                                            "go",      "cargo",      "python"};

// The warnings for a workspace with services web (apps/web) and api (services/api) and each of
// `tracked` in the filesystem.
std::vector<std::string> warnings_for(const std::string& ripple_yaml,
                                      const std::vector<std::string>& tracked) {
  MemoryFilesystem fs;
  fs.add_file("/r/ripple.yaml", ripple_yaml);
  fs.add_file("/r/apps/web/service.yaml", "");
  fs.add_file("/r/services/api/service.yaml", "");
  for (const std::string& file : tracked) {
    fs.add_file("/r/" + file, file.ends_with("go.mod") ? "module example.com/m\n" : "{}\n");
  }
  auto loaded = load_workspace(fs, "/r");
  REQUIRE(loaded.has_value());
  std::vector<std::string> out;
  for (const Diagnostic& d :
       unowned_manifest_warnings(fs, "/r", tracked, loaded->workspace, kAllRules)) {
    out.push_back(d.message);
  }
  return out;
}

const char* kServices = "services: [apps/web, services/api]\n";

}  // namespace

TEST_CASE("unowned manifests: a directory with a manifest and no service is named with the fix") {
  auto w = warnings_for(kServices, {"tools/gen/Dockerfile", "tools/gen/package.json"});
  REQUIRE(w.size() == 1);
  CHECK(w[0] ==
        "tools/gen/Dockerfile, tools/gen/package.json: no service owns tools/gen, so its changes "
        "affect nothing; add a service.yaml there (listed under services: in ripple.yaml), or "
        "build it from compose.yaml (build: ./tools/gen), or leave it out with ignore: "
        "[\"tools/gen/**\"]");
  auto pkg = warnings_for(kServices, {"libs/ui/package.json"});
  REQUIRE(pkg.size() == 1);
  CHECK_THAT(pkg[0], Catch::Contains("add 'libs/ui' to the workspaces of the root package.json"));
  auto cargo = warnings_for(kServices, {"crates/x/Cargo.toml"});
  REQUIRE(cargo.size() == 1);
  CHECK_THAT(cargo[0], Catch::Contains("[workspace] members of the root Cargo.toml"));
}

TEST_CASE("unowned manifests: a service owns its directory and everything below it") {
  CHECK(warnings_for(kServices, {"apps/web/Dockerfile", "apps/web/tools/x/package.json",
                                 "services/api/go.mod"})
            .empty());
}

TEST_CASE("unowned manifests: root, node_modules, vendor, testdata and hidden dirs are left out") {
  CHECK(warnings_for(kServices,
                     {"package.json", "Dockerfile", "node_modules/left-pad/package.json",
                      "x/node_modules/y/package.json", "vendor/z/go.mod", "g/testdata/go.mod",
                      ".devcontainer/Dockerfile", "a/.cache/package.json"})
            .empty());
}

TEST_CASE("unowned manifests: ignore globs, services entries and unowned: ignore silence them") {
  CHECK(warnings_for(std::string(kServices) + "ignore: [\"examples/**\"]\n",
                     {"examples/demo/package.json"})
            .empty());
  CHECK(warnings_for("services: [apps/web, services/api, \"tools/*\", \"!tools/old\"]\n",
                     {"tools/old/Dockerfile"})
            .empty());
  CHECK(
      warnings_for(std::string(kServices) + "unowned: ignore\n", {"tools/gen/Dockerfile"}).empty());
}

TEST_CASE("unowned manifests: a tracked file gone from the work tree is not named") {
  MemoryFilesystem fs;
  fs.add_file("/r/ripple.yaml", kServices);
  fs.add_file("/r/apps/web/service.yaml", "");
  fs.add_file("/r/services/api/service.yaml", "");
  auto loaded = load_workspace(fs, "/r");
  REQUIRE(loaded.has_value());
  CHECK(unowned_manifest_warnings(fs, "/r", {"gone/Dockerfile"}, loaded->workspace, kAllRules)
            .empty());
}

TEST_CASE("unowned manifests: past the limit, one warning counts the rest") {
  std::vector<std::string> tracked;
  for (int i = 0; i < 25; ++i) {
    tracked.push_back("tools/t" + std::to_string(10 + i) + "/Dockerfile");
  }
  auto w = warnings_for(kServices, tracked);
  REQUIRE(w.size() == kMaxUnownedWarnings + 1);
  CHECK(w.back() == "... and 5 more directories with a build manifest no service owns");
}
