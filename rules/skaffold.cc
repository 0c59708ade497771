#include "rules/skaffold.h"

#include <yaml-cpp/yaml.h>

#include <map>

#include "rules/dockerfile.h"

namespace ripple::rules {
namespace {

SourcePos pos_of(const YAML::Node& node, const std::string& file) {
  return SourcePos{file, node.Mark().line + 1, node.Mark().column + 1};
}

std::string parent_of(const std::string& file) {
  const std::size_t slash = file.rfind('/');
  return slash == std::string::npos ? std::string() : file.substr(0, slash);
}

Error shape(const YAML::Node& node, const std::string& file, const std::string& message) {
  return Error{ErrorKind::input,
               at(pos_of(node, file),
                  message + "; fix the file, or leave the skaffold rule out of 'discover:'")};
}

// The last path element of an image's repository: "gcr.io/shop/cart:1" → "cart".
std::string image_name(const std::string& image) {
  const std::string repo = image_repository(image);
  return repo.substr(repo.rfind('/') + 1);
}

struct Found {
  SkaffoldArtifact artifact;
  std::vector<std::pair<std::string, SourcePos>> requires_images;
};

Result<std::vector<SkaffoldArtifact>> read_artifacts(std::string_view text,
                                                     const std::string& file) {
  std::vector<YAML::Node> docs;
  try {
    docs = YAML::LoadAll(std::string(text));
  } catch (const YAML::Exception& e) {
    return input_error(at(SourcePos{file, e.mark.line + 1, e.mark.column + 1},
                          "not valid YAML (" + e.msg +
                              "); fix the file, or leave the skaffold rule out of 'discover:'"));
  }
  const std::string base = parent_of(file);
  auto string_of = [&](const YAML::Node& node, const std::string& what) -> Result<std::string> {
    if (!node.IsScalar()) {
      return tl::unexpected(shape(node, file, "'" + what + "' must be a string"));
    }
    return node.Scalar();
  };
  auto inside = [&](const std::string& rel, const YAML::Node& where,
                    const std::string& what) -> Result<std::string> {
    auto parsed = RepoPath::parse(base.empty() ? rel : base + "/" + rel);
    if (!parsed || rel.starts_with('/')) {
      return tl::unexpected(
          shape(where, file, what + " '" + rel + "' must be a path inside the workspace"));
    }
    return parsed->str();
  };
  std::vector<Found> found;
  std::map<std::string, std::size_t> by_image;  // repository → artifact
  for (const YAML::Node& doc : docs) {
    const YAML::Node& root = doc;  // const: a missing key is looked up, never added
    if (!root.IsMap() || !root["build"]) {
      continue;
    }
    const YAML::Node build = root["build"];
    if (!build.IsMap()) {
      return tl::unexpected(shape(build, file, "'build' must be a mapping"));
    }
    const YAML::Node artifacts = build["artifacts"];
    if (!artifacts) {
      continue;
    }
    if (!artifacts.IsSequence()) {
      return tl::unexpected(shape(artifacts, file, "'build.artifacts' must be a list"));
    }
    for (const YAML::Node& a : artifacts) {
      if (!a.IsMap()) {
        return tl::unexpected(shape(a, file, "an artifact must be a mapping with an 'image'"));
      }
      if (!a["image"]) {
        return tl::unexpected(shape(a, file, "an artifact needs an 'image'"));
      }
      auto image = string_of(a["image"], "image");
      if (!image) {
        return tl::unexpected(image.error());
      }
      Found f;
      f.artifact.image = *image;
      std::string context_rel = ".";
      if (a["context"]) {
        auto c = string_of(a["context"], "context");
        if (!c) {
          return tl::unexpected(c.error());
        }
        context_rel = *c;
      }
      auto context = inside(context_rel, a["context"] ? a["context"] : a, "context");
      if (!context) {
        return tl::unexpected(context.error());
      }
      f.artifact.context = *context;
      std::string dockerfile_rel = "Dockerfile";
      bool docker = true;
      for (const char* other : {"jib", "bazel", "buildpacks", "custom", "ko"}) {
        docker = docker && !a[other];
      }
      for (const char* builder : {"docker", "kaniko"}) {
        const YAML::Node b = a[builder];
        if (!b) {
          continue;
        }
        docker = true;
        if (!b.IsMap()) {
          return tl::unexpected(shape(b, file, "'" + std::string(builder) + "' must be a mapping"));
        }
        if (b["dockerfile"]) {
          auto d = string_of(b["dockerfile"], "dockerfile");
          if (!d) {
            return tl::unexpected(d.error());
          }
          dockerfile_rel = *d;
        }
        if (b["target"] && b["target"].IsScalar()) {
          f.artifact.target = b["target"].Scalar();
        }
        // Build args with a literal value (a {{template}} is skaffold's to fill: left out).
        if (const YAML::Node args = b["buildArgs"]; args && args.IsMap()) {
          for (const auto& arg : args) {
            if (arg.second.IsScalar() && arg.second.Scalar().find("{{") == std::string::npos) {
              f.artifact.build_args[arg.first.Scalar()] = arg.second.Scalar();
            }
          }
        }
      }
      if (docker) {
        auto dockerfile = inside(
            f.artifact.context.empty() ? dockerfile_rel : f.artifact.context + "/" + dockerfile_rel,
            a, "dockerfile");
        if (!dockerfile) {
          return tl::unexpected(dockerfile.error());
        }
        f.artifact.dockerfile = *dockerfile;
      }
      if (const YAML::Node req = a["requires"]) {
        if (!req.IsSequence()) {
          return tl::unexpected(shape(req, file, "'requires' must be a list"));
        }
        for (const YAML::Node& r : req) {
          if (!r.IsMap() || !r["image"]) {
            return tl::unexpected(shape(r, file, "a 'requires' entry needs an 'image'"));
          }
          auto required = string_of(r["image"], "image");
          if (!required) {
            return tl::unexpected(required.error());
          }
          f.requires_images.emplace_back(*required, pos_of(r["image"], file));
        }
      }
      f.artifact.service.name = image_name(*image);
      f.artifact.service.from = Provenance{pos_of(a["image"], file), kSkaffoldRule};
      const std::string repo = image_repository(*image);
      if (!by_image.emplace(repo, found.size()).second) {
        return tl::unexpected(
            shape(a["image"], file, "two artifacts build the image '" + repo + "'"));
      }
      found.push_back(std::move(f));
    }
  }
  std::map<std::string, int> contexts;  // how many artifacts share each context
  for (const Found& f : found) {
    ++contexts[f.artifact.context];
  }
  std::vector<std::string> names;
  for (const Found& f : found) {
    names.push_back(f.artifact.service.name);
  }
  std::vector<SkaffoldArtifact> out;
  for (Found& f : found) {
    SkaffoldArtifact& a = f.artifact;
    std::string dir = a.context;
    if ((dir.empty() || contexts[dir] > 1) && !a.dockerfile.empty()) {
      dir = parent_of(a.dockerfile);
    }
    a.service.dir = RepoPath::parse(dir).value_or(RepoPath());
    for (const auto& [image, pos] : f.requires_images) {
      auto it = by_image.find(image_repository(image));
      if (it != by_image.end()) {
        a.service.edges.push_back(InferredEdge{names[it->second], Provenance{pos, kSkaffoldRule}});
      }
    }
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace

Result<std::vector<SkaffoldArtifact>> skaffold_artifacts(std::string_view text,
                                                         const std::string& file) {
  try {
    return read_artifacts(text, file);
  } catch (const YAML::Exception& e) {  // a shape yaml-cpp refuses to walk
    return input_error(at(SourcePos{file, e.mark.line + 1, e.mark.column + 1},
                          e.msg + "; fix the file, or leave the skaffold rule out of 'discover:'"));
  }
}

}  // namespace ripple::rules
