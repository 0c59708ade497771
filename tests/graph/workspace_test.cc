#include "graph/workspace.h"

#include <catch2/catch.hpp>

#include "graph/config_parser.h"
#include "tests/support/workspace_yaml.h"

using namespace ripple;
using namespace ripple::graph;

namespace {

struct Fixture {
  std::string root = "version: 1\nservices: [services/*]\n";
  std::vector<std::pair<std::string, std::string>> services;  // dir, service.yaml text

  Result<Workspace> assemble() const { return ripple::testing::assemble_yaml(root, services); }

  std::string error() const {
    auto ws = assemble();
    REQUIRE_FALSE(ws.has_value());
    CHECK(ws.error().kind == ErrorKind::input);
    return ws.error().message;
  }
};

}  // namespace

TEST_CASE("service names default to the directory name and ids follow name order") {
  Fixture f;
  f.services = {{"services/web", "deps: [api]\n"}, {"services/api", ""}};
  auto ws = f.assemble();
  REQUIRE(ws.has_value());
  REQUIRE(ws->services().size() == 2);
  CHECK(ws->services()[0].name == "api");
  CHECK(ws->services()[1].name == "web");
  CHECK(ws->service(ServiceId{1}).dir.str() == "services/web");
  CHECK(ws->service(ServiceId{1}).inputs == std::vector<std::string>{"**"});
  CHECK(ws->graph().deps(ServiceId{1}).size() == 1);
}

TEST_CASE("a duplicate service name names both directories") {
  Fixture f;
  f.services = {{"services/a", "name: shared\n"}, {"services/b", "name: shared\n"}};
  std::string message = f.error();
  CHECK_THAT(message, Catch::StartsWith("services/b/service.yaml:1:7: duplicate service name "
                                        "'shared': both services/a and services/b use it"));
}

TEST_CASE("a dependency on an unknown service suggests the closest name") {
  Fixture f;
  f.services = {{"services/api", ""}, {"services/web", "deps:\n  - apii\n"}};
  CHECK(f.error() ==
        "services/web/service.yaml:2:5: service 'web' depends on unknown service 'apii' "
        "(did you mean 'api'?)");
}

TEST_CASE("templates merge field by field under a service's own task") {
  Fixture f;
  f.root += "tasks:\n  build: { run: make, deps: ['^build'], outputs: ['dist/**'] }\n";
  f.services = {{"services/api", "tasks:\n  build: { run: go build }\n  lint: { run: vet }\n"}};
  auto ws = f.assemble();
  REQUIRE(ws.has_value());
  const auto& tasks = ws->services()[0].tasks;
  REQUIRE(tasks.size() == 2);
  CHECK(tasks.at("build").run == "go build");
  CHECK(tasks.at("build").outputs == std::vector<std::string>{"dist/**"});
  REQUIRE(tasks.at("build").deps.size() == 1);
  CHECK(tasks.at("build").deps[0].spelling() == "^build");
  CHECK(tasks.at("build").pos.file == "services/api/service.yaml");
  CHECK(tasks.at("lint").run == "vet");
}

TEST_CASE("a malformed task dependency in a template is an error at its position") {
  Fixture f;
  f.root += "tasks:\n  test: { run: t, deps: ['build#'] }\n";
  f.services = {{"services/api", ""}};
  CHECK_THAT(f.error(), Catch::StartsWith("ripple.yaml:4:26: malformed task dependency 'build#'"));
}

TEST_CASE("a task dependency on an unknown service or task is an error") {
  Fixture f;
  f.root += "tasks:\n  build: { run: b }\n";
  f.services = {{"services/proto", ""},
                {"services/api", "tasks:\n  gen: { deps: ['protoo#build'] }\n"}};
  CHECK_THAT(f.error(), Catch::Contains("names unknown service 'protoo' (did you mean 'proto'?)"));
  f.services[1].second = "tasks:\n  gen: { deps: ['proto#buld'] }\n";
  CHECK_THAT(f.error(), Catch::Contains("service 'proto' has no task 'buld' (did you mean "
                                        "'build'?)"));
  f.services[1].second = "tasks:\n  gen: { deps: ['tset'] }\n";
  CHECK_THAT(f.error(), Catch::StartsWith("services/api/service.yaml:2:17: task 'gen' of service "
                                          "'api' depends on unknown task 'tset'"));
}

TEST_CASE("a service dependency cycle is a warning, not an error") {
  Fixture f;
  f.services = {{"services/a", "deps: [b]\n"}, {"services/b", "deps: [a]\n"}};
  auto ws = f.assemble();
  REQUIRE(ws.has_value());
  REQUIRE(ws->warnings().size() == 1);
  CHECK_THAT(ws->warnings()[0].message,
             Catch::StartsWith("dependency cycle among 2 services: a -> b -> a"));
}

TEST_CASE("an invalid glob in inputs is an error at its position") {
  Fixture f;
  f.services = {{"services/a", "inputs: ['src/[x']\n"}};
  CHECK_THAT(f.error(), Catch::StartsWith("services/a/service.yaml:1:10: glob 'src/[x' has an "
                                          "unclosed '['"));
}

TEST_CASE("an upstream task dependency naming a task no service defines is a warning") {
  Fixture f;
  f.root += "tasks:\n  build: { run: b, deps: ['^biuld'] }\n";
  f.services = {{"services/a", ""}, {"services/b", "deps: [a]\n"}};
  auto ws = f.assemble();
  REQUIRE(ws.has_value());
  REQUIRE(ws->warnings().size() == 1);  // once, although both services inherit it
  CHECK(ws->warnings()[0].message ==
        "ripple.yaml:4:27: '^biuld' names a task no service defines (did you mean 'build'?)");
}

TEST_CASE("a service drops an inherited template task with 'task: false'") {
  Fixture f;
  f.root =
      "services: [services/*]\ntasks:\n  build: { run: b }\n  test: { run: t, deps: [build] }\n";
  f.services = {{"services/protos", "tasks:\n  test: false\n"}, {"services/api", ""}};
  auto ws = f.assemble();
  REQUIRE(ws.has_value());
  const ServiceSpec& protos = ws->service(*ws->graph().find("protos"));
  CHECK(protos.tasks.count("build") == 1);
  CHECK(protos.tasks.count("test") == 0);
  CHECK(ws->service(*ws->graph().find("api")).tasks.count("test") == 1);
}

TEST_CASE("'task: false' without a template of that name is an error at the task") {
  Fixture f;
  f.root = "services: [services/*]\ntasks:\n  build: { run: b }\n";
  f.services = {{"services/api", "tasks:\n  tset: false\n"}};
  CHECK(f.error() ==
        "services/api/service.yaml:2:3: task 'tset' is false, but ripple.yaml has no template "
        "'tset' to drop; remove it");
}

TEST_CASE("a template with where: exists only in services holding one of its files") {
  auto ws = ripple::testing::workspace_yaml(
      "services: [s/*]\ntasks:\n  build: { run: b }\n"
      "  test: { run: npm test, deps: [build], where: [package.json] }\n"
      "  lint: { run: make lint, where: [Makefile, GNUmakefile] }\n",
      {{"s/web", ""}, {"s/lib", ""}, {"s/tool", ""}, {"s/own", "tasks:\n  test: { run: x }\n"}},
      {{"s/web", {"package.json"}}, {"s/tool", {"GNUmakefile"}}});
  auto tasks_of = [&](const char* name) {
    std::vector<std::string> out;
    for (const auto& [task, spec] : ws.service(*ws.graph().find(name)).tasks) {
      out.push_back(task);
    }
    return out;
  };
  using V = std::vector<std::string>;
  CHECK(tasks_of("web") == V{"build", "test"});
  CHECK(tasks_of("lib") == V{"build"});
  CHECK(tasks_of("tool") == V{"build", "lint"});
  // A service's own definition of the task makes it exist whatever `where:` says.
  CHECK(tasks_of("own") == V{"build", "test"});
}

TEST_CASE("a dep on a task the service dropped is dropped with it") {
  Fixture f;
  f.root =
      "services: [services/*]\ntasks:\n  gen: { run: g, where: [buf.yaml] }\n"
      "  build: { run: b, deps: [gen] }\n";
  f.services = {{"services/api", ""}};
  auto ws = f.assemble();
  REQUIRE(ws.has_value());
  CHECK(ws->service(ServiceId{0}).tasks.at("build").deps.empty());
}

TEST_CASE("output globs are normalised, and absolute or climbing ones are refused") {
  Fixture f;
  f.root =
      "services: [services/*]\ntasks:\n  build: { run: b, outputs: ['./dist/**', 'dist//y', "
      "'./out/./z', 'bin/'] }\n";
  f.services = {{"services/api", ""}};
  auto ws = f.assemble();
  REQUIRE(ws.has_value());
  CHECK(ws->service(ServiceId{0}).tasks.at("build").outputs ==
        std::vector<std::string>{"dist/**", "dist/y", "out/z", "bin/**"});
  f.root = "services: [services/*]\ntasks:\n  build: { run: b, outputs: ['../x/**'] }\n";
  CHECK(f.error() ==
        "ripple.yaml:3:30: output glob '../x/**' climbs out of the service directory; a task's "
        "outputs must lie inside its service");
  f.root = "services: [services/*]\ntasks:\n  build: { run: b, outputs: ['/tmp/x'] }\n";
  CHECK_THAT(f.error(), Catch::Contains("output glob '/tmp/x' is absolute"));
  f.root = "services: [services/*]\ntasks:\n  build: { run: b, outputs: ['./'] }\n";
  CHECK_THAT(f.error(), Catch::Contains("names the service directory itself"));
}

TEST_CASE("a name taken from a directory must be printable too, and errors point at line 1") {
  Fixture f;
  f.services = {{"services/a\nb", ""}};
  CHECK(f.error() ==
        "services/a\nb/service.yaml:1:1: service name 'a\\nb' must be printable: no newline, tab "
        "or other control character (it is the directory's name); set a 'name:'");
  f.services = {{"services/x", ""}, {"other/x", ""}};
  f.root = "services: [services/*, other/*]\n";
  CHECK_THAT(f.error(),
             Catch::StartsWith("services/x/service.yaml:1:1: duplicate service name 'x'"));
}

TEST_CASE("a template with script: exists only in services whose package.json has that script") {
  auto ws = ripple::testing::assemble_yaml(
      "services: [s/*]\ntasks:\n  build: { script: build, deps: ['^build'] }\n"
      "  test: { script: 'test:unit', deps: [build] }\n",
      {{"s/web", ""}, {"s/lib", ""}, {"s/own", "tasks:\n  test: { run: make check }\n"}}, {},
      {{"s/web", {"build", "test:unit"}}, {"s/lib", {"build"}}});
  REQUIRE(ws.has_value());
  auto tasks_of = [&](const char* name) {
    std::vector<std::string> out;
    for (const auto& [task, spec] : ws->service(*ws->graph().find(name)).tasks) {
      out.push_back(task);
    }
    return out;
  };
  using V = std::vector<std::string>;
  CHECK(tasks_of("web") == V{"build", "test"});
  CHECK(tasks_of("lib") == V{"build"});
  // Its own definition wins; its test's dep on the build it lacks is dropped.
  CHECK(tasks_of("own") == V{"test"});
  CHECK(ws->service(*ws->graph().find("own")).tasks.at("test").deps.empty());
}
