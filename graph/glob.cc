#include "graph/glob.h"

#include <string>
#include <vector>

namespace ripple::graph::glob {
namespace {

std::vector<std::string_view> split(std::string_view path) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) {
      end = path.size();
    }
    parts.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

// Matches a bracket expression at p[i] == '['; on success advances i past ']' and sets matched.
bool match_class(std::string_view p, std::size_t& i, char c, bool& matched) {
  std::size_t j = i + 1;
  bool negate = j < p.size() && (p[j] == '!' || p[j] == '^');
  if (negate) {
    ++j;
  }
  bool hit = false;
  bool first = true;
  while (j < p.size() && (p[j] != ']' || first)) {
    first = false;
    if (j + 2 < p.size() && p[j + 1] == '-' && p[j + 2] != ']') {
      if (p[j] <= c && c <= p[j + 2]) {
        hit = true;
      }
      j += 3;
    } else {
      if (p[j] == c) {
        hit = true;
      }
      ++j;
    }
  }
  if (j >= p.size()) {
    return false;  // unclosed: validate() reports it
  }
  i = j + 1;
  matched = hit != negate;
  return true;
}

// The first segment of `s` and the rest after its '/', without allocating.
std::string_view head(std::string_view s, std::string_view& rest, bool& last) {
  std::size_t slash = s.find('/');
  if (slash == std::string_view::npos) {
    rest = {};
    last = true;
    return s;
  }
  rest = s.substr(slash + 1);
  last = false;
  return s.substr(0, slash);
}

// `pat` and `path` are the remaining segments; `path_done` means no path segment is left.
bool match_rest(std::string_view pat, std::string_view path, bool path_done) {
  while (true) {
    std::string_view pat_rest;
    bool pat_last = false;
    std::string_view p = head(pat, pat_rest, pat_last);
    if (p == "**") {
      // Collapse runs of ** and try every split point of the remaining path.
      while (!pat_last) {
        std::string_view next_rest;
        bool next_last = false;
        std::string_view next = head(pat_rest, next_rest, next_last);
        if (next != "**") {
          break;
        }
        pat_rest = next_rest;
        pat_last = next_last;
      }
      if (pat_last) {
        return true;
      }
      std::string_view at = path;
      bool done = path_done;
      while (true) {
        if (match_rest(pat_rest, at, done)) {
          return true;
        }
        if (done) {
          return false;
        }
        std::string_view rest;
        bool last = false;
        head(at, rest, last);
        at = rest;
        done = last;
      }
    }
    if (path_done) {
      return false;
    }
    std::string_view path_rest;
    bool path_last = false;
    std::string_view s = head(path, path_rest, path_last);
    if (!match_segment(p, s)) {
      return false;
    }
    if (pat_last) {
      return path_last;
    }
    pat = pat_rest;
    path = path_rest;
    path_done = path_last;
  }
}

}  // namespace

bool match_segment(std::string_view p, std::string_view s) {
  std::size_t pi = 0;
  std::size_t si = 0;
  std::size_t star_p = std::string_view::npos;
  std::size_t star_s = 0;
  while (si < s.size()) {
    if (pi < p.size() && p[pi] == '*') {
      while (pi < p.size() && p[pi] == '*') {
        ++pi;
      }
      star_p = pi;
      star_s = si;
      continue;
    }
    if (pi < p.size()) {
      bool ok = false;
      std::size_t next = pi + 1;
      if (p[pi] == '?') {
        ok = true;
      } else if (p[pi] == '[') {
        std::size_t j = pi;
        bool matched = false;
        if (match_class(p, j, s[si], matched)) {
          ok = matched;
          next = j;
        } else {
          ok = p[pi] == s[si];
        }
      } else if (p[pi] == '\\' && pi + 1 < p.size()) {
        ok = p[pi + 1] == s[si];
        next = pi + 2;
      } else {
        ok = p[pi] == s[si];
      }
      if (ok) {
        pi = next;
        ++si;
        continue;
      }
    }
    if (star_p == std::string_view::npos) {
      return false;
    }
    pi = star_p;
    si = ++star_s;
  }
  while (pi < p.size() && p[pi] == '*') {
    ++pi;
  }
  return pi == p.size();
}

bool match(std::string_view pattern, std::string_view path) {
  // The commonest input pattern by far, a service's `**` rooted at its directory ("dir/**"):
  // a prefix test instead of a walk over segments. `**` also matches no segment, so "dir"
  // itself matches. Anything with a wildcard or an escape before the `**` takes the walk.
  if (pattern.size() > 3 && pattern.ends_with("/**")) {
    std::string_view dir = pattern.substr(0, pattern.size() - 3);
    if (dir.find_first_of("*?[\\") == std::string_view::npos) {
      return path.starts_with(dir) && (path.size() == dir.size() || path[dir.size()] == '/');
    }
  }
  return match_rest(pattern, path, false);
}

bool has_wildcard(std::string_view pattern) {
  return pattern.find_first_of("*?[") != std::string_view::npos;
}

Status validate(std::string_view pattern) {
  if (pattern.empty()) {
    return input_error("empty glob pattern");
  }
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '\\') {
      ++i;  // an escaped character is literal
      continue;
    }
    if (pattern[i] == '[') {
      std::size_t close = pattern.find(']', i + 2);
      if (close == std::string_view::npos) {
        return input_error("glob '" + std::string(pattern) +
                           "' has an unclosed '['; close it or escape it as '\\['");
      }
      i = close;
    }
  }
  return {};
}

bool may_match_below(std::string_view pattern, std::string_view dir) {
  if (dir.empty()) {
    return true;
  }
  std::vector<std::string_view> pat = split(pattern);
  std::vector<std::string_view> parts = split(dir);
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i >= pat.size()) {
      return false;
    }
    if (pat[i] == "**") {
      return true;
    }
    if (!match_segment(pat[i], parts[i])) {
      return false;
    }
  }
  return pat.size() > parts.size();
}

}  // namespace ripple::graph::glob
