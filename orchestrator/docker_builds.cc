#include "orchestrator/docker_builds.h"

#include <map>

#include "orchestrator/dockerfile_inputs.h"
#include "rules/compose.h"
#include "rules/dockerfile.h"
#include "rules/skaffold.h"

namespace ripple {
namespace {

std::optional<std::string> read_if_file(const Filesystem& fs, const std::string& path,
                                        Status& trouble) {
  if (fs.kind(path) != FileKind::file) {
    return std::nullopt;
  }
  auto text = fs.read_file(path);
  if (!text) {
    trouble = tl::unexpected(text.error());
    return std::nullopt;
  }
  return std::move(*text);
}

// What a Compose service's (or skaffold artifact's) Dockerfile copies from its context becomes
// its inputs (rules/dockerfile.h): paths outside the service's directory (a shared pb/) included.
Status read_dockerfile(const Filesystem& fs, const std::string& root, rules::ComposeService& s,
                       std::vector<Located<std::string>>& images, InferredServices& out) {
  const std::string path = path_join(root, s.dockerfile);
  if (fs.kind(path) != FileKind::file) {
    out.warnings.push_back(
        Diagnostic{at(s.service.from.pos, "service '" + s.service.name + "' builds from " +
                                              s.dockerfile + ", which does not exist")});
    return {};
  }
  auto text = fs.read_file(path);
  if (!text) {
    return tl::unexpected(text.error());
  }
  const rules::DockerfileReads reads = rules::dockerfile_reads(*text, s.dockerfile);
  images = reads.images;
  const DockerBuild build{s.dockerfile, s.context};
  // A service only the docker rules make reads what its build sends: the effective
  // .dockerignore narrows it (merge_inferred drops the narrowing when another rule or a
  // service.yaml defines the service too).
  auto ignore = read_dockerignore(fs, root, build);
  if (!ignore) {
    return tl::unexpected(ignore.error());
  }
  auto inputs = docker_build_inputs(reads, build, *ignore);
  s.service.inputs.insert(s.service.inputs.end(), inputs.begin(), inputs.end());
  if (reads.whole_context && s.context.empty() && !*ignore) {
    out.warnings.push_back(Diagnostic{
        at(s.service.from.pos, "service '" + s.service.name +
                                   "' copies its whole context, the "
                                   "workspace root, and no .dockerignore narrows it: every change "
                                   "affects it")});
  }
  warn_missing_sources(fs, root, reads, build, out.warnings);
  return {};
}

// The services the workspace's Compose file builds (rules/compose.h), with the root's .env for
// its variables, into `builds`.
Status infer_compose(const Filesystem& fs, const std::string& root,
                     std::vector<rules::ComposeService>& builds, InferredServices& out) {
  Status trouble;
  for (const std::string& name : rules::compose_file_names()) {
    const auto text = read_if_file(fs, path_join(root, name), trouble);
    if (!trouble) {
      return trouble;
    }
    if (!text) {
      continue;
    }
    const auto dotenv = read_if_file(fs, path_join(root, ".env"), trouble);
    if (!trouble) {
      return trouble;
    }
    auto found = rules::compose_services(
        *text, name, dotenv ? rules::parse_dotenv(*dotenv) : std::map<std::string, std::string>());
    if (!found) {
      return tl::unexpected(found.error());
    }
    builds.insert(builds.end(), std::make_move_iterator(found->services.begin()),
                  std::make_move_iterator(found->services.end()));
    out.warnings.insert(out.warnings.end(), found->warnings.begin(), found->warnings.end());
    return {};  // the first of the names only, as Compose reads
  }
  return {};
}

// The artifacts the root skaffold.yaml builds (rules/skaffold.h), into `builds`.
Status infer_skaffold(const Filesystem& fs, const std::string& root,
                      std::vector<rules::ComposeService>& builds) {
  Status trouble;
  const auto text = read_if_file(fs, path_join(root, rules::kSkaffoldFile), trouble);
  if (!trouble || !text) {
    return trouble;
  }
  auto artifacts = rules::skaffold_artifacts(*text, rules::kSkaffoldFile);
  if (!artifacts) {
    return tl::unexpected(artifacts.error());
  }
  for (auto& a : *artifacts) {
    builds.push_back(rules::ComposeService{std::move(a.service), a.image, a.context, a.dockerfile});
  }
  return {};
}

// Reads the Dockerfile of each build (with `dockerfiles`, the dockerfile rule on) and makes the
// services: a Dockerfile that builds on another build's image depends on that service.
Status read_builds(const Filesystem& fs, const std::string& root, bool dockerfiles,
                   std::vector<rules::ComposeService>& builds, InferredServices& out) {
  // Which service builds each image, by repository (tags differ by variable).
  std::map<std::string, std::string> builders;
  for (const auto& s : builds) {
    if (!s.image.empty()) {
      builders.emplace(rules::image_repository(s.image), s.service.name);
      out.images.emplace(rules::image_repository(s.image), s.service.dir);
    }
  }
  for (auto& s : builds) {
    std::vector<Located<std::string>> images;
    if (dockerfiles && !s.dockerfile.empty()) {
      if (auto st = read_dockerfile(fs, root, s, images, out); !st) {
        return st;
      }
    }
    for (const auto& image : images) {
      auto builder = builders.find(rules::image_repository(image.value));
      if (builder != builders.end() && builder->second != s.service.name) {
        s.service.edges.push_back(rules::InferredEdge{
            builder->second, rules::Provenance{image.pos, rules::kDockerfileRule}});
      }
    }
    out.services.push_back(std::move(s.service));
  }
  return {};
}

}  // namespace

Status infer_docker_builds(const Filesystem& fs, const std::string& root, bool compose,
                           bool skaffold, bool dockerfiles, InferredServices& out) {
  std::vector<rules::ComposeService> builds;  // Compose services and skaffold artifacts
  if (compose) {
    if (auto st = infer_compose(fs, root, builds, out); !st) {
      return st;
    }
  }
  if (skaffold) {
    if (auto st = infer_skaffold(fs, root, builds); !st) {
      return st;
    }
  }
  return read_builds(fs, root, dockerfiles, builds, out);
}

}  // namespace ripple
