// Zero-config end to end for the TOML rules (docs/inference.md): real git repositories with no
// ripple.yaml and no service.yaml, only a Cargo workspace or a uv workspace. `affected` finds
// the crates and projects, names them as Cargo and uv do, and follows their local dependencies;
// `graph --explain` points at the Cargo.toml lines that made them.

#include <catch2/catch.hpp>

#include "tests/support/git_repo.h"

using ripple::testing::GitRepo;

namespace {

// A Cargo workspace: core ← api (a path dependency), api ← cli (`workspace = true`, through a
// `[workspace.dependencies]` entry that renames: key `api`, crate `acme-api`), and crates/legacy
// left out by `exclude`.
void write_cargo_workspace(const GitRepo& repo) {
  repo.write("Cargo.toml", R"([workspace]
resolver = "2"
members = ["crates/*"]
exclude = ["crates/legacy"]

[workspace.dependencies]
api = { path = "crates/api", package = "acme-api" }
serde = "1.0"
)");
  repo.write("crates/core/Cargo.toml", R"([package]
name = "acme-core"
version = "0.1.0"
edition = "2021"
)");
  repo.write("crates/core/src/lib.rs", "pub fn core() -> u32 { 1 }\n");
  repo.write("crates/api/Cargo.toml", R"([package]
name = "acme-api"
version = "0.1.0"
edition = "2021"

[dependencies]
acme-core = { path = "../core" }
serde = { workspace = true }
)");
  repo.write("crates/api/src/lib.rs", "pub fn api() -> u32 { acme_core::core() }\n");
  repo.write("crates/cli/Cargo.toml", R"([package]
name = "acme-cli"
version = "0.1.0"
edition = "2021"

[dependencies]
api = { workspace = true }
)");
  repo.write("crates/cli/src/main.rs", "fn main() {}\n");
  repo.write("crates/legacy/Cargo.toml", "[package]\nname = \"legacy\"\nversion = \"0.1.0\"\n");
  repo.write("crates/legacy/src/lib.rs", "\n");
  repo.write(".gitignore", ".ripple/\ntarget/\n");
}

std::string affected(const GitRepo& repo, const std::string& args = "") {
  auto r = repo.ripple("affected --base main " + args);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return r.out;
}

}  // namespace

TEST_CASE(
    "inference toml: with no ripple config, a Cargo workspace crate's change affects it and the "
    "crates depending on it") {
  GitRepo repo;
  write_cargo_workspace(repo);
  repo.commit("base");
  repo.git("checkout -q -b feature");
  repo.write("crates/core/src/lib.rs", "pub fn core() -> u32 { 2 }\n");
  repo.commit("change core");
  CHECK(affected(repo) == "acme-core\nacme-api\nacme-cli\n");
  CHECK(affected(repo, "--explain") ==
        "acme-core: changed (crates/core/src/lib.rs)\n"
        "acme-api: dependency \u2192 acme-core (crates/core/src/lib.rs changed)\n"
        "acme-cli: dependency \u2192 acme-api \u2192 acme-core (crates/core/src/lib.rs "
        "changed)\n");

  repo.git("checkout -q main");
  repo.git("checkout -q -b leaf");
  repo.write("crates/cli/src/main.rs", "fn main() { println!(); }\n");
  repo.write("crates/legacy/src/lib.rs", "// excluded: no service\n");
  repo.commit("change cli and legacy");
  CHECK(affected(repo) == "acme-cli\n");
}

TEST_CASE("inference toml: graph --explain shows each crate and edge with its Cargo.toml line") {
  GitRepo repo;
  write_cargo_workspace(repo);
  repo.commit("base");
  auto r = repo.ripple("graph --explain");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out ==
        "acme-core  crates/core  (crates/core/Cargo.toml:2:1)\n"
        "acme-api  crates/api  (crates/api/Cargo.toml:2:1)\n"
        "  -> acme-core  (crates/api/Cargo.toml:7:1)\n"
        "acme-cli  crates/cli  (crates/cli/Cargo.toml:2:1)\n"
        "  -> acme-api  (crates/cli/Cargo.toml:7:1)\n");
}

TEST_CASE(
    "inference toml: a member glob matching no crate and a member without a name are warnings") {
  GitRepo repo;
  repo.write("Cargo.toml", "[workspace]\nmembers = [\n  \"crates/*\",\n  \"tools/*\",\n]\n");
  repo.write("crates/a/Cargo.toml", "[package]\nname = \"a\"\n");
  repo.write("crates/nested/Cargo.toml", "[workspace]\n");
  repo.write(".gitignore", ".ripple/\n");
  repo.commit("base");
  auto r = repo.ripple("graph");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out == "a\n");
  CHECK_THAT(r.err, Catch::Contains("Cargo.toml:4:3: workspace member 'tools/*' matches no "
                                    "directory with a Cargo.toml"));
  CHECK_THAT(r.err, Catch::Contains("crates/nested/Cargo.toml: a workspace member without a name "
                                    "is not a service"));
}

TEST_CASE("inference toml: a Cargo.toml that is not TOML is exit 2 naming file:line:col") {
  GitRepo repo;
  write_cargo_workspace(repo);
  repo.commit("base");
  repo.write("crates/api/Cargo.toml", "[package]\nname = \"acme-api\"\n[dependencies\n");
  auto r = repo.ripple("affected --base main");
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::StartsWith("ripple: error: crates/api/Cargo.toml:3:"));
  CHECK_THAT(r.err, Catch::Contains("not valid TOML"));
}

TEST_CASE(
    "inference toml: with no ripple config, a uv workspace project's change affects it and its "
    "dependents") {
  GitRepo repo;
  repo.write("pyproject.toml", R"([tool.uv.workspace]
members = ["packages/*", "apps/*"]
exclude = ["apps/scratch"]
)");
  repo.write("packages/core/pyproject.toml", R"([project]
name = "Acme_Core"
version = "0.1.0"
dependencies = ["pydantic>=2"]
)");
  repo.write("packages/core/src/acme_core/__init__.py", "VALUE = 1\n");
  repo.write("apps/api/pyproject.toml", R"([project]
name = "acme-api"
version = "0.1.0"
dependencies = ["acme-core", "fastapi"]

[tool.uv.sources]
acme-core = { workspace = true }
)");
  repo.write("apps/api/src/acme_api/main.py", "import acme_core\n");
  repo.write("apps/scratch/pyproject.toml", "[project]\nname = \"scratch\"\n");
  repo.write(".gitignore", ".ripple/\n");
  repo.commit("base");
  repo.git("checkout -q -b feature");
  repo.write("packages/core/src/acme_core/__init__.py", "VALUE = 2\n");
  repo.commit("change core");
  CHECK(
      affected(repo, "--explain") ==
      "acme-core: changed (packages/core/src/acme_core/__init__.py)\n"
      "acme-api: dependency \u2192 acme-core (packages/core/src/acme_core/__init__.py changed)\n");

  repo.git("checkout -q main");
  repo.git("checkout -q -b leaf");
  repo.write("apps/api/src/acme_api/main.py", "import acme_core  # changed\n");
  repo.write("apps/scratch/notes.py", "# excluded: no service\n");
  repo.commit("change api");
  CHECK(affected(repo) == "acme-api\n");
  auto graph = repo.ripple("graph --explain");
  INFO(graph.err);
  CHECK(graph.out ==
        "acme-core  packages/core  (packages/core/pyproject.toml:2:1)\n"
        "acme-api  apps/api  (apps/api/pyproject.toml:2:1)\n"
        "  -> acme-core  (apps/api/pyproject.toml:7:1)\n");
}
