#include "orchestrator/inputs/input_index.h"

#include <algorithm>

#include "graph/input_matcher.h"
#include "orchestrator/platform/parallel.h"

namespace ripple {
namespace {

// The directory part of a path ("" at the root).
std::string_view dir_of(std::string_view path) {
  std::size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? std::string_view() : path.substr(0, slash);
}

void add_file(cache::DigestBuilder& b, char tag, std::string_view path, const InputFile& f) {
  b.field(tag, path).field('m', std::uint64_t{f.mode}).field('i', f.id);
}

}  // namespace

cache::Digest128 inputs_digest(std::string_view dir, std::span<const InputFile> files,
                               const std::vector<std::size_t>& chosen,
                               const std::string& global_hex) {
  // Files are in path order already; inside and outside files get different tags so the digest
  // does not depend on how the two groups interleave.
  cache::DigestBuilder b;
  b.field('v', kInputDigestVersion);
  for (std::size_t i : chosen) {
    if (RepoPath::contains(dir, files[i].path)) {
      add_file(b, 'p', RepoPath::relative(dir, files[i].path), files[i]);
    }
  }
  for (std::size_t i : chosen) {
    if (!RepoPath::contains(dir, files[i].path)) {
      add_file(b, 'o', files[i].path, files[i]);
    }
  }
  b.field('g', global_hex);
  return b.finish();
}

InputIndex build_input_index(const graph::Workspace& ws, std::span<const InputFile> files) {
  InputIndex index;
  index.services.resize(ws.services().size());
  // Task outputs are nobody's inputs (InputMatcher::services_for): building must not change the
  // digest the build's own key stands on.
  graph::InputMatcher matcher(ws);
  // Files are assigned in chunks on all cores; each chunk's (service, file) pairs come out in
  // file order, and chunks are joined in order, so every list stays sorted by path. Within a
  // chunk the files of one directory are consecutive: its owner is looked up once, not once per
  // file.
  constexpr std::size_t kChunk = 4096;
  const std::size_t chunks = (files.size() + kChunk - 1) / kChunk;
  struct Assigned {
    std::vector<std::pair<std::uint32_t, std::size_t>> inputs;  // (service, file)
    std::vector<std::size_t> global;
  };
  std::vector<Assigned> assigned(chunks);
  parallel_for(std::size_t{0}, chunks, [&](std::size_t c) {
    Assigned& out = assigned[c];
    std::string_view owner_dir;
    std::optional<ServiceId> owner = matcher.owner_of_dir(owner_dir);
    std::vector<ServiceId> services;
    for (std::size_t i = c * kChunk; i < std::min(files.size(), (c + 1) * kChunk); ++i) {
      std::string_view path = files[i].path;
      if (matcher.ignored(path)) {
        continue;
      }
      if (matcher.global(path)) {
        out.global.push_back(i);
        continue;
      }
      if (std::string_view dir = dir_of(path); dir != owner_dir) {
        owner_dir = dir;
        owner = matcher.owner_of_dir(dir);
      }
      matcher.services_for(path, owner, services);
      for (ServiceId id : services) {
        out.inputs.emplace_back(id.value, i);
      }
    }
  });
  for (Assigned& a : assigned) {
    for (auto [service, file] : a.inputs) {
      index.services[service].files.push_back(file);
    }
    index.global_files.insert(index.global_files.end(), a.global.begin(), a.global.end());
  }

  cache::DigestBuilder global;
  global.field('v', kInputDigestVersion);
  for (std::size_t i : index.global_files) {
    add_file(global, 'p', files[i].path, files[i]);
  }
  index.global_digest = global.finish();
  const std::string global_hex = index.global_digest.hex();

  parallel_for(
      std::uint32_t{0}, static_cast<std::uint32_t>(index.services.size()), [&](std::uint32_t s) {
        ServiceInputs& in = index.services[s];
        in.digest = inputs_digest(ws.service(ServiceId{s}).dir.str(), files, in.files, global_hex);
      });
  return index;
}

InputIndex build_input_index(const graph::Workspace& ws, FileTable files) {
  InputIndex index = build_input_index(ws, files.files());
  index.table = std::move(files);
  return index;
}

InputIndex build_input_index(const graph::Workspace& ws, std::vector<FileRecord> files) {
  return build_input_index(ws, FileTable::of(std::move(files)));
}

}  // namespace ripple
