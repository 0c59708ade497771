#pragma once

// The formats of `ripple images` (docs/images.md), over the listing the command computed. Pure.
//
//   text           one line per image: service, status, reference, and why it is built
//   json           {"version": 1, "images": [...]}, every image with all it is known by
//   github-matrix  {"include": [{"service", "image", "reference", "tag", "dockerfile",
//                  "context"}]}, one line, of the images to build
//   github-output  `matrix=<github-matrix>`, `any=true|false`, `count=N`, for $GITHUB_OUTPUT
//   skaffold       skaffold's build output ({"builds": [{"imageName", "tag"}]}, tag as
//                  name:tag@digest when the digest is known) with "service" and "status"
//   compose        the service names of the images to build, one per line, for
//                  `docker compose build $(ripple images --format compose)`

#include <optional>
#include <string>
#include <vector>

namespace ripple {

enum class ImageStatus {
  build,      // the change (or the registry's lack of it) asks for it to be built
  unchanged,  // the change does not touch it
  reused,     // the registry holds its tag
  built,      // this run built and pushed it
};
const char* image_status_name(ImageStatus status);

struct ImageListing {
  std::string service;
  std::string name;        // the image's name, without registry or tag
  std::string repository;  // with the registry: "registry.example.com/shop/api"
  std::string tag;         // the content tag
  std::string reference;   // repository:tag
  std::string dockerfile;  // workspace-relative
  std::string context;     // workspace-relative
  ImageStatus status = ImageStatus::unchanged;
  std::optional<std::string> reason;  // the affected reason's name, when the change touched it
  std::string why;                    // text: why it is built ("changed (a/b.go)", …)
  std::string digest;                 // the registry's, when known
  std::vector<std::string> extra_tags;

  bool to_build() const { return status == ImageStatus::build; }
};

std::string format_images_text(const std::vector<ImageListing>& images);
std::string format_images_json(const std::vector<ImageListing>& images);
std::string format_images_github_matrix(const std::vector<ImageListing>& images);
std::string format_images_github_output(const std::vector<ImageListing>& images);
std::string format_images_skaffold(const std::vector<ImageListing>& images);
std::string format_images_compose(const std::vector<ImageListing>& images);

}  // namespace ripple
