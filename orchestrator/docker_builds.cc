#include "orchestrator/docker_builds.h"

#include <map>
#include <optional>
#include <set>

#include "orchestrator/dockerfile_inputs.h"
#include "rules/compose.h"
#include "rules/dockerfile.h"
#include "rules/skaffold.h"

namespace ripple {
namespace {

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
  const rules::DockerfileReads reads = rules::dockerfile_reads(*text, s.dockerfile, s.build_args);
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

// The workspace's Compose project (rules/compose.h): the first of the Compose file names at the
// root and its override file, with the root's .env; then the projects it includes (each once,
// however deep), with their own env files over the root's variables. Into `builds`, each with
// the files of its project read whole (an included project's) in `files`.
Status infer_compose(const Filesystem& fs, const std::string& root,
                     std::vector<rules::ComposeService>& builds,
                     std::vector<std::vector<Located<std::string>>>& files, InferredServices& out) {
  Status trouble;
  auto first_of = [&](const std::vector<std::string>& names) -> std::optional<rules::ComposeLayer> {
    for (const std::string& name : names) {
      if (auto text = read_if_file(fs, path_join(root, name), trouble)) {
        return rules::ComposeLayer{std::move(*text), name};
      }
    }
    return std::nullopt;
  };
  std::optional<rules::ComposeLayer> main = first_of(rules::compose_file_names());
  if (!trouble) {
    return trouble;
  }
  if (!main) {
    return {};
  }
  std::vector<rules::ComposeLayer> layers{std::move(*main)};
  if (auto override = first_of(rules::compose_override_names())) {
    layers.push_back(std::move(*override));
  }
  const auto dotenv = read_if_file(fs, path_join(root, ".env"), trouble);
  if (!trouble) {
    return trouble;
  }
  const auto env = dotenv ? rules::parse_dotenv(*dotenv) : std::map<std::string, std::string>();
  auto found = rules::compose_services(layers, env);
  if (!found) {
    return tl::unexpected(found.error());
  }
  // The projects to read: this one, then what each includes.
  struct Project {
    rules::ComposeFile found;
    std::vector<Located<std::string>> files;  // an included project's files, read whole
  };
  std::vector<Project> projects;
  projects.push_back(Project{std::move(*found), {}});
  std::set<std::string> seen{layers.front().file};
  for (std::size_t next = 0; next < projects.size(); ++next) {
    for (const rules::ComposeInclude& include : projects[next].found.includes) {
      if (!seen.insert(include.files.front()).second) {
        continue;
      }
      std::vector<rules::ComposeLayer> included;
      std::vector<Located<std::string>> project_files;
      for (const std::string& file : include.files) {
        auto text = read_if_file(fs, path_join(root, file), trouble);
        if (!trouble) {
          return trouble;
        }
        if (!text) {
          return tl::unexpected(input_error(
              at(include.pos, "included file " + file + " does not exist; fix the path")));
        }
        included.push_back(rules::ComposeLayer{std::move(*text), file});
        project_files.push_back({file, include.pos});
      }
      auto project_env = env;
      for (const std::string& file : include.env_files) {
        if (auto text = read_if_file(fs, path_join(root, file), trouble)) {
          for (auto& [name, value] : rules::parse_dotenv(*text)) {
            project_env[name] = std::move(value);
          }
          project_files.push_back({file, include.pos});
        }
        if (!trouble) {
          return trouble;
        }
      }
      auto more = rules::compose_services(included, project_env);
      if (!more) {
        return tl::unexpected(more.error());
      }
      projects.push_back(Project{std::move(*more), std::move(project_files)});
    }
  }
  for (Project& project : projects) {
    for (auto& s : project.found.services) {
      builds.push_back(std::move(s));
      files.push_back(project.files);
    }
    out.warnings.insert(out.warnings.end(), project.found.warnings.begin(),
                        project.found.warnings.end());
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
    builds.push_back(rules::ComposeService{std::move(a.service), a.image, a.context, a.dockerfile,
                                           std::move(a.build_args), std::move(a.target)});
  }
  return {};
}

// Reads the Dockerfile of each build (with `dockerfiles`, the dockerfile rule on) and makes the
// services: a Dockerfile that builds on another build's image depends on that service.
Status read_builds(const Filesystem& fs, const std::string& root, bool dockerfiles,
                   std::vector<rules::ComposeService>& builds,
                   const std::vector<std::vector<Located<std::string>>>& files,
                   InferredServices& out) {
  // Which service builds each image, by repository (tags differ by variable).
  std::map<std::string, std::string> builders;
  for (const auto& s : builds) {
    if (!s.image.empty()) {
      builders.emplace(rules::image_repository(s.image), s.service.name);
      out.images.emplace(rules::image_repository(s.image), s.service.dir);
    }
  }
  for (std::size_t i = 0; i < builds.size(); ++i) {
    rules::ComposeService& s = builds[i];
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
    // The image it builds, for its `image` task: a Dockerfile of its own (not an inline one).
    if (!s.dockerfile.empty()) {
      s.service.image =
          rules::InferredImage{s.image.empty() ? std::string() : rules::image_repository(s.image),
                               s.dockerfile,
                               s.context,
                               s.build_args,
                               s.target,
                               s.service.from.pos};
    }
    // An included project's files are read whole by each of its services (after what its
    // .dockerignore leaves out: they are read from the project, not from the build context).
    if (i < files.size()) {
      s.service.inputs.insert(s.service.inputs.end(), files[i].begin(), files[i].end());
    }
    out.services.push_back(std::move(s.service));
  }
  return {};
}

}  // namespace

Status infer_docker_builds(const Filesystem& fs, const std::string& root, bool compose,
                           bool skaffold, bool dockerfiles, InferredServices& out) {
  std::vector<rules::ComposeService> builds;  // Compose services, then skaffold artifacts
  std::vector<std::vector<Located<std::string>>> files;  // by Compose service
  if (compose) {
    if (auto st = infer_compose(fs, root, builds, files, out); !st) {
      return st;
    }
  }
  if (skaffold) {
    if (auto st = infer_skaffold(fs, root, builds); !st) {
      return st;
    }
  }
  return read_builds(fs, root, dockerfiles, builds, files, out);
}

}  // namespace ripple
