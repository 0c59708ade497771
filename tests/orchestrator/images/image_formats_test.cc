// The formats of `ripple images` (orchestrator/images/image_formats.h), and extra tags' ${VAR}s
// (run/image_executor.h).

#include "orchestrator/images/image_formats.h"

#include <catch2/catch.hpp>
#include <map>
#include <nlohmann/json.hpp>

#include "orchestrator/run/image_executor.h"

using namespace ripple;

namespace {

ImageListing image(const std::string& service, ImageStatus status, const std::string& digest) {
  ImageListing out;
  out.service = service;
  out.name = service;
  out.repository = "reg.example.com/shop/" + service;
  out.tag = "r-" + std::string(24, service[0] == 'a' ? 'a' : 'b');
  out.reference = out.repository + ":" + out.tag;
  out.dockerfile = "services/" + service + "/Dockerfile";
  out.context = "services/" + service;
  out.status = status;
  out.digest = digest;
  if (status == ImageStatus::build) {
    out.reason = "changed";
    out.why = "changed (services/" + service + "/main.go)";
  }
  return out;
}

const std::vector<ImageListing> kImages = {image("api", ImageStatus::build, ""),
                                           image("web", ImageStatus::reused, "sha256:0f")};

}  // namespace

TEST_CASE("image formats: the matrix and GitHub output hold only the images to build") {
  const nlohmann::json matrix = nlohmann::json::parse(format_images_github_matrix(kImages));
  REQUIRE(matrix["include"].size() == 1);
  CHECK(matrix["include"][0] == nlohmann::json{{"service", "api"},
                                               {"image", "api"},
                                               {"reference", kImages[0].reference},
                                               {"tag", kImages[0].tag},
                                               {"dockerfile", "services/api/Dockerfile"},
                                               {"context", "services/api"}});
  CHECK(format_images_github_output(kImages) ==
        "matrix=" + format_images_github_matrix(kImages) + "any=true\ncount=1\n");
  const std::vector<ImageListing> none = {kImages[1]};
  CHECK(format_images_github_output(none) == "matrix={\"include\":[]}\nany=false\ncount=0\n");
  CHECK(format_images_compose(kImages) == "api\n");
  CHECK(format_images_compose(none).empty());
}

TEST_CASE("image formats: skaffold's build output names every image, with its digest") {
  const nlohmann::json doc = nlohmann::json::parse(format_images_skaffold(kImages));
  REQUIRE(doc["builds"].size() == 2);
  CHECK(doc["builds"][0] == nlohmann::json{{"imageName", "reg.example.com/shop/api"},
                                           {"tag", kImages[0].reference},
                                           {"service", "api"},
                                           {"status", "build"}});
  CHECK(doc["builds"][1]["tag"] == kImages[1].reference + "@sha256:0f");
  CHECK(doc["builds"][1]["status"] == "reused");
}

TEST_CASE("image formats: text gives why an image is built, json everything") {
  std::vector<ImageListing> images = kImages;
  images.push_back(image("ab", ImageStatus::built, "sha256:1e"));
  const std::string text = format_images_text(images);
  CHECK(text == "api  build      " + images[0].reference + "  changed (services/api/main.go)\n" +
                    "web  reused     " + images[1].reference + "\n" + "ab   built      " +
                    images[2].reference + "  sha256:1e\n");
  const nlohmann::json doc = nlohmann::json::parse(format_images_json(images));
  CHECK(doc["version"] == 1);
  CHECK(doc["images"][0]["reason"] == "changed");
  CHECK_FALSE(doc["images"][0].contains("digest"));
  CHECK(doc["images"][2]["status"] == "built");
  CHECK(doc["images"][2]["digest"] == "sha256:1e");
}

TEST_CASE("extra tags: ${VAR} and $VAR from the environment, or left out") {
  const std::map<std::string, std::string> vars = {
      {"GITHUB_SHA", "0123abc"}, {"BRANCH", "feature/x"}, {"EMPTY", ""}, {"BAD", "a b"}};
  const EnvLookup env = [&](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    return it == vars.end() ? std::nullopt : std::optional(it->second);
  };
  CHECK(expand_extra_tag("latest", env) == "latest");
  CHECK(expand_extra_tag("sha-${GITHUB_SHA}", env) == "sha-0123abc");
  CHECK(expand_extra_tag("$GITHUB_SHA", env) == "0123abc");
  CHECK(expand_extra_tag("${BRANCH}", env) == "feature-x");  // '/' is no tag character
  CHECK_FALSE(expand_extra_tag("${UNSET}", env).has_value());
  CHECK_FALSE(expand_extra_tag("${EMPTY}", env).has_value());
  CHECK_FALSE(expand_extra_tag("${BAD}", env).has_value());
  CHECK_FALSE(expand_extra_tag("${OPEN", env).has_value());
  CHECK_FALSE(expand_extra_tag("-x", env).has_value());
  CHECK_FALSE(expand_extra_tag(std::string(129, 'a'), env).has_value());
}
