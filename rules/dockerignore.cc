#include "rules/dockerignore.h"

#include <cctype>

#include "graph/glob.h"

namespace ripple::rules {
namespace {

std::string trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) {
    s.remove_prefix(1);
  }
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) {
    s.remove_suffix(1);
  }
  return std::string(s);
}

// Go's filepath.Clean for a relative or absolute '/' path: "." and empty elements dropped, ".."
// taking back the element before it ("..": kept at the front of a relative path).
std::string clean(std::string_view path) {
  const bool rooted = path.starts_with('/');
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) {
      end = path.size();
    }
    const std::string_view part = path.substr(start, end - start);
    start = end + 1;
    if (part.empty() || part == ".") {
      continue;
    }
    if (part == "..") {
      if (!parts.empty() && parts.back() != "..") {
        parts.pop_back();
      } else if (!rooted) {
        parts.emplace_back("..");
      }
      continue;
    }
    parts.emplace_back(part);
  }
  std::string out = rooted ? "/" : "";
  for (std::size_t i = 0; i < parts.size(); ++i) {
    out += (i == 0 ? "" : "/") + parts[i];
  }
  return out.empty() ? "." : out;
}

}  // namespace

std::vector<DockerignorePattern> dockerignore_patterns(std::string_view text) {
  std::vector<DockerignorePattern> out;
  int line_no = 0;
  for (std::size_t start = 0; start < text.size();) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) {
      end = text.size();
    }
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++line_no;
    if (line_no == 1 && line.starts_with("\xEF\xBB\xBF")) {
      line.remove_prefix(3);  // a UTF-8 byte order mark
    }
    if (line.starts_with('#')) {
      continue;  // only at the very start of the line, as BuildKit reads it
    }
    std::string pattern = trim(line);
    if (pattern.empty()) {
      continue;
    }
    DockerignorePattern p;
    p.line = line_no;
    if (pattern.front() == '!') {
      p.exception = true;
      pattern = trim(std::string_view(pattern).substr(1));
      if (pattern.empty()) {
        continue;
      }
    }
    pattern = clean(pattern);
    if (pattern.size() > 1 && pattern.front() == '/') {
      pattern.erase(0, 1);
    }
    if (pattern == "." || pattern == "/" || pattern == ".." || pattern.starts_with("../")) {
      continue;  // the context itself, or outside it: matches no file sent
    }
    p.glob = std::move(pattern);
    out.push_back(std::move(p));
  }
  return out;
}

std::vector<std::string> dockerignore_inputs(const std::vector<DockerignorePattern>& patterns,
                                             const std::string& context) {
  const std::string prefix = context.empty() ? std::string() : context + "/";
  std::vector<std::string> out;
  for (const DockerignorePattern& p : patterns) {
    std::string glob = p.glob;
    if (glob == "**" || glob.ends_with("/**")) {
      // Docker's trailing "**" needs at least one character more ("dir/**" is not "dir"); ours
      // matches no segment too, so one segment is asked for first.
      glob = glob.substr(0, glob.size() - 2) + "*/**";
    } else {
      glob += "/**";  // the path itself, or anything under it
    }
    if (!graph::glob::validate(glob)) {
      continue;  // an unclosed '[': Docker refuses the file at build time
    }
    out.push_back((p.exception ? "" : "!") + prefix + glob);
  }
  return out;
}

std::vector<std::string> dockerignore_candidates(const std::string& dockerfile,
                                                 const std::string& context) {
  return {dockerfile + ".dockerignore",
          context.empty() ? std::string(".dockerignore") : context + "/.dockerignore"};
}

}  // namespace ripple::rules
