#include "orchestrator/service_dockerfiles.h"

#include <sys/stat.h>

#include <algorithm>

#include "graph/glob.h"
#include "orchestrator/dockerfile_inputs.h"
#include "orchestrator/platform/parallel.h"
#include "orchestrator/platform/real_filesystem.h"
#include "rules/discovery.h"
#include "rules/dockerfile.h"
#include "rules/inferred_codec.h"

namespace ripple {
namespace {

// A Dockerfile's reads kept in the snapshot as a rules::InferredService (its codec): sources as
// inputs, "." for the whole context, images as edges.
constexpr const char* kWholeContext = ".";

std::string encode_reads(const rules::DockerfileReads& reads) {
  rules::InferredService s;
  s.from.rule = rules::kDockerfileRule;
  s.inputs = reads.sources;
  if (reads.whole_context) {
    s.inputs.push_back({kWholeContext, SourcePos{}});
  }
  for (const auto& image : reads.images) {
    s.edges.push_back(rules::InferredEdge{image.value, {image.pos, rules::kDockerfileRule}});
  }
  return rules::encode_inferred(std::optional(std::move(s)));
}

std::optional<rules::DockerfileReads> decode_reads(std::string_view bytes,
                                                   const std::string& file) {
  auto decoded = rules::decode_inferred(bytes, file, RepoPath());
  if (!decoded || !*decoded) {
    return std::nullopt;
  }
  rules::DockerfileReads reads;
  for (auto& input : (*decoded)->inputs) {
    if (input.value == kWholeContext) {
      reads.whole_context = true;
    } else {
      reads.sources.push_back(std::move(input));
    }
  }
  for (auto& edge : (*decoded)->edges) {
    reads.images.push_back({std::move(edge.target), edge.from.pos});
  }
  return reads;
}

std::string name_of(const graph::ServiceSource& source) {
  return source.config.name ? source.config.name->value : std::string(source.dir.name());
}

// A workspace-relative glob as seen from `dir` ("pb/**" from "src/pay" is "../../pb/**").
std::string relative_to(const RepoPath& dir, const std::string& glob) {
  std::string up;
  for (std::size_t i = 0; !dir.str().empty() && i <= dir.str().size(); ++i) {
    up += i == dir.str().size() || dir.str()[i] == '/' ? "../" : "";
  }
  return up + glob;
}

struct Found {
  std::optional<DockerBuild> build;
  std::optional<rules::DockerfileReads> reads;
  Status trouble;
  std::vector<Diagnostic> warnings;
};

// Whether workspace-relative `path` is under a task output of `source` (its own tasks' or the
// templates' `outputs`, relative to its directory).
bool task_output(const graph::ServiceSource& source, const graph::TaskConfigs& templates,
                 const std::string& path) {
  if (!RepoPath::contains(source.dir.str(), path)) {
    return false;
  }
  const std::string_view rel = RepoPath::relative(source.dir.str(), path);
  for (const auto* tasks : {&source.config.tasks, &templates}) {
    for (const auto& [name, task] : *tasks) {
      for (const auto& glob : task.outputs.value_or(graph::LocatedStrings{})) {
        std::string g = glob.value;
        while (g.starts_with("./")) {
          g.erase(0, 2);
        }
        if (g.ends_with('/')) {
          g += "**";
        }
        if (graph::glob::match(g, rel) || graph::glob::match(g, std::string(rel) + "/x")) {
          return true;
        }
      }
    }
  }
  return false;
}

}  // namespace

Status read_service_dockerfiles(const Filesystem& fs, const std::string& root,
                                const graph::RootConfig& config, const std::set<RepoPath>& built,
                                const std::map<std::string, RepoPath>& images,
                                std::vector<graph::ServiceSource>& sources, StatSnapshot* configs,
                                std::vector<Diagnostic>& warnings) {
  // Which service builds each image, by repository.
  std::map<std::string, std::string> builders;
  std::map<RepoPath, std::string> by_dir;
  for (const auto& source : sources) {
    by_dir.emplace(source.dir, name_of(source));
    if (source.config.image) {
      const std::string image =
          rules::image_repository(source.config.image->name.value_or(name_of(source)));
      builders.emplace(image, name_of(source));
      if (const auto& registry = config.images.registry) {
        builders.emplace(*registry + "/" + image, name_of(source));
      }
    }
  }
  for (const auto& [image, dir] : images) {
    if (auto it = by_dir.find(dir); it != by_dir.end()) {
      builders.emplace(image, it->second);
    }
  }
  std::vector<Found> found(sources.size());
  std::optional<DirHandle> root_dir;
  if (configs != nullptr) {
    root_dir.emplace(root);
  }
  parallel_for(std::size_t{0}, sources.size(), [&](std::size_t i) {
    const graph::ServiceSource& source = sources[i];
    if (built.count(source.dir) != 0 ||
        !rules::rule_applies(source.config.discover, rules::kDockerfileRule)) {
      return;  // read by the Compose or skaffold rule, or the rule is off for it
    }
    const auto& image = source.config.image;
    auto in_dir = [&](const std::string& rel) {
      return RepoPath::parse(source.dir.str().empty() ? rel : source.dir.str() + "/" + rel);
    };
    auto dockerfile = in_dir(image ? image->dockerfile : std::string("Dockerfile"));
    auto context = in_dir(image ? image->context : std::string("."));
    if (!dockerfile || !context) {
      return;  // outside the workspace: nothing ripple can watch
    }
    Found& f = found[i];
    const DockerBuild build{dockerfile->str(), context->str()};
    // The build args substitute into what it reads: they are part of what is remembered.
    const std::map<std::string, std::string> no_args;
    const auto& build_args = image ? image->build_args : no_args;
    std::string key = "dockerfile:" + build.dockerfile;
    for (const auto& [arg, value] : build_args) {
      key += "\n" + arg + "=" + value;
    }
    std::optional<cache::FileStat> st;
    if (configs != nullptr) {
      st = stat_path_at(root_dir->fd(), build.dockerfile);
      if (st && !S_ISREG(st->mode)) {
        st.reset();  // a directory named Dockerfile
      }
    } else if (fs.kind(path_join(root, build.dockerfile)) == FileKind::file) {
      st.emplace();
    }
    if (!st) {
      if (image) {
        f.warnings.push_back(
            Diagnostic{at(image->pos, "service '" + name_of(source) + "' builds its image from " +
                                          build.dockerfile + ", which does not exist")});
      }
      return;
    }
    f.build = build;
    if (configs != nullptr) {
      if (auto bytes = configs->lookup(key, *st)) {
        f.reads = decode_reads(*bytes, build.dockerfile);
      }
    }
    if (!f.reads) {
      const std::int64_t read_at = cache::now_ns();
      auto text = configs != nullptr ? read_file_of_size(root_dir->fd(), build.dockerfile, st->size,
                                                         path_join(root, build.dockerfile))
                                     : fs.read_file(path_join(root, build.dockerfile));
      if (!text) {
        f.trouble = tl::unexpected(text.error());
        return;
      }
      f.reads = rules::dockerfile_reads(*text, build.dockerfile, build_args);
      if (configs != nullptr && cache::settled(*st, read_at)) {
        configs->remember(key, *st, read_at, encode_reads(*f.reads));
      }
    }
    rules::DockerfileReads checked = *f.reads;  // what it copies that no task makes
    std::erase_if(checked.sources, [&](const Located<std::string>& s) {
      return task_output(source, config.tasks,
                         build.context.empty() ? s.value : build.context + "/" + s.value);
    });
    warn_missing_sources(fs, root, checked, build, f.warnings);
  });
  // A service whose directory holds a Dockerfile and whose service.yaml has no `image:` builds
  // an image all the same: named as the service, from its directory (docs/images.md).
  for (std::size_t i = 0; i < sources.size(); ++i) {
    graph::ServiceSource& source = sources[i];
    if (found[i].trouble && found[i].reads && !source.config.image) {
      graph::ImageConfig image;
      image.pos = SourcePos{found[i].build->dockerfile, 1, 1};
      source.config.image = std::move(image);
      const std::string name = name_of(source);
      builders.emplace(name, name);
      if (const auto& registry = config.images.registry) {
        builders.emplace(*registry + "/" + name, name);
      }
    }
  }
  for (std::size_t i = 0; i < sources.size(); ++i) {
    Found& f = found[i];
    if (!f.trouble) {
      return f.trouble;
    }
    warnings.insert(warnings.end(), f.warnings.begin(), f.warnings.end());
    if (!f.reads) {
      continue;
    }
    graph::ServiceSource& source = sources[i];
    const std::string self = name_of(source);
    // What it reads outside its directory, relative to it; with an image, the .dockerignore
    // files BuildKit would read too (an edit to one changes the image, so it affects the service).
    auto outside = docker_build_inputs(*f.reads, *f.build, std::nullopt);
    if (source.config.image) {
      const SourcePos& pos = source.config.image->pos;
      outside.push_back({f.build->dockerfile + ".dockerignore", pos});
      outside.push_back(
          {f.build->context.empty() ? ".dockerignore" : f.build->context + "/.dockerignore", pos});
    }
    for (const auto& input : outside) {
      if (RepoPath::contains(source.dir.str(), input.value)) {
        continue;  // "**" has it (a service.yaml's own `inputs:` decide inside)
      }
      if (!source.config.inputs) {
        source.config.inputs = graph::LocatedStrings{{"**", input.pos}};
      }
      std::string relative = relative_to(source.dir, input.value);
      auto& inputs = *source.config.inputs;
      if (std::none_of(inputs.begin(), inputs.end(),
                       [&](const graph::LocatedString& s) { return s.value == relative; })) {
        inputs.push_back({std::move(relative), input.pos});
      }
    }
    for (const auto& image : f.reads->images) {
      auto builder = builders.find(rules::image_repository(image.value));
      if (builder == builders.end() || builder->second == self) {
        continue;
      }
      if (std::none_of(source.config.deps.begin(), source.config.deps.end(),
                       [&](const graph::LocatedString& d) { return d.value == builder->second; })) {
        source.config.deps.push_back({builder->second, image.pos});
      }
      // Its image builds on that one's: the image task runs after it (graph::ImageConfig::from).
      if (source.config.image) {
        source.config.image->add_from(builder->second, image.pos);
      }
    }
  }
  return {};
}

}  // namespace ripple
