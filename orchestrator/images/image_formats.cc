#include "orchestrator/images/image_formats.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace ripple {
namespace {

std::string matrix(const std::vector<ImageListing>& images) {
  nlohmann::ordered_json include = nlohmann::ordered_json::array();
  for (const ImageListing& image : images) {
    if (image.to_build()) {
      include.push_back({{"service", image.service},
                         {"image", image.name},
                         {"reference", image.reference},
                         {"tag", image.tag},
                         {"dockerfile", image.dockerfile},
                         {"context", image.context}});
    }
  }
  nlohmann::ordered_json doc;
  doc["include"] = std::move(include);
  return doc.dump() + "\n";
}

}  // namespace

const char* image_status_name(ImageStatus status) {
  switch (status) {
    case ImageStatus::build:
      return "build";
    case ImageStatus::unchanged:
      return "unchanged";
    case ImageStatus::reused:
      return "reused";
    case ImageStatus::built:
      return "built";
  }
  return "unchanged";
}

std::string format_images_text(const std::vector<ImageListing>& images) {
  std::size_t width = 0;
  for (const ImageListing& image : images) {
    width = std::max(width, image.service.size());
  }
  std::string out;
  for (const ImageListing& image : images) {
    const std::string status = image_status_name(image.status);
    out += image.service + std::string(width - image.service.size() + 2, ' ') + status +
           std::string(11 - status.size(), ' ') + image.reference;
    if (image.to_build()) {
      out += "  " + image.why;
    } else if (image.status == ImageStatus::built && !image.digest.empty()) {
      out += "  " + image.digest;
    }
    out += "\n";
  }
  return out;
}

std::string format_images_json(const std::vector<ImageListing>& images) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const ImageListing& image : images) {
    nlohmann::ordered_json entry;
    entry["service"] = image.service;
    entry["name"] = image.name;
    entry["tag"] = image.tag;
    entry["reference"] = image.reference;
    entry["dockerfile"] = image.dockerfile;
    entry["context"] = image.context;
    entry["status"] = image_status_name(image.status);
    if (image.reason) {
      entry["reason"] = *image.reason;
    }
    if (!image.digest.empty()) {
      entry["digest"] = image.digest;
    }
    entry["extra_tags"] = image.extra_tags;
    list.push_back(std::move(entry));
  }
  nlohmann::ordered_json doc;
  doc["version"] = 1;
  doc["images"] = std::move(list);
  return doc.dump(2) + "\n";
}

std::string format_images_github_matrix(const std::vector<ImageListing>& images) {
  return matrix(images);
}

std::string format_images_github_output(const std::vector<ImageListing>& images) {
  const auto count = std::count_if(images.begin(), images.end(),
                                   [](const ImageListing& image) { return image.to_build(); });
  return "matrix=" + matrix(images) + "any=" + (count > 0 ? "true" : "false") +
         "\ncount=" + std::to_string(count) + "\n";
}

std::string format_images_skaffold(const std::vector<ImageListing>& images) {
  nlohmann::ordered_json builds = nlohmann::ordered_json::array();
  for (const ImageListing& image : images) {
    builds.push_back(
        {{"imageName", image.repository},
         {"tag", image.digest.empty() ? image.reference : image.reference + "@" + image.digest},
         {"service", image.service},
         {"status", image_status_name(image.status)}});
  }
  nlohmann::ordered_json doc;
  doc["builds"] = std::move(builds);
  return doc.dump() + "\n";
}

std::string format_images_compose(const std::vector<ImageListing>& images) {
  std::string out;
  for (const ImageListing& image : images) {
    if (image.to_build()) {
      out += image.service + "\n";
    }
  }
  return out;
}

}  // namespace ripple
