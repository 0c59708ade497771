#include "orchestrator/dockerfile_inputs.h"

#include "graph/glob.h"
#include "rules/dockerignore.h"

namespace ripple {
namespace {

std::string in_context(const DockerBuild& build, const std::string& path) {
  return build.context.empty() ? path : build.context + "/" + path;
}

}  // namespace

Result<std::optional<IgnoreFile>> read_dockerignore(const Filesystem& fs, const std::string& root,
                                                    const DockerBuild& build) {
  for (const std::string& candidate :
       rules::dockerignore_candidates(build.dockerfile, build.context)) {
    if (fs.kind(path_join(root, candidate)) != FileKind::file) {
      continue;
    }
    auto text = fs.read_file(path_join(root, candidate));
    if (!text) {
      return tl::unexpected(text.error());
    }
    return std::optional(IgnoreFile{candidate, std::move(*text)});
  }
  return std::optional<IgnoreFile>();
}

std::vector<Located<std::string>> docker_build_inputs(const rules::DockerfileReads& reads,
                                                      const DockerBuild& build,
                                                      const std::optional<IgnoreFile>& ignore) {
  const SourcePos top{build.dockerfile, 1, 1};
  std::vector<Located<std::string>> out{{build.dockerfile, top}};
  if (reads.whole_context) {
    out.push_back({in_context(build, "**"), top});
  }
  for (const auto& source : reads.sources) {
    out.push_back({in_context(build, source.value), source.pos});
    out.push_back({in_context(build, source.value + "/**"), source.pos});
  }
  if (ignore) {
    const auto patterns = rules::dockerignore_patterns(ignore->text);
    const auto inputs = rules::dockerignore_inputs(patterns, build.context);
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      out.push_back({inputs[i], SourcePos{ignore->path, patterns[i].line, 1}});
    }
    out.push_back({build.dockerfile, top});
    out.push_back({ignore->path, SourcePos{ignore->path, 1, 1}});
  }
  return out;
}

void warn_missing_sources(const Filesystem& fs, const std::string& root,
                          const rules::DockerfileReads& reads, const DockerBuild& build,
                          std::vector<Diagnostic>& warnings) {
  for (const auto& source : reads.sources) {
    if (graph::glob::has_wildcard(source.value) ||
        fs.kind(path_join(root, in_context(build, source.value))) != FileKind::missing) {
      continue;
    }
    warnings.push_back(Diagnostic{
        at(source.pos,
           "'" + source.value + "' does not exist in the build context " +
               (build.context.empty() ? std::string("(the workspace root)") : build.context) +
               ": docker will fail to copy it")});
  }
}

}  // namespace ripple
