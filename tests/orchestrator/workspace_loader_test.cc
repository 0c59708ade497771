#include "orchestrator/workspace_loader.h"

#include <catch2/catch.hpp>

#include "tests/support/memory_filesystem.h"

using namespace ripple;
using ripple::testing::MemoryFilesystem;

namespace {

std::vector<std::string> service_names(const LoadedWorkspace& loaded) {
  std::vector<std::string> out;
  for (const auto& s : loaded.workspace.services()) {
    out.push_back(s.name + "@" + s.dir.str());
  }
  return out;
}

}  // namespace

TEST_CASE("the workspace root is the nearest directory with a ripple.yaml") {
  MemoryFilesystem fs;
  fs.add_file("/repo/ripple.yaml", "version: 1\n");
  fs.add_dir("/repo/services/web/src");
  CHECK(*find_workspace_root(fs, "/repo/services/web/src") == "/repo");
  CHECK(*find_workspace_root(fs, "/repo") == "/repo");
}

TEST_CASE(
    "without a ripple.yaml or a git repository anywhere above, the error says where it looked") {
  MemoryFilesystem fs;
  fs.add_dir("/tmp/elsewhere");
  auto root = find_workspace_root(fs, "/tmp/elsewhere");
  REQUIRE_FALSE(root.has_value());
  CHECK(root.error().kind == ErrorKind::input);
  CHECK_THAT(
      root.error().message,
      Catch::StartsWith("no ripple.yaml and no git repository found from /tmp/elsewhere up to /"));
}

TEST_CASE("service globs find directories holding a service.yaml, and ! excludes") {
  MemoryFilesystem fs;
  fs.add_file("/r/ripple.yaml", "services: [services/*, libs/**, '!services/legacy']\n");
  fs.add_file("/r/services/web/service.yaml", "");
  fs.add_file("/r/services/api/service.yaml", "deps: [proto]\n");
  fs.add_file("/r/services/legacy/service.yaml", "");
  fs.add_dir("/r/services/not-a-service");
  fs.add_file("/r/libs/proto/service.yaml", "");
  fs.add_file("/r/libs/nested/deep/service.yaml", "");
  fs.add_file("/r/libs/node_modules/x/service.yaml", "");
  fs.add_file("/r/libs/.hidden/service.yaml", "");
  auto loaded = load_workspace(fs, "/r");
  REQUIRE(loaded.has_value());
  CHECK(service_names(*loaded) == std::vector<std::string>{"api@services/api",
                                                           "deep@libs/nested/deep",
                                                           "proto@libs/proto", "web@services/web"});
  CHECK(loaded->warnings.empty());
}

TEST_CASE("a services glob matching nothing is a warning with its position") {
  MemoryFilesystem fs;
  fs.add_file("/r/ripple.yaml", "version: 1\nservices: [services/*, apps/*]\n");
  fs.add_file("/r/services/web/service.yaml", "");
  auto loaded = load_workspace(fs, "/r");
  REQUIRE(loaded.has_value());
  REQUIRE(loaded->warnings.size() == 1);
  CHECK(loaded->warnings[0].message ==
        "ripple.yaml:2:24: services glob 'apps/*' matches no directory with a service.yaml");
}

TEST_CASE("an explicitly listed directory without service.yaml is an error") {
  MemoryFilesystem fs;
  fs.add_file("/r/ripple.yaml", "services: [services/web, services/api]\n");
  fs.add_file("/r/services/web/service.yaml", "");
  fs.add_dir("/r/services/api");
  auto loaded = load_workspace(fs, "/r");
  REQUIRE_FALSE(loaded.has_value());
  CHECK(loaded.error().kind == ErrorKind::input);
  CHECK_THAT(loaded.error().message,
             Catch::StartsWith("ripple.yaml:1:26: services entry 'services/api' has no "
                               "service.yaml; create one"));
}

TEST_CASE("an explicitly listed directory that does not exist is an error") {
  MemoryFilesystem fs;
  fs.add_file("/r/ripple.yaml", "services: [services/gone]\n");
  auto loaded = load_workspace(fs, "/r");
  REQUIRE_FALSE(loaded.has_value());
  CHECK_THAT(loaded.error().message, Catch::Contains("'services/gone' is not a directory"));
}

TEST_CASE("a service.yaml error is reported with the service file's path") {
  MemoryFilesystem fs;
  fs.add_file("/r/ripple.yaml", "services: [services/*]\n");
  fs.add_file("/r/services/web/service.yaml", "name: web\ndepz: [api]\n");
  auto loaded = load_workspace(fs, "/r");
  REQUIRE_FALSE(loaded.has_value());
  CHECK_THAT(loaded.error().message,
             Catch::StartsWith("services/web/service.yaml:2:1: unknown key 'depz'"));
}

TEST_CASE("the loader reads only the config files, never the sources") {
  MemoryFilesystem fs;
  fs.add_file("/r/ripple.yaml", "services: [services/*]\n");
  fs.add_file("/r/services/web/service.yaml", "");
  fs.add_file("/r/services/web/src/main.js", "console.log(1)");
  REQUIRE(load_workspace(fs, "/r").has_value());
  CHECK(fs.reads() == std::vector<std::string>{"/r/ripple.yaml", "/r/services/web/service.yaml"});
}

TEST_CASE("cycles are passed on as warnings") {
  MemoryFilesystem fs;
  fs.add_file("/r/ripple.yaml", "services: [s/*]\n");
  fs.add_file("/r/s/a/service.yaml", "deps: [b]\n");
  fs.add_file("/r/s/b/service.yaml", "deps: [c]\n");
  fs.add_file("/r/s/c/service.yaml", "deps: [a]\n");
  auto loaded = load_workspace(fs, "/r");
  REQUIRE(loaded.has_value());
  REQUIRE(loaded->warnings.size() == 1);
  CHECK_THAT(loaded->warnings[0].message,
             Catch::StartsWith("dependency cycle among 3 services: a -> b -> c -> a"));
}

TEST_CASE("a globbed directory with a build manifest but no service.yaml gets a warning") {
  MemoryFilesystem fs;
  // (Without the go rule: it would read services/old's empty go.mod, and fail on it.)
  fs.add_file("/r/ripple.yaml",
              "services: [services/*, libs/**, '!services/old']\n"
              "discover: [compose, dockerfile, node]\n");
  fs.add_file("/r/services/web/service.yaml", "");
  fs.add_file("/r/services/web/Dockerfile", "");
  fs.add_file("/r/services/billing/Dockerfile", "FROM scratch\n");
  fs.add_file("/r/services/old/go.mod", "");
  fs.add_file("/r/services/notes/README", "");
  fs.add_file("/r/libs/a/service.yaml", "");
  fs.add_file("/r/libs/a/src/Makefile", "");  // inside a service: `**` matches are not checked
  auto loaded = load_workspace(fs, "/r");
  REQUIRE(loaded.has_value());
  REQUIRE(loaded->warnings.size() == 1);
  CHECK(loaded->warnings[0].message ==
        "ripple.yaml:1:12: services glob 'services/*' matches services/billing, which has a "
        "Dockerfile but no service.yaml; add one (an empty file is a valid service) or leave it "
        "out with '!services/billing'");
}

TEST_CASE("the loader tells the workspace which where: files each service holds") {
  MemoryFilesystem fs;
  fs.add_file("/r/ripple.yaml",
              "services: [s/*]\ntasks:\n  test: { run: t, where: [package.json] }\n");
  fs.add_file("/r/s/web/service.yaml", "");
  fs.add_file("/r/s/web/package.json", "{}");
  fs.add_file("/r/s/lib/service.yaml", "");
  auto loaded = load_workspace(fs, "/r");
  REQUIRE(loaded.has_value());
  const auto& ws = loaded->workspace;
  CHECK(ws.service(*ws.graph().find("web")).tasks.count("test") == 1);
  CHECK(ws.service(*ws.graph().find("lib")).tasks.count("test") == 0);
}

TEST_CASE(
    "without a ripple.yaml the git repository's root is the workspace, its services inferred") {
  MemoryFilesystem fs;
  fs.add_dir("/repo/.git");
  fs.add_file("/repo/package.json", R"({"name": "root", "workspaces": ["packages/*", "apps/*"]})");
  fs.add_file("/repo/packages/ui/package.json", R"({"name": "@acme/ui", "version": "1.0.0"})");
  fs.add_file("/repo/packages/ui/src/index.js", "");
  fs.add_file("/repo/apps/web/package.json",
              "{\n  \"name\": \"@acme/web\",\n  \"dependencies\": {\n"
              "    \"@acme/ui\": \"workspace:*\",\n    \"react\": \"18.2.0\"\n  }\n}\n");
  fs.add_file("/repo/apps/docs/README.md", "");  // no package.json: no package
  REQUIRE(*find_workspace_root(fs, "/repo/apps/web") == "/repo");
  auto loaded = load_workspace(fs, "/repo");
  REQUIRE(loaded.has_value());
  CHECK(service_names(*loaded) ==
        std::vector<std::string>{"@acme/ui@packages/ui", "@acme/web@apps/web"});
  const auto& web = loaded->workspace.service(*loaded->workspace.graph().find("@acme/web"));
  REQUIRE(web.deps.size() == 1);  // react is not a package of the workspace
  CHECK(loaded->workspace.service(web.deps[0]).name == "@acme/ui");
  CHECK(web.file == "apps/web/package.json");
}

TEST_CASE("a service.yaml beside a package.json keeps its name and gains the package's edges") {
  MemoryFilesystem fs;
  fs.add_file("/r/ripple.yaml", "services: [svc/*]\n");
  fs.add_file("/r/pnpm-workspace.yaml", "packages:\n  - 'svc/*'\n  - '!svc/old'\n");
  fs.add_file("/r/svc/api/service.yaml", "name: api\n");
  fs.add_file("/r/svc/api/package.json",
              R"({"name": "@acme/api", "devDependencies": {"@acme/proto": "^1"}})");
  fs.add_file("/r/svc/proto/package.json", R"({"name": "@acme/proto"})");
  fs.add_file("/r/svc/old/package.json", R"({"name": "@acme/old"})");
  auto loaded = load_workspace(fs, "/r");
  REQUIRE(loaded.has_value());
  CHECK(service_names(*loaded) == std::vector<std::string>{"@acme/proto@svc/proto", "api@svc/api"});
  const auto& api = loaded->workspace.service(*loaded->workspace.graph().find("api"));
  REQUIRE(api.deps.size() == 1);
  CHECK(loaded->workspace.service(api.deps[0]).name == "@acme/proto");
}

TEST_CASE("discover: without node leaves package.json alone, and a broken one is then no error") {
  MemoryFilesystem fs;
  fs.add_file("/r/ripple.yaml", "services: []\ndiscover: [compose]\n");
  fs.add_file("/r/package.json", R"({"workspaces": ["p/*"]})");
  fs.add_file("/r/p/a/package.json", "{ broken");
  auto loaded = load_workspace(fs, "/r");
  REQUIRE(loaded.has_value());
  CHECK(loaded->workspace.services().empty());

  fs.add_file("/r/ripple.yaml", "services: []\n");
  auto broken = load_workspace(fs, "/r");
  REQUIRE_FALSE(broken.has_value());
  CHECK_THAT(broken.error().message, Catch::StartsWith("p/a/package.json:1:3: not valid JSON"));
}

TEST_CASE("node inference warns of nameless packages and globs that match no package") {
  MemoryFilesystem fs;
  fs.add_dir("/r/.git");
  fs.add_file("/r/package.json", "{\"workspaces\": [\"tools/*\", \"libs/*\"]}");
  fs.add_file("/r/tools/gen/package.json", R"({"private": true})");
  auto loaded = load_workspace(fs, "/r");
  REQUIRE(loaded.has_value());
  std::vector<std::string> warnings;
  for (const auto& w : loaded->warnings) {
    warnings.push_back(w.message);
  }
  CAPTURE(warnings);
  CHECK(std::count(warnings.begin(), warnings.end(),
                   "tools/gen/package.json: a workspace package without a 'name' is not a "
                   "service; give it a name") == 1);
  CHECK(std::count(warnings.begin(), warnings.end(),
                   "package.json:1:28: workspace glob 'libs/*' matches no directory with a "
                   "package.json") == 1);
}

TEST_CASE(
    "go inference: go.work's modules, a warning for a use without go.mod, one service per "
    "directory with the node rule") {
  MemoryFilesystem fs;
  fs.add_dir("/r/.git");
  fs.add_file("/r/go.work", "go 1.22\nuse (\n\t./api\n\t./gone\n)\nuse ./web\n");
  fs.add_file("/r/api/go.mod", "module example.com/api\n");
  fs.add_file("/r/web/go.mod", "module example.com/web\nrequire example.com/api v0.0.0\n");
  fs.add_file("/r/web/package.json", R"({"name": "@acme/web"})");  // the same service
  fs.add_file("/r/package.json", R"({"workspaces": ["web"]})");
  fs.add_file("/r/other/go.mod", "module example.com/other\n");  // go.work does not use it
  auto loaded = load_workspace(fs, "/r");
  REQUIRE(loaded.has_value());
  CHECK(service_names(*loaded) == std::vector<std::string>{"@acme/web@web", "api@api"});
  const auto& web = loaded->workspace.service(*loaded->workspace.graph().find("@acme/web"));
  REQUIRE(web.deps.size() == 1);
  CHECK(loaded->workspace.service(web.deps[0]).name == "api");
  std::vector<std::string> warnings;
  for (const auto& w : loaded->warnings) {
    warnings.push_back(w.message);
  }
  CHECK(warnings == std::vector<std::string>{
                        "go.work:4:2: go.work uses 'gone', which has no go.mod; left out"});
}
