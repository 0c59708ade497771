#include "rules/go_modules.h"

#include <cctype>
#include <map>
#include <optional>

#include "graph/names.h"

namespace ripple::rules {
namespace {

// go.mod and go.work share one syntax (golang.org/x/mod/modfile): lines of tokens, `//`
// comments, `verb ( ... )` blocks whose lines each take the verb, "interpreted" and `raw`
// strings, and `=>` in replace directives.
struct Token {
  enum Kind { word, lparen, rparen, arrow } kind = word;
  std::string text;  // a word or string's value (unquoted)
  SourcePos pos;
};

// One directive: its verb and its arguments (a block's lines are one directive each).
struct Directive {
  std::string verb;
  SourcePos verb_pos;
  std::vector<Token> args;
};

std::string how_to_fix(const std::string& file) {
  return "; fix " + file + ", or leave the " + std::string(kGoRule) + " rule out of 'discover:'";
}

tl::unexpected<Error> syntax_error(const SourcePos& pos, const std::string& what) {
  return input_error(at(pos, what + how_to_fix(pos.file)));
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

// The tokens of each line that has any, in order.
Result<std::vector<std::vector<Token>>> lex(std::string_view text, const std::string& file) {
  std::vector<std::vector<Token>> lines;
  std::vector<Token> line;
  int line_no = 1;
  std::size_t line_start = 0;
  auto pos_of = [&](std::size_t i) {
    return SourcePos{file, line_no, static_cast<int>(i - line_start) + 1};
  };
  auto end_line = [&](std::size_t newline) {
    if (!line.empty()) {
      lines.push_back(std::move(line));
      line.clear();
    }
    ++line_no;
    line_start = newline + 1;
  };
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '\n') {
      end_line(i);
      ++i;
    } else if (is_space(c)) {
      ++i;
    } else if (text.substr(i, 2) == "//") {
      while (i < text.size() && text[i] != '\n') {
        ++i;
      }
    } else if (text.substr(i, 2) == "/*") {
      return syntax_error(pos_of(i), "go.mod files use // comments, not /* */");
    } else if (c == '(' || c == ')') {
      line.push_back({c == '(' ? Token::lparen : Token::rparen, std::string(1, c), pos_of(i)});
      ++i;
    } else if (text.substr(i, 2) == "=>") {
      line.push_back({Token::arrow, "=>", pos_of(i)});
      i += 2;
    } else if (c == '"' || c == '`') {
      Token t{Token::word, "", pos_of(i)};
      std::size_t j = i + 1;
      for (; j < text.size() && text[j] != c && text[j] != '\n'; ++j) {
        if (c == '"' && text[j] == '\\' && j + 1 < text.size() && text[j + 1] != '\n') {
          ++j;  // an escaped character, as itself (module paths and directories need no more)
        }
        t.text += text[j];
      }
      if (j >= text.size() || text[j] != c) {
        return syntax_error(t.pos, "unterminated quoted string");
      }
      line.push_back(std::move(t));
      i = j + 1;
    } else {
      Token t{Token::word, "", pos_of(i)};
      while (i < text.size() && !is_space(text[i]) && text[i] != '\n' && text[i] != '(' &&
             text[i] != ')' && text[i] != '"' && text[i] != '`' && text.substr(i, 2) != "//" &&
             text.substr(i, 2) != "=>") {
        t.text += text[i++];
      }
      line.push_back(std::move(t));
    }
  }
  end_line(text.size());
  return lines;
}

// The directives of a go.mod or go.work, blocks spread into one directive per line.
Result<std::vector<Directive>> directives(std::string_view text, const std::string& file) {
  auto lines = lex(text, file);
  if (!lines) {
    return tl::unexpected(lines.error());
  }
  std::vector<Directive> out;
  for (std::size_t l = 0; l < lines->size(); ++l) {
    const std::vector<Token>& line = (*lines)[l];
    if (line[0].kind != Token::word) {
      return syntax_error(line[0].pos, "unexpected '" + line[0].text +
                                           "': a line starts with a "
                                           "directive (module, require, replace, ...)");
    }
    const bool block = line.size() >= 2 && line[1].kind == Token::lparen;
    if (!block) {
      out.push_back({line[0].text, line[0].pos, {line.begin() + 1, line.end()}});
      continue;
    }
    if (line.size() == 3 && line[2].kind == Token::rparen) {
      continue;  // `require ()`
    }
    if (line.size() > 2) {
      return syntax_error(line[2].pos, "a '" + line[0].text +
                                           " (' block's entries start on "
                                           "the next line");
    }
    bool closed = false;
    for (++l; l < lines->size(); ++l) {
      const std::vector<Token>& entry = (*lines)[l];
      if (entry[0].kind == Token::rparen) {
        if (entry.size() > 1) {
          return syntax_error(entry[1].pos, "')' closing a block stands alone on its line");
        }
        closed = true;
        break;
      }
      out.push_back({line[0].text, entry[0].pos, entry});
    }
    if (!closed) {
      return syntax_error(line[1].pos, "the '" + line[0].text +
                                           " (' block is never closed "
                                           "with ')'");
    }
  }
  return out;
}

// True for the arguments of a directive that are all words or strings.
bool all_words(const std::vector<Token>& args) {
  for (const Token& t : args) {
    if (t.kind != Token::word) {
      return false;
    }
  }
  return true;
}

// A local-path replacement, as the go command tells it from a module path.
bool is_directory_path(const std::string& s) {
  return s == "." || s == ".." || s.starts_with("./") || s.starts_with("../") ||
         s.starts_with("/") || s.starts_with(".\\") || s.starts_with("..\\");
}

// A replace directive's replacement: a local directory (nothing when it replaces by another
// module), after checking its shape.
Result<std::optional<Token>> replacement(const Directive& d) {
  std::size_t arrow = 0;
  while (arrow < d.args.size() && d.args[arrow].kind != Token::arrow) {
    ++arrow;
  }
  const std::size_t right = d.args.size() - std::min(arrow + 1, d.args.size());
  if (arrow == 0 || arrow > 2 || arrow == d.args.size() || right == 0 || right > 2 ||
      !all_words({d.args.begin(), d.args.begin() + arrow}) ||
      !all_words({d.args.begin() + arrow + 1, d.args.end()})) {
    return syntax_error(d.verb_pos,
                        "expected 'replace module [version] => directory' or 'replace module "
                        "[version] => module version'");
  }
  const Token& target = d.args[arrow + 1];
  if (is_directory_path(target.text)) {
    if (right == 2) {
      return syntax_error(d.args[arrow + 2].pos, "a replacement by a directory takes no version");
    }
    return std::optional<Token>(target);
  }
  if (right == 1) {
    return syntax_error(target.pos,
                        "a replacement without a version must be a directory (starting with ./ "
                        "or ../)");
  }
  return std::optional<Token>();
}

// `path` (as written in a file in `dir`) as a workspace-relative directory; nothing when it
// lies outside the workspace.
std::optional<RepoPath> inside(const RepoPath& dir, std::string path) {
  for (char& c : path) {
    c = c == '\\' ? '/' : c;
  }
  if (path.starts_with('/')) {
    return std::nullopt;
  }
  auto resolved = RepoPath::parse(dir.str().empty() ? path : dir.str() + "/" + path);
  if (!resolved) {
    return std::nullopt;
  }
  return *resolved;
}

// The service name a module path suggests: its last element, without a /vN major version.
std::string last_element(const std::string& module_path) {
  std::string_view path = module_path;
  auto slash = path.rfind('/');
  if (slash != std::string_view::npos && slash > 0) {
    std::string_view last = path.substr(slash + 1);
    const bool major = last.size() >= 2 && last[0] == 'v' &&
                       last.find_first_not_of("0123456789", 1) == std::string_view::npos;
    if (major) {
      path = path.substr(0, slash);
    }
  }
  slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

std::string dir_name(const RepoPath& dir) {
  std::string out = dir.str();
  for (char& c : out) {
    c = c == '/' ? '-' : c;
  }
  return out;
}

}  // namespace

Result<GoWork> go_work(std::string_view text, const std::string& file) {
  auto found = directives(text, file);
  if (!found) {
    return tl::unexpected(found.error());
  }
  GoWork out;
  for (const Directive& d : *found) {
    if (d.verb == "replace") {
      if (auto r = replacement(d); !r) {
        return tl::unexpected(r.error());
      }
      continue;
    }
    if (d.verb != "use") {
      continue;
    }
    if (d.args.size() != 1 || d.args[0].kind != Token::word) {
      return syntax_error(d.verb_pos, "expected 'use directory'");
    }
    auto dir = inside(RepoPath(), d.args[0].text);
    if (!dir) {
      out.warnings.push_back(Diagnostic{at(d.args[0].pos, "go.work uses '" + d.args[0].text +
                                                              "', outside the workspace; left "
                                                              "out")});
      continue;
    }
    out.uses.push_back({*dir, d.args[0].pos});
  }
  return out;
}

Result<InferredService> go_module(std::string_view text, const std::string& file,
                                  const RepoPath& dir) {
  auto found = directives(text, file);
  if (!found) {
    return tl::unexpected(found.error());
  }
  std::optional<Token> module;
  std::vector<InferredEdge> edges;
  for (const Directive& d : *found) {
    if (d.verb == "module") {
      if (d.args.size() != 1 || d.args[0].kind != Token::word || d.args[0].text.empty()) {
        return syntax_error(d.verb_pos, "expected 'module path'");
      }
      if (module) {
        return syntax_error(d.verb_pos, "a second 'module' directive (the first is at line " +
                                            std::to_string(module->pos.line) + ")");
      }
      module = d.args[0];
    } else if (d.verb == "require") {
      if (d.args.size() != 2 || !all_words(d.args)) {
        return syntax_error(d.verb_pos, "expected 'require module version'");
      }
      edges.push_back({d.args[0].text, {d.args[0].pos, kGoRule}});
    } else if (d.verb == "replace") {
      auto local = replacement(d);
      if (!local) {
        return tl::unexpected(local.error());
      }
      if (!*local) {
        continue;
      }
      if (auto target = inside(dir, (*local)->text)) {
        edges.push_back({"./" + target->str(), {(*local)->pos, kGoRule}});
      }
    }
  }
  if (!module) {
    return syntax_error(SourcePos{file, 1, 1}, "no 'module' directive names the module");
  }
  return InferredService{module->text, dir, {module->pos, kGoRule}, std::move(edges), {}};
}

Result<std::vector<InferredService>> go_services(std::vector<InferredService> modules) {
  std::map<std::string, int> uses;  // how many modules each suggested name would name
  std::vector<std::string> names;
  for (const InferredService& m : modules) {
    std::string name = last_element(m.name);
    if (graph::service_name_problem(name) || name.find('/') != std::string::npos) {
      name.clear();
    }
    ++uses[name];
    names.push_back(std::move(name));
  }
  std::map<std::string, std::string> by_target;  // module path or "./dir" -> name
  for (std::size_t i = 0; i < modules.size(); ++i) {
    std::string& name = names[i];
    if (name.empty() || uses[name] > 1) {
      // The directory, unless this is the root (then the module's own last element).
      name = modules[i].dir.is_root() ? last_element(modules[i].name) : dir_name(modules[i].dir);
    }
    if (auto problem = graph::service_name_problem(name)) {
      return input_error(at(modules[i].from.pos,
                            "a Go module is the service named after its module path or, when "
                            "that cannot be, its directory: " +
                                *problem));
    }
    by_target.emplace(modules[i].name, name);
    by_target.emplace("./" + modules[i].dir.str(), name);
  }
  for (std::size_t i = 0; i < modules.size(); ++i) {
    modules[i].name = names[i];
    std::vector<InferredEdge> edges;
    for (InferredEdge& e : modules[i].edges) {
      auto it = by_target.find(e.target);
      if (it != by_target.end()) {
        e.target = it->second;
        edges.push_back(std::move(e));
      }
    }
    modules[i].edges = std::move(edges);
  }
  return modules;
}

}  // namespace ripple::rules
