#include "graph/config_parser.h"

#include <catch2/catch.hpp>

using namespace ripple;
using namespace ripple::graph;

namespace {

std::string root_error(const std::string& text) {
  auto r = parse_root_config(text, "ripple.yaml");
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().kind == ErrorKind::input);
  return r.error().message;
}

std::string service_error(const std::string& text) {
  auto r = parse_service_config(text, "services/web/service.yaml");
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().kind == ErrorKind::input);
  return r.error().message;
}

}  // namespace

TEST_CASE("a full ripple.yaml parses into the model with positions") {
  auto r = parse_root_config(R"(version: 1
base: origin/main
services: [services/*, libs/*]
discover: [compose, node]
global_inputs: [".github/workflows/**"]
ignore: ["**/*.md"]
env: [CI_REGISTRY]
tasks:
  build: { run: "make build", deps: ["^build"], outputs: ["dist/**"] }
  test:
    run: make test
    deps: [build]
    timeout: 60
    cache: false
cache:
  dir: .cache/ripple
  remote: { url: "http://cache:8080", mode: read-only, token_env: TOKEN }
images:
  registry: registry.example.com/team
  builder: buildah
  push: skopeo copy containers-storage:{source} docker://{ref}
)",
                             "ripple.yaml");
  REQUIRE(r.has_value());
  CHECK(r->base == "origin/main");
  REQUIRE(r->services.size() == 2);
  CHECK(r->services[1].value == "libs/*");
  CHECK(r->services[1].pos.line == 3);
  CHECK(r->services[1].pos.column == 24);
  CHECK(r->discover->size() == 2);
  CHECK(r->env[0].value == "CI_REGISTRY");
  REQUIRE(r->tasks.count("test") == 1);
  CHECK(r->tasks["test"].timeout_seconds == 60);
  CHECK(r->tasks["test"].cache == false);
  CHECK(r->tasks["build"].deps->at(0).value == "^build");
  CHECK(r->cache.dir == ".cache/ripple");
  CHECK(r->cache.remote->mode == "read-only");
  CHECK(r->cache.remote->token_env == "TOKEN");
  CHECK(r->images.builder == "buildah");
  CHECK(r->images.push == "skopeo copy containers-storage:{source} docker://{ref}");
  CHECK(r->images.push_pos.line == 21);
}

TEST_CASE("a YAML syntax error names the file, line and column") {
  std::string message = root_error("version: 1\nservices: [a, b\n");
  CHECK_THAT(message, Catch::StartsWith("ripple.yaml:3:1: YAML syntax error"));
}

TEST_CASE("an unknown key is an error with a suggestion and its position") {
  std::string message = root_error("version: 1\nservises: [a]\n");
  CHECK_THAT(message, Catch::StartsWith("ripple.yaml:2:1: unknown key 'servises'"));
  CHECK_THAT(message, Catch::Contains("did you mean 'services'?"));
}

TEST_CASE("an unknown key inside a task names the task") {
  std::string message = service_error("tasks:\n  build:\n    rnu: make\n");
  CHECK_THAT(message,
             Catch::StartsWith("services/web/service.yaml:3:5: unknown key 'rnu' in task 'build'"));
  CHECK_THAT(message, Catch::Contains("did you mean 'run'?"));
}

TEST_CASE("a wrong value type says what was expected") {
  CHECK_THAT(root_error("version: 1\nservices: services/*\n"),
             Catch::StartsWith("ripple.yaml:2:11: 'services' must be a list of strings, not a "
                               "scalar"));
  CHECK_THAT(service_error("deps:\n  - {a: b}\n"),
             Catch::StartsWith("services/web/service.yaml:2:5: each entry of 'deps' must be a "
                               "string, not a mapping"));
  CHECK_THAT(service_error("tasks:\n  build:\n    timeout: soon\n"),
             Catch::StartsWith("services/web/service.yaml:3:14: 'timeout' must be a whole number"));
  CHECK_THAT(root_error("version: 1\ntasks: [build]\n"),
             Catch::StartsWith("ripple.yaml:2:8: 'tasks' must be a mapping"));
}

TEST_CASE("a duplicate key is an error at the second occurrence") {
  CHECK_THAT(root_error("version: 1\nbase: main\nbase: develop\n"),
             Catch::StartsWith("ripple.yaml:3:1: key 'base' appears twice"));
}

TEST_CASE("an unsupported version is refused") {
  CHECK_THAT(root_error("version: 2\n"),
             Catch::StartsWith("ripple.yaml:1:10: unsupported version 2"));
}

TEST_CASE("an empty ripple.yaml is an error that says what to write") {
  CHECK_THAT(root_error(""), Catch::Contains("the file is empty; start it with 'version: 1'"));
  CHECK_THAT(root_error("# only a comment\n"), Catch::Contains("the file is empty"));
}

TEST_CASE("an empty service.yaml is a service with every default") {
  auto r = parse_service_config("", "libs/a/service.yaml");
  REQUIRE(r.has_value());
  CHECK_FALSE(r->name.has_value());
  CHECK(r->deps.empty());
  CHECK_FALSE(r->inputs.has_value());
}

TEST_CASE("a service name with a reserved character is refused") {
  CHECK_THAT(service_error("name: web#2\n"),
             Catch::StartsWith("services/web/service.yaml:1:7: service name 'web#2'"));
  // "." and ".." would name directories (log files live under .ripple/logs/<service>/).
  CHECK_THAT(service_error("name: ..\n"), Catch::Contains("not '.' or '..'"));
  CHECK_THAT(service_error("name: .\n"), Catch::Contains("not '.' or '..'"));
}

TEST_CASE("a remote cache block takes headers, timeout, connections, instance and signing") {
  auto r = parse_root_config(
      "cache:\n  remote:\n    url: https://c.example.com\n    mode: write-only\n"
      "    headers: { X-Team: web, X-Env: ci }\n    timeout: 7\n    max_connections: 3\n"
      "    instance: main\n    signing_key_env: KEY\n",
      "ripple.yaml");
  REQUIRE(r.has_value());
  const auto& remote = *r->cache.remote;
  CHECK(remote.url_pos.line == 3);
  CHECK(remote.mode == "write-only");
  REQUIRE(remote.headers.size() == 2);
  CHECK(remote.headers[0] == std::pair<std::string, std::string>("X-Team", "web"));
  CHECK(remote.timeout_seconds == 7);
  CHECK(remote.max_connections == 3);
  CHECK(remote.instance == "main");
  CHECK(remote.signing_key_env == "KEY");
  CHECK_THAT(root_error("cache:\n  remote: { url: x, timeout: 0 }\n"),
             Catch::Contains("'timeout' must be at least 1"));
  CHECK_THAT(root_error("cache:\n  remote: { url: x, max_connections: 999 }\n"),
             Catch::Contains("'max_connections' must be between 1 and 256"));
  CHECK_THAT(root_error("cache:\n  remote: { url: x, headers: { 'Bad Name': v } }\n"),
             Catch::Contains("header 'Bad Name' is not a header name"));
  CHECK_THAT(root_error("cache:\n  remote: { url: x, headers: [a] }\n"),
             Catch::Contains("'headers' must be a mapping"));
}

TEST_CASE("a remote cache without url and with a bad mode is refused") {
  CHECK_THAT(root_error("cache:\n  remote: { mode: read-only }\n"),
             Catch::Contains("'cache.remote' needs a 'url'"));
  CHECK_THAT(root_error("cache:\n  remote: { url: x, mode: write }\n"),
             Catch::Contains("'mode' must be read-write, read-only or write-only, not 'write'"));
}

TEST_CASE("a remote cache's protocol, team and slug are read, and checked") {
  auto r = parse_root_config(
      "cache:\n  remote: { url: 'http://c', protocol: turbo, team: team_1, slug: web.app-2 }\n",
      "ripple.yaml");
  REQUIRE(r.has_value());
  CHECK(r->cache.remote->protocol == RemoteCacheProtocol::turbo);
  CHECK(r->cache.remote->team == "team_1");
  CHECK(r->cache.remote->slug == "web.app-2");
  CHECK(r->cache.remote->team_pos.line == 2);
  auto plain =
      parse_root_config("cache:\n  remote: { url: 'http://c', protocol: bazel }\n", "ripple.yaml");
  REQUIRE(plain.has_value());
  CHECK(plain->cache.remote->protocol == RemoteCacheProtocol::bazel);
  CHECK(plain->cache.remote->team.empty());
  auto unset = parse_root_config("cache:\n  remote: { url: 'http://c' }\n", "ripple.yaml");
  REQUIRE(unset.has_value());
  CHECK_FALSE(unset->cache.remote->protocol.has_value());

  CHECK_THAT(root_error("cache:\n  remote: { url: x, protocol: grpc }\n"),
             Catch::Contains("'protocol' must be bazel (Bazel's HTTP cache) or turbo"));
  CHECK_THAT(root_error("cache:\n  remote: { url: x, team: 'a&b=c' }\n"),
             Catch::Contains("'team' must be letters, digits, '.', '_' and '-'"));
  CHECK_THAT(root_error("cache:\n  remote: { url: x, slug: '' }\n"),
             Catch::Contains("'slug' must be letters"));
}

TEST_CASE("an image block takes defaults for the keys it omits") {
  auto r = parse_service_config("image: { name: shop-web }\n", "services/web/service.yaml");
  REQUIRE(r.has_value());
  REQUIRE(r->image.has_value());
  CHECK(r->image->dockerfile == "Dockerfile");
  CHECK(r->image->context == ".");
  CHECK(r->image->name == "shop-web");
}

TEST_CASE("an image block reads build args, target, platforms and extra tags") {
  auto r = parse_service_config(
      "image:\n  build_args: { GO_VERSION: \"1.22\" }\n  target: runtime\n"
      "  platforms: [linux/amd64]\n  extra_tags: [latest, stable]\n",
      "services/api/service.yaml");
  REQUIRE(r.has_value());
  CHECK(r->image->build_args.at("GO_VERSION") == "1.22");
  CHECK(r->image->target == "runtime");
  CHECK(r->image->platforms == std::vector<std::string>{"linux/amd64"});
  CHECK(r->image->extra_tags == std::vector<std::string>{"latest", "stable"});
  auto bad = parse_service_config("image:\n  build_args: [A=1]\n", "services/api/service.yaml");
  REQUIRE_FALSE(bad.has_value());
  CHECK_THAT(bad.error().message,
             Catch::StartsWith("services/api/service.yaml:2:15: 'build_args' must be a mapping"));
  auto typo = parse_service_config("image: { platform: [x] }\n", "services/api/service.yaml");
  REQUIRE_FALSE(typo.has_value());
  CHECK_THAT(typo.error().message, Catch::Contains("did you mean 'platforms'"));
}

TEST_CASE("unowned: takes ignore, warn or all, and defaults to warn") {
  CHECK(parse_root_config("services: []\n", "ripple.yaml")->unowned == UnownedPolicy::warn);
  CHECK(parse_root_config("unowned: all\n", "ripple.yaml")->unowned == UnownedPolicy::all);
  CHECK(parse_root_config("unowned: ignore\n", "ripple.yaml")->unowned == UnownedPolicy::ignore);
  CHECK(root_error("unowned: fail\n") ==
        "ripple.yaml:1:10: 'unowned' must be ignore, warn or all, not 'fail'");
}

TEST_CASE("a service task may be false but a template may not, nor may a task be true") {
  auto r = parse_service_config("tasks:\n  test: false\n", "s/a/service.yaml");
  REQUIRE(r.has_value());
  CHECK(r->tasks.at("test").disabled);
  CHECK_THAT(root_error("tasks:\n  test: false\n"),
             Catch::StartsWith("ripple.yaml:2:9: task 'test' is false in ripple.yaml"));
  CHECK_THAT(service_error("tasks:\n  test: true\n"),
             Catch::StartsWith("services/web/service.yaml:2:9: task 'test' must be a mapping"));
}

TEST_CASE("where: is for templates and takes plain file names") {
  auto r = parse_root_config("tasks:\n  test: { run: t, where: [package.json, cmd/main.go] }\n",
                             "ripple.yaml");
  REQUIRE(r.has_value());
  REQUIRE(r->tasks.at("test").where.has_value());
  CHECK(r->tasks.at("test").where->size() == 2);
  CHECK(root_error("tasks:\n  test: { run: t, where: ['*.csproj'] }\n") ==
        "ripple.yaml:2:27: 'where' entry '*.csproj' must be a file name relative to the service "
        "directory, without wildcards or '..' (package.json, Makefile, cmd/main.go)");
  CHECK_THAT(service_error("tasks:\n  test: { run: t, where: [package.json] }\n"),
             Catch::Contains("unknown key 'where' in task 'test'"));
}

TEST_CASE("a quoted value that is never closed is an error where it opens") {
  CHECK(root_error("version: 1\nservices: [s/*]\nbase: 'main\n") ==
        "ripple.yaml:3:7: a quoted value is never closed; add the closing quote");
  CHECK(root_error("services:\n  - 's/*\n") ==
        "ripple.yaml:2:5: a quoted value is never closed; add the closing quote");
  CHECK(service_error("deps:\n  - \"api\n") ==
        "services/web/service.yaml:2:5: a quoted value is never closed; add the closing quote");
  // Closed ones, with quotes inside, are fine.
  auto ok = parse_root_config("base: 'it''s'\nservices: [\"a\\\"b\", 'c'] # it's\n", "ripple.yaml");
  REQUIRE(ok.has_value());
  CHECK(*ok->base == "it's");
  CHECK(ok->services[0].value == "a\"b");
}

TEST_CASE("a second YAML document is an error, not silently dropped") {
  CHECK(service_error("name: a\n---\nname: b\n") ==
        "services/web/service.yaml:2:1: a second YAML document ('---'); services/web/service.yaml "
        "holds one document: remove the marker or what follows it");
  CHECK(root_error("services: []\n---\n") ==
        "ripple.yaml:2:1: a second YAML document ('---'); ripple.yaml holds one document: remove "
        "the marker or what follows it");
  CHECK(parse_service_config("---\nname: a\n", "s/service.yaml").has_value());  // one, marked
}

TEST_CASE("service and task names must be printable") {
  CHECK(service_error("name: \"a\\nb\"\n") ==
        "services/web/service.yaml:1:7: service name 'a\\nb' must be printable: no newline, tab "
        "or other control character");
  CHECK_THAT(service_error("name: \"a\\0b\"\n"),
             Catch::Contains("service name 'a\\0b' must be printable"));
  CHECK(service_error("tasks:\n  \"x\\ty\": { run: a }\n") ==
        "services/web/service.yaml:2:3: task name 'x\\ty' must be printable: no newline, tab or "
        "other control character; rename the task");
}

TEST_CASE("script: is a template key that names one script, never beside run:") {
  auto rc = graph::parse_root_config(
      "tasks:\n  build: { script: 'build:prod', deps: ['^build'] }\n", "ripple.yaml");
  REQUIRE(rc.has_value());
  REQUIRE(rc->tasks.at("build").script.has_value());
  CHECK(rc->tasks.at("build").script->value == "build:prod");
  CHECK_FALSE(rc->tasks.at("build").run.has_value());
  CHECK(root_error("tasks:\n  build: { run: make, script: build }\n") ==
        "ripple.yaml:2:31: task 'build' has both 'run' and 'script'; keep one ('script: build' "
        "runs the package.json script of that name)");
  CHECK_THAT(root_error("tasks:\n  build: { script: 'build; rm -rf /' }\n"),
             Catch::StartsWith("ripple.yaml:2:20: 'script' must name a package.json script"));
  CHECK_THAT(service_error("tasks:\n  build: { script: build }\n"),
             Catch::Contains("unknown key 'script'"));
}

TEST_CASE("deploy: kustomize, helm and argocd targets per service, with positions") {
  auto r = parse_root_config(R"(services: [services/*]
deploy:
  checkout:
    kustomize: deploy/prod/kustomization.yaml
    helm: { file: ./deploy/values-prod.yaml, path: checkout.image }
    argocd: { app: shop-checkout, dir: deploy/apps/checkout }
  web:
    kustomize: { file: deploy/prod/kustomization.yaml, name: shop-web }
    argocd: { app: shop, dir: . }
)",
                             "ripple.yaml");
  REQUIRE(r);
  REQUIRE(r->deploy.size() == 2);
  const ServiceDeploy& checkout = r->deploy[0];
  CHECK(checkout.service.value == "checkout");
  CHECK(checkout.service.pos.line == 3);
  CHECK(checkout.service.pos.column == 3);
  REQUIRE(checkout.kustomize);
  CHECK(checkout.kustomize->file == "deploy/prod/kustomization.yaml");
  CHECK(!checkout.kustomize->name);
  CHECK(checkout.kustomize->pos.line == 4);
  REQUIRE(checkout.helm);
  CHECK(checkout.helm->file == "deploy/values-prod.yaml");
  CHECK(checkout.helm->path == std::vector<std::string>{"checkout", "image"});
  REQUIRE(checkout.argocd);
  CHECK(checkout.argocd->app == "shop-checkout");
  CHECK(checkout.argocd->dir == "deploy/apps/checkout");
  const ServiceDeploy& web = r->deploy[1];
  CHECK(web.kustomize->name == "shop-web");
  CHECK(!web.helm);
  CHECK(web.argocd->dir == ".");
}

TEST_CASE("deploy: unknown keys, missing fields and paths outside the workspace name the line") {
  CHECK(root_error("deploy:\n  web:\n    kustomise: k.yaml\n") ==
        "ripple.yaml:3:5: unknown key 'kustomise' in 'deploy.web' (did you mean 'kustomize'?); "
        "known keys: kustomize, helm, argocd");
  CHECK(root_error("deploy:\n  web:\n    helm: { file: v.yaml }\n") ==
        "ripple.yaml:3:11: 'helm' needs a 'file' (the values file) and a 'path' (the mapping "
        "holding repository and tag, such as checkout.image)");
  CHECK(root_error("deploy:\n  web:\n    helm: { file: v.yaml, path: web..image }\n") ==
        "ripple.yaml:3:33: 'path' must be keys joined by dots, such as checkout.image, not "
        "'web..image'");
  CHECK(root_error("deploy:\n  web:\n    kustomize: ../k.yaml\n") ==
        "ripple.yaml:3:16: 'kustomize' must be a file path inside the workspace, relative to "
        "ripple.yaml, not '../k.yaml'");
  CHECK(root_error("deploy:\n  web:\n    argocd: { app: a/b, dir: . }\n") ==
        "ripple.yaml:3:20: 'app' must be an Argo CD application name (no '/' or spaces), not "
        "'a/b'");
  CHECK(root_error("deploy:\n  web:\n    argocd: { app: shop }\n") ==
        "ripple.yaml:3:13: 'argocd' needs an 'app' (the Argo CD application) and a 'dir' (its "
        "source directory, where .argocd-source-<app>.yaml goes)");
  CHECK(root_error("deploy: [web]\n") ==
        "ripple.yaml:1:9: 'deploy' must be a mapping of service names to their GitOps files, "
        "such as { checkout: { kustomize: deploy/prod/kustomization.yaml } }");
  CHECK(root_error("deploy:\n  web:\n    kustomize: { name: x }\n") ==
        "ripple.yaml:3:16: 'kustomize' needs a 'file', such as deploy/prod/kustomization.yaml");
}
