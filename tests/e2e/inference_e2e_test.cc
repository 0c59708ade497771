// Zero-config end to end (docs/inference.md): a real git repository with no ripple.yaml and no
// service.yaml, only package-manager workspaces. `affected` finds the packages, names them by
// their package names (scoped ones too) and follows their dependencies.

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/support/git_repo.h"

using ripple::testing::GitRepo;
using ripple::testing::run_shell;

namespace {

// An npm workspace: ui ← web (dependencies), config ← ui (devDependencies), and docs alone.
void write_npm_workspace(const GitRepo& repo) {
  repo.write("package.json", R"({
  "name": "acme",
  "private": true,
  "workspaces": ["packages/*", "apps/*"]
}
)");
  repo.write("packages/config/package.json", R"({ "name": "@acme/config", "version": "1.0.0" })");
  repo.write("packages/config/index.js", "module.exports = {};\n");
  repo.write("packages/ui/package.json", R"({
  "name": "@acme/ui",
  "version": "1.0.0",
  "devDependencies": { "@acme/config": "*", "typescript": "^5.0.0" }
}
)");
  repo.write("packages/ui/src/button.js", "export const button = 1;\n");
  repo.write("apps/web/package.json", R"({
  "name": "@acme/web",
  "dependencies": { "@acme/ui": "^1.0.0", "react": "^18.2.0" }
}
)");
  repo.write("apps/web/src/main.js", "import '@acme/ui';\n");
  repo.write("apps/docs/package.json", R"({ "name": "docs" })");
  repo.write("apps/docs/index.md", "# docs\n");
  repo.write(".gitignore", ".ripple/\n");
}

std::string affected(const GitRepo& repo, const std::string& args = "",
                     const std::string& subdir = "") {
  auto r = repo.ripple("affected --base main " + args, subdir);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return r.out;
}

}  // namespace

TEST_CASE(
    "inference: with no ripple config, a workspace package's change affects it and its "
    "dependents") {
  GitRepo repo;
  write_npm_workspace(repo);
  repo.commit("base");
  repo.git("checkout -q -b feature");
  repo.write("packages/config/index.js", "module.exports = { strict: true };\n");
  repo.commit("change config");
  CHECK(affected(repo) == "@acme/config\n@acme/ui\n@acme/web\n");
  // From inside a package too: the repository's root is the workspace.
  CHECK(affected(repo, "", "apps/docs") == "@acme/config\n@acme/ui\n@acme/web\n");
  CHECK(affected(repo, "--explain") ==
        "@acme/config: changed (packages/config/index.js)\n"
        "@acme/ui: dependency \u2192 @acme/config (packages/config/index.js changed)\n"
        "@acme/web: dependency \u2192 @acme/ui \u2192 @acme/config (packages/config/index.js "
        "changed)\n");
  auto doc = nlohmann::json::parse(affected(repo, "--format json"));
  REQUIRE(doc.size() == 3);
  CHECK(doc[2]["name"] == "@acme/web");
  CHECK(doc[2]["dir"] == "apps/web");
}

TEST_CASE("inference: an app's own change affects only it, and the graph shows every package") {
  GitRepo repo;
  write_npm_workspace(repo);
  repo.commit("base");
  repo.git("checkout -q -b feature");
  repo.write("apps/web/src/main.js", "import '@acme/ui'; // changed\n");
  repo.commit("change web");
  CHECK(affected(repo) == "@acme/web\n");
  auto graph = repo.ripple("graph --format json");
  INFO(graph.err);
  REQUIRE(graph.exit_code == 0);
  auto doc = nlohmann::json::parse(graph.out);
  CAPTURE(graph.out);
  REQUIRE(doc.contains("services"));
  std::vector<std::string> names;
  for (const auto& s : doc["services"]) {
    names.push_back(s["name"].get<std::string>());
  }
  std::sort(names.begin(), names.end());
  CHECK(names == std::vector<std::string>{"@acme/config", "@acme/ui", "@acme/web", "docs"});
}

TEST_CASE(
    "inference: a pnpm workspace reads pnpm-workspace.yaml, and a broken package.json is exit 2 "
    "naming the line") {
  GitRepo repo;
  repo.write("pnpm-workspace.yaml", "packages:\n  - 'libs/*'\n");
  repo.write("libs/a/package.json", R"({ "name": "@x/a" })");
  repo.write("libs/b/package.json",
             R"({ "name": "@x/b", "dependencies": { "@x/a": "workspace:^" } })");
  repo.commit("base");
  repo.git("checkout -q -b feature");
  repo.write("libs/a/index.js", "1\n");
  repo.commit("change a");
  CHECK(affected(repo) == "@x/a\n@x/b\n");

  repo.write("libs/b/package.json", "{\n  \"name\": \"@x/b\",\n  \"dependencies\": {\n}}}\n");
  auto r = repo.ripple("affected --base main");
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::StartsWith("ripple: error: libs/b/package.json:4:3: not valid JSON"));
}

TEST_CASE(
    "inference: package.json files come from the snapshot while unchanged, and an edit is seen") {
  GitRepo repo;
  write_npm_workspace(repo);
  repo.commit("base");
  auto graph = [&] {
    auto r = repo.ripple("graph");
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return r.out;
  };
  const std::string snapshot = repo.path() + "/.ripple/state/service-configs.snapshot";
  auto mtime_ns = [&] {
    struct stat st;
    REQUIRE(stat(snapshot.c_str(), &st) == 0);
    return static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
  };
  const std::string before = "@acme/config\n@acme/ui: @acme/config\n@acme/web: @acme/ui\ndocs\n";
  // Older than the racy window (2 s): the first run keeps what each package.json gave, the
  // second takes it from the snapshot and so leaves the snapshot as it was.
  sleep(3);
  CHECK(graph() == before);
  const std::int64_t written = mtime_ns();
  CHECK(graph() == before);
  CHECK(mtime_ns() == written);
  // Same size, old mtime put back: only the ctime says the file changed.
  run_shell(
      "cp -p apps/web/package.json .git/ref && sed -i 's/\"@acme\\/ui\"/\"docs\\\"    /' "
      "apps/web/package.json && touch -r .git/ref apps/web/package.json && rm .git/ref",
      repo.path());
  CHECK(graph() == "@acme/config\n@acme/ui: @acme/config\ndocs\n@acme/web: docs\n");
}

TEST_CASE(
    "inference: a package-lock.json bump affects the packages whose installed dependencies "
    "changed, and their dependents") {
  GitRepo repo;
  write_npm_workspace(repo);
  auto lock = [&](const std::string& react, const std::string& prettier) {
    repo.write("package-lock.json", R"({
  "name": "acme", "lockfileVersion": 3, "requires": true,
  "packages": {
    "": { "name": "acme", "workspaces": ["packages/*", "apps/*"],
          "devDependencies": { "prettier": "^3.0.0" } },
    "apps/docs": { "name": "docs" },
    "apps/web": { "name": "@acme/web", "dependencies": { "@acme/ui": "^1.0.0", "react": "^18.2.0" } },
    "node_modules/@acme/config": { "resolved": "packages/config", "link": true },
    "node_modules/@acme/ui": { "resolved": "packages/ui", "link": true },
    "node_modules/@acme/web": { "resolved": "apps/web", "link": true },
    "node_modules/docs": { "resolved": "apps/docs", "link": true },
    "node_modules/prettier": { "version": ")" +
                                        prettier + R"(", "dev": true },
    "node_modules/react": { "version": ")" +
                                        react + R"(" },
    "node_modules/typescript": { "version": "5.0.0", "dev": true },
    "packages/config": { "name": "@acme/config", "version": "1.0.0" },
    "packages/ui": { "name": "@acme/ui", "version": "1.0.0",
                     "devDependencies": { "@acme/config": "*", "typescript": "^5.0.0" } }
  }
}
)");
  };
  lock("18.2.0", "3.0.0");
  repo.commit("base");
  repo.git("checkout -q -b feature");
  lock("18.3.1", "3.0.0");
  repo.commit("bump react");
  CHECK(affected(repo, "--explain") == "@acme/web: changed (package-lock.json)\n");
  auto files = repo.ripple("affected --base main --files");
  CHECK_THAT(files.err,
             Catch::Contains("M package-lock.json -> @acme/web (their part of a shared file)"));

  lock("18.2.0", "3.1.0");  // only the root's dev tool: no package's part
  repo.commit("bump prettier instead");
  auto r = repo.ripple("affected --base main --files");
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out.empty());
  CHECK_THAT(r.err, Catch::Contains("M package-lock.json (shared: no service's part changed)"));
  CHECK_THAT(r.err, !Catch::Contains("to no service"));
}

TEST_CASE(
    "inference: a template's script: runs each package's script of that name with its package "
    "manager, and a package without the script has no such task") {
  GitRepo repo;
  write_npm_workspace(repo);
  repo.write("ripple.yaml",
             "tasks:\n  build:\n    script: build\n    deps: ['^build']\n"
             "    outputs: ['dist/**']\n");
  repo.write("packages/ui/package.json", R"({
  "name": "@acme/ui",
  "version": "1.0.0",
  "scripts": { "build": "mkdir -p dist && echo ui-$npm_lifecycle_event > dist/out.txt" },
  "devDependencies": { "@acme/config": "*" }
}
)");
  repo.write("apps/web/package.json", R"({
  "name": "@acme/web",
  "scripts": { "build": "mkdir -p dist && cat ../../packages/ui/dist/out.txt > dist/out.txt" },
  "dependencies": { "@acme/ui": "^1.0.0" }
}
)");
  repo.commit("base");

  auto plan = repo.ripple("run build --all --dry-run=json");
  INFO(plan.err);
  REQUIRE(plan.exit_code == 0);
  const nlohmann::json doc = nlohmann::json::parse(plan.out);
  std::vector<std::string> planned;
  for (const auto& task : doc["tasks"]) {
    planned.push_back(task["task"].get<std::string>() + " " + task["command"].get<std::string>());
  }
  // config and docs define no build script: no build task.
  CHECK(planned ==
        std::vector<std::string>{"@acme/ui#build npm run build", "@acme/web#build npm run build"});

  // npm runs them for real, in dependency order (web reads what ui built).
  auto r = repo.ripple("run build --all");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(repo.read("apps/web/dist/out.txt") == "ui-build\n");

  // The package manager is the workspace's: pnpm's lockfile says pnpm.
  repo.write("pnpm-lock.yaml", "lockfileVersion: '9.0'\nimporters: {}\n");
  plan = repo.ripple("run build --all --dry-run");
  CHECK_THAT(plan.out, Catch::Contains("pnpm run build"));
  CHECK_THAT(plan.out, !Catch::Contains("npm run build  "));
}
