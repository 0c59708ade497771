// The image task (graph/image_task.h): each builder's command, a command template's
// placeholders, the task a service with an `image:` gets in the workspace, and content tags.

#include "graph/image_task.h"

#include <catch2/catch.hpp>

#include "graph/config_parser.h"

using namespace ripple;
using namespace ripple::graph;

namespace {

ImageSpec api_image() {
  ImageSpec image;
  image.dockerfile = "docker/Dockerfile";
  image.context = ".";
  image.name = "api";
  image.build_args = {{"GO_VERSION", "1.22"}, {"NOTE", "it's"}};
  image.target = "runtime";
  image.platforms = {"linux/amd64", "linux/arm64"};
  return image;
}

ImagesConfig builder(const std::string& name) {
  ImagesConfig images;
  images.builder = name;
  return images;
}

}  // namespace

TEST_CASE("image task: each builder's command reads the reference from $RIPPLE_IMAGE") {
  CHECK(image_build_command(builder("docker"), api_image()) ==
        "docker build --file 'docker/Dockerfile' --tag \"$RIPPLE_IMAGE\" --build-arg "
        "'GO_VERSION=1.22' --build-arg 'NOTE=it'\\''s' --target 'runtime' --platform "
        "'linux/amd64,linux/arm64' '.'");
  ImageSpec plain;
  plain.dockerfile = "Dockerfile";
  plain.context = "..";
  CHECK(image_build_command(builder("buildah"), plain) ==
        "buildah bud --file 'Dockerfile' --tag \"$RIPPLE_IMAGE\" '..'");
  CHECK(image_build_command(builder("podman"), plain) ==
        "podman build --file 'Dockerfile' --tag \"$RIPPLE_IMAGE\" '..'");
}

TEST_CASE("image task: a command template gets every placeholder") {
  const ImagesConfig images = builder(
      "kaniko -f {dockerfile} -c {context} -d {ref} {build_args} {target} {platforms} n={name}");
  REQUIRE(check_builder(images).has_value());
  CHECK(image_build_command(images, api_image()) ==
        "kaniko -f 'docker/Dockerfile' -c '.' -d \"$RIPPLE_IMAGE\" --build-arg 'GO_VERSION=1.22' "
        "--build-arg 'NOTE=it'\\''s' 'runtime' 'linux/amd64,linux/arm64' n='api'");
  ImagesConfig unknown = builder("docker-buildx");
  unknown.builder_pos = SourcePos{"ripple.yaml", 9, 12};
  auto checked = check_builder(unknown);
  REQUIRE_FALSE(checked.has_value());
  CHECK_THAT(checked.error().message,
             Catch::StartsWith("ripple.yaml:9:12: images.builder 'docker-buildx' is neither"));
}

TEST_CASE("image task: after its own build, never cached") {
  const TaskSpec with_build = image_task_spec(builder("docker"), api_image(), {"**"}, true);
  CHECK(with_build.name == "image");
  CHECK_FALSE(with_build.cache);
  REQUIRE(with_build.deps.size() == 1);
  CHECK(with_build.deps[0].spelling() == "build");
  CHECK(with_build.inputs.empty());  // the service's inputs hold its Dockerfile
  const TaskSpec alone = image_task_spec(builder("docker"), api_image(), {"**"}, false);
  CHECK(alone.deps.empty());
  // A Dockerfile and .dockerignore outside the service directory are inputs too.
  ImageSpec outside = api_image();
  outside.dockerfile = "../docker/api.Dockerfile";
  outside.context = "..";
  const TaskSpec reads = image_task_spec(builder("docker"), outside, {"**", "!*.md"}, false);
  CHECK(reads.inputs == std::vector<std::string>{"**", "!*.md", "../docker/api.Dockerfile",
                                                 "../docker/api.Dockerfile.dockerignore",
                                                 "../.dockerignore"});
}

TEST_CASE("image task: the content tag and the reference") {
  const std::string key(64, 'a');
  CHECK(content_tag("0123456789abcdef0123456789abcdef") == "r-0123456789abcdef01234567");
  CHECK(content_tag(key).size() == 26);
  ImagesConfig images;
  CHECK(image_reference(images, "api", "r-1") == "api:r-1");
  images.registry = "registry.example.com/shop";
  CHECK(image_reference(images, "api", "r-1") == "registry.example.com/shop/api:r-1");
}

TEST_CASE("image task: a service with an image gets one unless it defines its own") {
  auto root = parse_root_config("tasks:\n  build: { run: make }\nimages: { builder: buildah }\n",
                                "ripple.yaml");
  REQUIRE(root.has_value());
  std::vector<ServiceSource> sources(3);
  sources[0].dir = *RepoPath::parse("api");
  sources[0].config = *parse_service_config("image: { name: acme-api }\n", "api/service.yaml");
  sources[1].dir = *RepoPath::parse("web");
  sources[1].config = *parse_service_config(
      "image: {}\ntasks:\n  image: { run: ./build-image.sh }\n", "web/service.yaml");
  sources[2].dir = *RepoPath::parse("lib");
  sources[2].config = *parse_service_config("", "lib/service.yaml");
  auto ws = Workspace::assemble(*root, std::move(sources));
  REQUIRE(ws.has_value());
  const ServiceSpec& api = ws->service(*ws->graph().find("api"));
  REQUIRE(api.tasks.count("image") == 1);
  CHECK(api.tasks.at("image").run == "buildah bud --file 'Dockerfile' --tag \"$RIPPLE_IMAGE\" '.'");
  CHECK(api.image->name == "acme-api");
  CHECK(format_pos(api.image->pos) == "api/service.yaml:1:1");
  CHECK(ws->service(*ws->graph().find("web")).tasks.at("image").run == "./build-image.sh");
  CHECK(ws->service(*ws->graph().find("lib")).tasks.count("image") == 0);

  auto bad_root = parse_root_config("images: { builder: docker-buildx }\n", "ripple.yaml");
  std::vector<ServiceSource> one(1);
  one[0].dir = *RepoPath::parse("api");
  one[0].config = *parse_service_config("image: {}\n", "api/service.yaml");
  auto bad = Workspace::assemble(*bad_root, std::move(one));
  REQUIRE_FALSE(bad.has_value());
  CHECK_THAT(bad.error().message, Catch::StartsWith("ripple.yaml:1:20: images.builder"));
}

TEST_CASE("image task: after the image tasks of the services whose images it builds on") {
  auto root = parse_root_config("tasks:\n  build: { run: make }\n", "ripple.yaml");
  REQUIRE(root.has_value());
  std::vector<ServiceSource> sources(3);
  sources[0].dir = *RepoPath::parse("base");
  sources[0].config = *parse_service_config("image: {}\n", "base/service.yaml");
  sources[1].dir = *RepoPath::parse("app");
  sources[1].config = *parse_service_config("deps: [base, lib]\nimage: {}\n", "app/service.yaml");
  // As the dockerfile rule finds them: base's image (with an image task), lib's (none: no image),
  // its own (a multi-stage build naming itself).
  const SourcePos from{"app/Dockerfile", 1, 6};
  sources[1].config.image->add_from("base", from);
  sources[1].config.image->add_from("lib", from);
  sources[1].config.image->add_from("app", from);
  sources[1].config.image->add_from("base", from);  // once
  sources[2].dir = *RepoPath::parse("lib");
  sources[2].config = *parse_service_config("", "lib/service.yaml");
  auto ws = Workspace::assemble(*root, std::move(sources));
  REQUIRE(ws.has_value());
  const TaskSpec& image = ws->service(*ws->graph().find("app")).tasks.at("image");
  std::vector<std::string> deps;
  for (const TaskDep& dep : image.deps) {
    deps.push_back(dep.spelling());
  }
  CHECK(deps == std::vector<std::string>{"build", "base#image"});
  // base's image builds on nothing of the workspace's.
  const TaskSpec& base = ws->service(*ws->graph().find("base")).tasks.at("image");
  REQUIRE(base.deps.size() == 1);
  CHECK(base.deps[0].spelling() == "build");
}

TEST_CASE("image task: each builder's push, and a push template") {
  const std::string built = "reg.example.com/api:r-1";
  CHECK(image_push_command(builder("docker"), built, built).value() ==
        "docker push 'reg.example.com/api:r-1'");
  CHECK(image_push_command(builder("docker"), built, "reg.example.com/api:latest").value() ==
        "docker tag 'reg.example.com/api:r-1' 'reg.example.com/api:latest' && docker push "
        "'reg.example.com/api:latest'");
  CHECK(image_push_command(builder("buildah"), built, built).value() ==
        "buildah push 'reg.example.com/api:r-1' 'reg.example.com/api:r-1'");
  // A loopback registry speaks plain HTTP: docker knows it, buildah and podman are told.
  CHECK(image_push_command(builder("buildah"), "127.0.0.1:5000/api:r-1", "127.0.0.1:5000/api:r-1")
            .value() ==
        "buildah push --tls-verify=false '127.0.0.1:5000/api:r-1' '127.0.0.1:5000/api:r-1'");
  CHECK(image_push_command(builder("podman"), "localhost:5000/api:r-1", "localhost:5000/api:v1")
            .value() ==
        "podman tag 'localhost:5000/api:r-1' 'localhost:5000/api:v1' && podman push "
        "--tls-verify=false 'localhost:5000/api:v1'");

  ImagesConfig templated = builder("kaniko --destination {ref}");
  templated.builder_pos = SourcePos{"ripple.yaml", 4, 12};
  auto missing = image_push_command(templated, built, built);
  REQUIRE_FALSE(missing.has_value());
  CHECK_THAT(missing.error().message,
             Catch::StartsWith("ripple.yaml:4:12: images.builder is a command template") &&
                 Catch::Contains("images.push"));
  templated.push = "skopeo copy containers-storage:{source} docker://{ref}";
  CHECK(image_push_command(templated, built, "reg.example.com/api:it's").value() ==
        "skopeo copy containers-storage:'reg.example.com/api:r-1' "
        "docker://'reg.example.com/api:it'\\''s'");

  ImagesConfig no_ref = builder("docker");
  no_ref.push = "docker push";
  no_ref.push_pos = SourcePos{"ripple.yaml", 5, 9};
  auto checked = check_builder(no_ref);
  REQUIRE_FALSE(checked.has_value());
  CHECK_THAT(checked.error().message,
             Catch::StartsWith("ripple.yaml:5:9: images.push 'docker push' "
                               "needs {ref}"));
}
