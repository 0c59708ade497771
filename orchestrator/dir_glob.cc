#include "orchestrator/dir_glob.h"

#include "graph/glob.h"

namespace ripple {
namespace {

bool searchable(const DirEntry& entry) {
  return entry.kind == FileKind::directory && entry.name.front() != '.' &&
         entry.name != "node_modules";
}

}  // namespace

std::vector<std::string> split_segments(const std::string& pattern) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= pattern.size()) {
    std::size_t end = pattern.find('/', start);
    if (end == std::string::npos) {
      end = pattern.size();
    }
    if (end > start) {
      out.push_back(pattern.substr(start, end - start));
    }
    start = end + 1;
  }
  return out;
}

Status DirGlobber::expand(const RepoPath& rel, const std::vector<std::string>& segments,
                          std::size_t i, std::set<RepoPath>& out, bool linked) {
  std::string abs = path_join(root_, rel.str());
  if (i == segments.size()) {
    out.insert(rel);
    if (linked) {
      linked_.insert(rel);
    }
    return {};
  }
  const std::string& segment = segments[i];
  if (!graph::glob::has_wildcard(segment)) {
    const std::string next = path_join(abs, segment);
    if (fs_.kind(next) == FileKind::directory) {
      return expand(rel.join(segment), segments, i + 1, out, linked || fs_.is_symlink(next));
    }
    return {};
  }
  auto entries = fs_.list_dir(abs);
  if (!entries) {
    return tl::unexpected(entries.error());
  }
  if (segment == "**") {
    if (auto st = expand(rel, segments, i + 1, out, linked); !st) {
      return st;
    }
    for (const DirEntry& entry : *entries) {
      if (searchable(entry)) {
        if (auto st = expand(rel.join(entry.name), segments, i, out, linked); !st) {
          return st;
        }
      }
    }
    return {};
  }
  for (const DirEntry& entry : *entries) {
    // A symlink to a directory counts for a one-level wildcard; `**` never follows links, so
    // a link cycle cannot trap the search.
    bool linked_dir = entry.kind == FileKind::symlink && entry.name.front() != '.' &&
                      fs_.kind(path_join(abs, entry.name)) == FileKind::directory;
    if ((searchable(entry) || linked_dir) && graph::glob::match_segment(segment, entry.name)) {
      if (auto st = expand(rel.join(entry.name), segments, i + 1, out, linked || linked_dir); !st) {
        return st;
      }
    }
  }
  return {};
}

}  // namespace ripple
