#include "orchestrator/input_index.h"

#include <algorithm>

#include "graph/glob.h"
#include "graph/input_matcher.h"

namespace ripple {

InputIndex build_input_index(const graph::Workspace& ws, std::vector<FileRecord> files) {
  InputIndex index;
  index.files = std::move(files);
  index.services.resize(ws.services().size());
  graph::InputMatcher matcher(ws);
  // A service's task outputs are never its inputs: building must not change the digest the
  // build's own key stands on.
  std::vector<std::vector<std::string>> outputs(ws.services().size());
  for (std::uint32_t s = 0; s < outputs.size(); ++s) {
    for (const auto& [name, task] : ws.service(ServiceId{s}).tasks) {
      outputs[s].insert(outputs[s].end(), task.outputs.begin(), task.outputs.end());
    }
  }
  auto is_output = [&](ServiceId id, const RepoPath& path) {
    const RepoPath& dir = ws.service(id).dir;
    if (outputs[id.value].empty() || !dir.contains(path)) {
      return false;
    }
    std::string rel = dir.relative(path);
    return std::any_of(outputs[id.value].begin(), outputs[id.value].end(),
                       [&](const std::string& g) { return graph::glob::match(g, rel); });
  };
  for (std::size_t i = 0; i < index.files.size(); ++i) {
    const RepoPath& path = index.files[i].path;
    if (matcher.ignored(path)) {
      continue;
    }
    if (matcher.global(path)) {
      index.global_files.push_back(i);
      continue;
    }
    for (ServiceId id : matcher.services_for(path)) {
      if (!is_output(id, path)) {
        index.services[id.value].files.push_back(i);
      }
    }
  }

  auto add_file = [&](cache::DigestBuilder& b, char tag, const std::string& path,
                      const FileRecord& f) {
    b.field(tag, path).field('m', std::uint64_t{f.mode}).field('i', f.id);
  };
  cache::DigestBuilder global;
  global.field('v', kInputDigestVersion);
  for (std::size_t i : index.global_files) {
    add_file(global, 'p', index.files[i].path.str(), index.files[i]);
  }
  index.global_digest = global.finish();

  for (std::uint32_t s = 0; s < index.services.size(); ++s) {
    const RepoPath& dir = ws.service(ServiceId{s}).dir;
    ServiceInputs& in = index.services[s];
    // Files are in path order already; inside and outside files get different tags so the
    // digest does not depend on how the two groups interleave.
    cache::DigestBuilder b;
    b.field('v', kInputDigestVersion);
    for (std::size_t i : in.files) {
      const FileRecord& f = index.files[i];
      if (dir.contains(f.path)) {
        add_file(b, 'p', dir.relative(f.path), f);
      }
    }
    for (std::size_t i : in.files) {
      const FileRecord& f = index.files[i];
      if (!dir.contains(f.path)) {
        add_file(b, 'o', f.path.str(), f);
      }
    }
    b.field('g', index.global_digest.hex());
    in.digest = b.finish();
  }
  return index;
}

}  // namespace ripple
