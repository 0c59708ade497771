#include "orchestrator/prune_set.h"

#include <algorithm>
#include <set>

#include "orchestrator/dockerfile_inputs.h"
#include "orchestrator/manifest_files.h"

namespace ripple {
namespace {

constexpr std::uint32_t kGitlinkMode = 0160000;

// The index of `path` in the listing (sorted by path), if it lists it.
std::optional<std::size_t> listed(const InputIndex& index, std::string_view path) {
  const auto files = index.table.files();
  auto it = std::lower_bound(files.begin(), files.end(), path,
                             [](const InputFile& f, std::string_view p) { return f.path < p; });
  if (it == files.end() || it->path != path) {
    return std::nullopt;
  }
  return static_cast<std::size_t>(it - files.begin());
}

// `rel` (relative to the service directory `dir`) made workspace-relative; nothing when it
// leaves the workspace (the loader and `ripple images` report that).
std::optional<std::string> in_workspace(const RepoPath& dir, const std::string& rel) {
  auto joined = RepoPath::parse(dir.is_root() ? rel : dir.str() + "/" + rel);
  if (!joined || joined->is_root()) {
    return std::nullopt;
  }
  return joined->str();
}

std::string parent_of(std::string_view path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? std::string() : std::string(path.substr(0, slash));
}

}  // namespace

Result<PruneSet> prune_set(const Filesystem& fs, const LoadedWorkspace& loaded,
                           const InputIndex& index, std::span<const ServiceId> seeds,
                           std::span<const KeyParts> parts) {
  const graph::Workspace& ws = loaded.workspace;
  PruneSet out;
  out.services = ws.graph().transitive_deps(seeds);

  std::set<std::size_t> chosen;
  std::set<std::string> wanted;  // paths that count when listed
  for (ServiceId id : out.services) {
    const auto& files = index.services[id.value].files;
    chosen.insert(files.begin(), files.end());
    const graph::ServiceSpec& s = ws.service(id);
    wanted.insert(s.file);
    if (id.value < parts.size()) {
      for (const auto& [name, digest] : parts[id.value]) {
        const std::string file = name.substr(0, name.find('#'));
        wanted.insert(file);
        const std::string dir = parent_of(file);
        for (std::string_view companion : lockfile_companions(file)) {
          wanted.insert(dir.empty() ? std::string(companion) : dir + "/" + std::string(companion));
        }
      }
    }
    if (!s.image) {
      continue;
    }
    auto dockerfile = in_workspace(s.dir, s.image->dockerfile);
    auto context = in_workspace(s.dir, s.image->context);
    if (!dockerfile) {
      continue;
    }
    wanted.insert(*dockerfile);
    auto ignore = read_dockerignore(fs, loaded.root,
                                    DockerBuild{*dockerfile, context.value_or(std::string())});
    if (!ignore) {
      return tl::unexpected(ignore.error());
    }
    if (*ignore) {
      wanted.insert((*ignore)->path);
    }
  }
  chosen.insert(index.global_files.begin(), index.global_files.end());
  wanted.insert(kRootConfigName);
  for (const std::string& path : wanted) {
    if (auto i = listed(index, path)) {
      chosen.insert(*i);
    }
  }

  for (std::size_t i : chosen) {
    const InputFile& f = index.file(i);
    if (f.mode == kGitlinkMode) {
      out.submodules.emplace_back(f.path);
    } else {
      out.files.push_back(PrunedFile{std::string(f.path), f.mode});
    }
  }
  // Table indexes follow path order, so `out.files` is sorted already.
  return out;
}

}  // namespace ripple
