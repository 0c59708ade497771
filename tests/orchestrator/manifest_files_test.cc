#include "orchestrator/manifest_files.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

using ripple::is_manifest_file;
using ripple::lockfile_companions;

TEST_CASE("manifest files: by name wherever they lie, requirements*.txt by pattern") {
  for (const char* path :
       {"package.json", "apps/web/package.json", "pnpm-lock.yaml", "go.sum",
        "crates/app/Cargo.toml", "uv.lock", "requirements.txt", "svc/requirements-dev.txt",
        "ripple.yaml", "services/api/service.yaml"}) {
    INFO(path);
    CHECK(is_manifest_file(path));
  }
  for (const char* path : {"main.go", "apps/web/index.js", "package.json.bak", "Dockerfile",
                           "requirements.in", "docs/requirements.md", "mypackage.json"}) {
    INFO(path);
    CHECK_FALSE(is_manifest_file(path));
  }
}

TEST_CASE("manifest files: a lockfile's companions are the workspace manifests beside it") {
  auto names = [](std::string_view lockfile) {
    auto span = lockfile_companions(lockfile);
    return std::vector<std::string>(span.begin(), span.end());
  };
  CHECK(names("package-lock.json") == std::vector<std::string>{"package.json"});
  CHECK(names("sub/yarn.lock") == std::vector<std::string>{"package.json"});
  CHECK(names("pnpm-lock.yaml") == std::vector<std::string>{"pnpm-workspace.yaml", "package.json"});
  CHECK(names("Cargo.lock") == std::vector<std::string>{"Cargo.toml"});
  CHECK(names("uv.lock") == std::vector<std::string>{"pyproject.toml"});
  CHECK(names("compose.yaml").empty());
}
