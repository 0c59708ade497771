#include "graph/support/repo_path.h"

#include <vector>

namespace ripple {

// Paths from git's index always are normal, and skip the general rewrite.
bool RepoPath::is_normal(std::string_view text) {
  if (text.empty()) {
    return true;
  }
  if (text.front() == '/' || text.back() == '/') {
    return false;
  }
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('/', start);
    if (end == std::string_view::npos) {
      end = text.size();
    }
    std::string_view part = text.substr(start, end - start);
    if (part.empty() || part == "." || part == "..") {
      return false;
    }
    start = end + 1;
  }
  return true;
}

Result<RepoPath> RepoPath::parse(std::string_view text) {
  if (is_normal(text)) {
    return RepoPath(std::string(text));
  }
  if (!text.empty() && text.front() == '/') {
    return input_error("path '" + std::string(text) + "' must be relative to the workspace root");
  }
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('/', start);
    if (end == std::string_view::npos) {
      end = text.size();
    }
    std::string_view part = text.substr(start, end - start);
    if (part == "..") {
      if (parts.empty()) {
        return input_error("path '" + std::string(text) + "' leaves the workspace");
      }
      parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    start = end + 1;
  }
  std::string out;
  for (std::string_view part : parts) {
    if (!out.empty()) {
      out += '/';
    }
    out += part;
  }
  return RepoPath(std::move(out));
}

std::string_view RepoPath::name() const {
  std::size_t slash = path_.rfind('/');
  return slash == std::string::npos ? std::string_view(path_)
                                    : std::string_view(path_).substr(slash + 1);
}

RepoPath RepoPath::parent() const {
  std::size_t slash = path_.rfind('/');
  return slash == std::string::npos ? RepoPath() : RepoPath(path_.substr(0, slash));
}

RepoPath RepoPath::join(std::string_view child) const {
  if (child.empty()) {
    return *this;
  }
  if (path_.empty()) {
    return RepoPath(std::string(child));
  }
  return RepoPath(path_ + "/" + std::string(child));
}

bool RepoPath::contains(const RepoPath& other) const { return contains(path_, other.path_); }

std::string RepoPath::relative(const RepoPath& other) const {
  return std::string(relative(path_, other.path_));
}

bool RepoPath::contains(std::string_view dir, std::string_view other) {
  if (dir.empty()) {
    return true;
  }
  if (!other.starts_with(dir)) {
    return false;
  }
  return other.size() == dir.size() || other[dir.size()] == '/';
}

std::string_view RepoPath::relative(std::string_view dir, std::string_view other) {
  if (dir.empty()) {
    return other;
  }
  if (other.size() == dir.size()) {
    return {};
  }
  return other.substr(dir.size() + 1);
}

}  // namespace ripple
