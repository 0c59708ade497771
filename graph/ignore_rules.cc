#include "graph/ignore_rules.h"

#include "graph/glob.h"

namespace ripple::graph {
namespace {

// git's trim_trailing_spaces (dir.c): trailing spaces go unless the last of them is escaped with
// a backslash ("name\ " keeps one space). Tabs and other blanks stay: they are part of the name.
void trim_trailing_spaces(std::string& line) {
  std::size_t keep = line.size();
  bool in_spaces = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == ' ') {
      if (!in_spaces) {
        keep = i;
        in_spaces = true;
      }
      continue;
    }
    if (line[i] == '\\') {
      ++i;  // the escaped character, whatever it is, is kept
    }
    in_spaces = false;
  }
  if (in_spaces) {
    line.resize(keep);
  }
}

}  // namespace

void IgnoreRules::add(const RepoPath& dir, std::string_view text) {
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) {
      end = text.size();
    }
    std::string line(text.substr(start, end - start));
    start = end + 1;
    // As git reads an ignore file: one CR before the LF goes (CRLF files), then unescaped
    // trailing spaces.
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    trim_trailing_spaces(line);
    if (line.empty() || line.front() == '#') {
      continue;
    }
    Rule rule;
    if (line.front() == '!') {
      rule.negate = true;
      line.erase(0, 1);
    }
    if (!line.empty() && line.back() == '/') {
      rule.dir_only = true;
      line.pop_back();
    }
    bool anchored = line.find('/') != std::string::npos;
    if (!line.empty() && line.front() == '/') {
      line.erase(0, 1);
    }
    if (line.empty()) {
      continue;
    }
    std::string base = dir.is_root() ? "" : dir.str() + "/";
    rule.glob = anchored ? base + line : base + "**/" + line;
    if (rule.glob.size() > 3 && rule.glob.ends_with("/**")) {
      // gitignore's "foo/**" is everything inside foo, not foo itself, so that a later
      // "!foo/keep" can still re-include a file in it.
      rule.glob.insert(rule.glob.size() - 2, "*/");
    }
    rules_.push_back(std::move(rule));
  }
}

bool IgnoreRules::ignored(const RepoPath& path, bool is_dir) const {
  bool result = false;
  for (const Rule& r : rules_) {
    if ((r.dir_only && !is_dir) || result == !r.negate) {
      continue;
    }
    if (glob::match(r.glob, path.str())) {
      result = !r.negate;
    }
  }
  return result;
}

}  // namespace ripple::graph
