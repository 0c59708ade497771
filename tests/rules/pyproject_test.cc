// The python rule on real-shaped pyproject.toml and uv.lock files: a uv workspace's member globs
// and excludes, each project's name (PEP 503-normalized) and its edges to local projects (uv
// workspace and path sources, Poetry path dependencies) with the line that says them, bad TOML
// as file:line:col, and each project's part of uv.lock.

#include "rules/pyproject.h"

#include <catch2/catch.hpp>

using namespace ripple;
using namespace ripple::rules;

namespace {

RepoPath dir(const char* text) { return *RepoPath::parse(text); }

std::vector<std::string> edge_lines(const InferredService& s) {
  std::vector<std::string> out;
  for (const auto& e : s.edges) {
    out.push_back(e.target + "@" + std::to_string(e.from.pos.line));
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("python rule: names are normalized as PEP 503 says") {
  CHECK(python_name("My_Lib") == "my-lib");
  CHECK(python_name("my.lib") == "my-lib");
  CHECK(python_name("a__-._b") == "a-b");
  CHECK(python_name("requests") == "requests");
}

TEST_CASE("python rule: the root pyproject.toml gives the uv workspace's members and excludes") {
  auto ws = uv_workspace(R"([project]
name = "acme"
version = "0.1.0"
requires-python = ">=3.11"
dependencies = ["acme-core"]

[tool.uv.sources]
acme-core = { workspace = true }

[tool.uv.workspace]
members = ["packages/*", "./apps/api/"]
exclude = ["packages/seeds"]
)");
  REQUIRE(ws);
  REQUIRE(*ws);
  const UvWorkspace& w = **ws;
  REQUIRE(w.members.size() == 2);
  CHECK(w.members[0].value == "packages/*");
  CHECK(w.members[0].pos.line == 11);
  CHECK(w.members[0].pos.file == "pyproject.toml");
  CHECK(w.members[1].value == "apps/api");
  REQUIRE(w.exclude.size() == 1);
  CHECK(w.exclude[0].value == "packages/seeds");
  CHECK(w.root_project);

  auto plain = uv_workspace("[project]\nname = \"solo\"\n");
  REQUIRE(plain);
  CHECK_FALSE(*plain);
}

TEST_CASE(
    "python rule: uv workspace and path sources and Poetry path dependencies are edges, "
    "registry ones are not") {
  auto found = python_project(R"([project]
name = "Acme_API"
version = "0.1.0"
dependencies = ["acme-core", "shared.utils", "httpx>=0.27", "vendored"]

[project.optional-dependencies]
cli = ["click"]

[tool.uv.sources]
acme-core = { workspace = true }
"shared.utils" = { path = "../../libs/shared-utils", editable = true }
httpx = { git = "https://github.com/encode/httpx" }
vendored = { path = "../../../../outside" }

[tool.poetry.dependencies]
python = "^3.11"
Legacy_Lib = { path = "../legacy", develop = true }

[tool.poetry.group.test.dependencies]
testkit = { path = "../testkit" }
pytest = "^8"
)",
                              "apps/api/pyproject.toml", dir("apps/api"));
  REQUIRE(found);
  REQUIRE(*found);
  const InferredService& s = **found;
  CHECK(s.name == "acme-api");
  CHECK(s.from.pos.file == "apps/api/pyproject.toml");
  CHECK(s.from.pos.line == 2);
  CHECK(s.from.rule == "python");
  CHECK(edge_lines(s) ==
        std::vector<std::string>{"acme-core@10", "legacy-lib@17", "shared-utils@11", "testkit@20"});
}

TEST_CASE("python rule: a Poetry project is named by tool.poetry, and no name is no project") {
  auto poetry = python_project("[tool.poetry]\nname = \"old.style\"\nversion = \"1.0\"\n",
                               "libs/old/pyproject.toml", dir("libs/old"));
  REQUIRE(poetry);
  REQUIRE(*poetry);
  CHECK((*poetry)->name == "old-style");
  CHECK((*poetry)->from.pos.line == 2);
  auto nameless = python_project("[tool.ruff]\nline-length = 100\n", "x/pyproject.toml", dir("x"));
  REQUIRE(nameless);
  CHECK_FALSE(*nameless);
}

TEST_CASE("python rule: text that is not TOML is an input error at file:line:col") {
  auto bad = python_project("[project]\nname = \"a\"\ndependencies = [\"b\",\n[tool.uv]\n",
                            "packages/a/pyproject.toml", dir("packages/a"));
  REQUIRE_FALSE(bad);
  CHECK(bad.error().kind == ErrorKind::input);
  CHECK_THAT(bad.error().message, Catch::StartsWith("packages/a/pyproject.toml:4:"));
  CHECK_THAT(bad.error().message, Catch::Contains("leave the python rule out of 'discover:'"));
  auto root = uv_workspace("[tool.uv.workspace]\nmembers = \"packages/*\"\n");
  REQUIRE_FALSE(root);
  CHECK_THAT(root.error().message,
             Catch::StartsWith("pyproject.toml:2:11: 'tool.uv.workspace.members' must be a list"));
}

namespace {

std::string uv_lock(const std::string& anyio_version) {
  return R"(version = 1
requires-python = ">=3.11"

[manifest]
members = ["acme-api", "acme-core"]

[[package]]
name = "acme-api"
version = "0.1.0"
source = { editable = "apps/api" }
dependencies = [
    { name = "acme-core" },
    { name = "httpx" },
]

[package.dev-dependencies]
dev = [
    { name = "pytest" },
]

[[package]]
name = "acme-core"
version = "0.1.0"
source = { editable = "packages/core" }
dependencies = [
    { name = "anyio" },
]

[[package]]
name = "anyio"
version = ")" +
         anyio_version +
         R"("
source = { registry = "https://pypi.org/simple" }
sdist = { url = "https://files.pythonhosted.org/anyio.tar.gz", hash = "sha256:)" +
         anyio_version + R"(", size = 1 }

[[package]]
name = "httpx"
version = "0.27.0"
source = { registry = "https://pypi.org/simple" }
dependencies = [
    { name = "anyio" },
]
sdist = { url = "https://files.pythonhosted.org/httpx.tar.gz", hash = "sha256:h", size = 1 }

[[package]]
name = "pytest"
version = "8.0.0"
source = { registry = "https://pypi.org/simple" }
wheels = [
    { url = "https://files.pythonhosted.org/pytest.whl", hash = "sha256:p", size = 1 },
]
)";
}

const std::vector<std::pair<RepoPath, std::string>> kProjects = {
    {dir("apps/api"), "acme-api"}, {dir("packages/core"), "acme-core"}};

}  // namespace

TEST_CASE("python rule: uv.lock gives each project its resolved tree, dev groups included") {
  auto before = uv_lock_trees(uv_lock("4.3.0"), kProjects);
  REQUIRE(before);
  CHECK(before->at(dir("packages/core")) ==
        "anyio 4.3.0 registry=https://pypi.org/simple; sha256:4.3.0\n");
  CHECK(before->at(dir("apps/api")) ==
        "acme-core (workspace)\n"
        "anyio 4.3.0 registry=https://pypi.org/simple; sha256:4.3.0\n"
        "httpx 0.27.0 registry=https://pypi.org/simple; sha256:h\n"
        "pytest 8.0.0 registry=https://pypi.org/simple; sha256:p\n");
  auto after = uv_lock_trees(uv_lock("4.4.0"), kProjects);
  REQUIRE(after);
  CHECK(after->at(dir("packages/core")) != before->at(dir("packages/core")));
  CHECK(after->at(dir("apps/api")) != before->at(dir("apps/api")));  // through httpx
  CHECK_FALSE(uv_lock_trees("version = 1\n", kProjects));
  CHECK_FALSE(uv_lock_trees("[[package]\n", kProjects));
}
