#include "rules/dockerfile.h"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <set>

#include "graph/support/repo_path.h"

namespace ripple::rules {
namespace {

struct Instruction {
  int line = 0;
  std::string keyword;  // upper case
  std::string rest;     // after the keyword, continuations joined
};

std::string trim(std::string_view s) {
  std::size_t a = 0;
  std::size_t b = s.size();
  while (a < b && std::isspace(static_cast<unsigned char>(s[a]))) {
    ++a;
  }
  while (b > a && std::isspace(static_cast<unsigned char>(s[b - 1]))) {
    --b;
  }
  return std::string(s.substr(a, b - a));
}

// The instructions, continuations joined, comments and heredoc bodies dropped.
std::vector<Instruction> instructions(std::string_view text) {
  std::vector<std::string_view> lines;
  for (std::size_t start = 0; start <= text.size();) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) {
      end = text.size();
    }
    std::string_view line = text.substr(start, end - start);
    if (line.ends_with('\r')) {
      line.remove_suffix(1);
    }
    lines.push_back(line);
    start = end + 1;
  }
  std::vector<Instruction> out;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::string first = trim(lines[i]);
    if (first.empty() || first.front() == '#') {
      continue;
    }
    Instruction ins;
    ins.line = static_cast<int>(i) + 1;
    std::string joined;
    std::string current = std::string(lines[i]);
    while (true) {
      std::string t = trim(current);
      if (t.ends_with('\\')) {
        joined += t.substr(0, t.size() - 1) + " ";
        // Comment lines inside a continuation are dropped, as Docker does.
        while (++i < lines.size() && trim(lines[i]).starts_with('#')) {
        }
        if (i >= lines.size()) {
          break;
        }
        current = std::string(lines[i]);
        continue;
      }
      joined += t;
      break;
    }
    // Heredocs: `<<EOF` / `<<-EOF` / `<<"EOF"`: the body lines up to the delimiter are content.
    std::vector<std::pair<std::string, bool>> delimiters;
    for (std::size_t at = joined.find("<<"); at != std::string::npos;
         at = joined.find("<<", at + 2)) {
      std::size_t p = at + 2;
      bool dash = p < joined.size() && joined[p] == '-';
      p += dash ? 1 : 0;
      std::string word;
      while (p < joined.size() && (std::isalnum(static_cast<unsigned char>(joined[p])) ||
                                   joined[p] == '_' || joined[p] == '"' || joined[p] == '\'')) {
        if (joined[p] != '"' && joined[p] != '\'') {
          word += joined[p];
        }
        ++p;
      }
      if (!word.empty() && std::isalpha(static_cast<unsigned char>(word[0]))) {
        delimiters.emplace_back(word, dash);
      }
    }
    for (const auto& [word, dash] : delimiters) {
      while (++i < lines.size()) {
        std::string body = dash ? trim(lines[i]) : std::string(lines[i]);
        if (body == word) {
          break;
        }
      }
    }
    const std::size_t space = joined.find_first_of(" \t");
    ins.keyword = joined.substr(0, space);
    std::transform(ins.keyword.begin(), ins.keyword.end(), ins.keyword.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    ins.rest = space == std::string::npos ? std::string() : trim(joined.substr(space));
    out.push_back(std::move(ins));
  }
  return out;
}

std::string expand(std::string_view s, const std::map<std::string, std::string>& vars) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '$' || i + 1 >= s.size()) {
      out += s[i];
      continue;
    }
    std::size_t start = i + 1;
    const bool braced = s[start] == '{';
    start += braced ? 1 : 0;
    std::size_t end = start;
    while (end < s.size() && (std::isalnum(static_cast<unsigned char>(s[end])) || s[end] == '_')) {
      ++end;
    }
    if (end == start) {
      out += s[i];
      continue;
    }
    const std::string name(s.substr(start, end - start));
    std::string fallback;
    if (braced) {
      const std::size_t close = s.find('}', end);
      if (close == std::string_view::npos) {
        out += s[i];
        continue;
      }
      const std::string_view op = s.substr(end, close - end);
      if (op.starts_with(":-")) {
        fallback = std::string(op.substr(2));
      }
      end = close + 1;
    }
    auto it = vars.find(name);
    out += it != vars.end() && !it->second.empty() ? it->second : fallback;
    i = end - 1;
  }
  return out;
}

// Words of a shell-form argument list (quotes removed; no variable or glob expansion).
std::vector<std::string> words(std::string_view s) {
  std::vector<std::string> out;
  std::string word;
  bool in_word = false;
  char quote = 0;
  for (char c : s) {
    if (quote != 0) {
      if (c == quote) {
        quote = 0;
      } else {
        word += c;
      }
    } else if (c == '"' || c == '\'') {
      quote = c;
      in_word = true;
    } else if (std::isspace(static_cast<unsigned char>(c))) {
      if (in_word) {
        out.push_back(word);
        word.clear();
        in_word = false;
      }
    } else {
      word += c;
      in_word = true;
    }
  }
  if (in_word) {
    out.push_back(word);
  }
  return out;
}

}  // namespace

std::string image_repository(const std::string& reference) {
  std::string out = reference.substr(0, reference.find('@'));
  const std::size_t colon = out.rfind(':');
  const std::size_t slash = out.rfind('/');
  if (colon != std::string::npos && (slash == std::string::npos || colon > slash)) {
    out.resize(colon);
  }
  return out;
}

DockerfileReads dockerfile_reads(std::string_view text, const std::string& file,
                                 const std::map<std::string, std::string>& build_args) {
  DockerfileReads out;
  std::map<std::string, std::string> vars;
  std::set<std::string> seen;
  std::set<std::string> stages;  // lowercased `AS` names, and the stages' numbers
  std::set<std::string> images_seen;
  int stage_count = 0;
  auto add_image = [&](const std::string& written, int line) {
    std::string image = expand(written, vars);
    std::string lower = image;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    if (image.empty() || lower == "scratch" || stages.count(lower) > 0) {
      return;
    }
    if (images_seen.insert(image).second) {
      out.images.push_back({image, SourcePos{file, line, 1}});
    }
  };
  auto add_source = [&](std::string source, int line) {
    source = expand(source, vars);
    while (source.starts_with("./")) {
      source = source.substr(2);
    }
    while (source.size() > 1 && source.ends_with('/')) {
      source.pop_back();
    }
    if (source.empty() || source == "." || source == "*" || source == "/") {
      out.whole_context = true;
      return;
    }
    if (source.starts_with('/')) {
      source = source.substr(1);  // a context path, whatever the leading '/'
    }
    auto normal = RepoPath::parse(source);
    if (!normal || normal->str().empty()) {
      return;  // outside the context: Docker refuses it at build time
    }
    if (seen.insert(normal->str()).second) {
      out.sources.push_back({normal->str(), SourcePos{file, line, 1}});
    }
  };
  for (const Instruction& ins : instructions(text)) {
    if (ins.keyword == "FROM") {
      // FROM [--platform=...] image [AS name]
      std::vector<std::string> w = words(ins.rest);
      std::erase_if(w, [](const std::string& x) { return x.starts_with("--"); });
      if (!w.empty()) {
        add_image(w[0], ins.line);
      }
      stages.insert(std::to_string(stage_count++));
      if (w.size() >= 3 && (w[1] == "AS" || w[1] == "as" || w[1] == "As")) {
        std::string name = w[2];
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char c) { return std::tolower(c); });
        stages.insert(name);
      }
    } else if (ins.keyword == "ARG") {
      for (const std::string& w : words(ins.rest)) {
        const std::size_t eq = w.find('=');
        const std::string name = w.substr(0, eq);
        auto given = build_args.find(name);
        vars[name] = given != build_args.end() ? given->second
                     : eq != std::string::npos ? expand(w.substr(eq + 1), vars)
                     : vars.count(name) != 0   ? vars[name]
                                               : std::string();
      }
    } else if (ins.keyword == "ENV") {
      const std::vector<std::string> w = words(ins.rest);
      if (w.size() == 2 && w[0].find('=') == std::string::npos) {
        vars[w[0]] = expand(w[1], vars);  // ENV NAME value
      } else {
        for (const std::string& item : w) {
          if (const std::size_t eq = item.find('='); eq != std::string::npos) {
            vars[item.substr(0, eq)] = expand(item.substr(eq + 1), vars);
          }
        }
      }
    } else if (ins.keyword == "COPY" || ins.keyword == "ADD") {
      // Flags first (--from=, --chown=, --chmod=, --link, --parents, --exclude=), then the
      // sources and the destination, in shell form or as a JSON array.
      std::string_view rest = ins.rest;
      bool from_elsewhere = false;
      while (rest.starts_with("--")) {
        const std::size_t end = rest.find_first_of(" \t");
        if (rest.starts_with("--from=")) {
          from_elsewhere = true;
          add_image(std::string(rest.substr(7, end == std::string_view::npos ? end : end - 7)),
                    ins.line);
        }
        rest = end == std::string_view::npos ? std::string_view() : rest.substr(end);
        while (!rest.empty() && std::isspace(static_cast<unsigned char>(rest.front()))) {
          rest.remove_prefix(1);
        }
      }
      if (from_elsewhere || rest.find("<<") != std::string_view::npos) {
        continue;  // another stage or image, or a heredoc: no context file
      }
      std::vector<std::string> list;
      if (rest.starts_with('[')) {
        auto json = nlohmann::json::parse(rest, nullptr, false);
        for (const auto& item : json.is_array() ? json : nlohmann::json::array()) {
          if (item.is_string()) {
            list.push_back(item.get<std::string>());
          }
        }
      } else {
        list = words(rest);
      }
      if (list.size() < 2) {
        continue;
      }
      list.pop_back();  // the destination
      for (const std::string& source : list) {
        if (source.find("://") != std::string::npos || source.starts_with("git@")) {
          continue;  // fetched, not from the context
        }
        add_source(source, ins.line);
      }
    } else if (ins.keyword == "RUN") {
      for (const std::string& w : words(ins.rest)) {
        if (!w.starts_with("--mount=")) {
          continue;
        }
        std::map<std::string, std::string> opts;
        std::string spec = w.substr(8);
        for (std::size_t start = 0; start <= spec.size();) {
          std::size_t comma = spec.find(',', start);
          if (comma == std::string::npos) {
            comma = spec.size();
          }
          const std::string kv = spec.substr(start, comma - start);
          const std::size_t eq = kv.find('=');
          opts[kv.substr(0, eq)] = eq == std::string::npos ? "" : kv.substr(eq + 1);
          start = comma + 1;
        }
        if (opts.count("from") != 0) {
          add_image(opts["from"], ins.line);
        }
        if (opts["type"] == "bind" && opts.count("from") == 0) {
          const std::string source = opts.count("source") ? opts["source"]
                                     : opts.count("src")  ? opts["src"]
                                                          : ".";
          add_source(source, ins.line);
        }
      }
    }
  }
  return out;
}

}  // namespace ripple::rules
