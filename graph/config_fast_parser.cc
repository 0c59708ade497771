#include "graph/config_fast_parser.h"

#include <cstring>
#include <vector>

#include "graph/names.h"

namespace ripple::graph {
namespace {

// Where this parser says yes, yaml-cpp must agree on the value and its mark; so the accepted
// grammar is kept narrow, and every doubt is a refusal (nothing), never a guess.

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// A plain scalar starts with none of YAML's indicators (- ? : , [ ] { } # & * ! | > ' " % @ `)
// and, here, with a character that cannot begin anything else either.
bool plain_start(char c) {
  return is_alnum(c) || c == '_' || c == '.' || c == '/' || c == '$' || c == '^';
}

// Inside a plain scalar: no space (which could start a comment or a second word), no ':' (a
// mapping) and no flow indicators, so the same rule holds in and out of flow lists. Nor '?':
// yaml-cpp refuses "[a?]" ("unknown token").
bool plain_char(char c) { return is_alnum(c) || std::strchr("_-./$^*!+=~@%", c) != nullptr; }

bool key_char(char c) { return is_alnum(c) || c == '_' || c == '-'; }

struct Line {
  std::string_view text;
  int number = 0;  // from 1
  std::size_t indent = 0;
  // A line of spaces only, or of spaces and a comment.
  bool blank() const { return indent == text.size() || text[indent] == '#'; }
};

class FastParser {
 public:
  FastParser(std::string_view text, std::string_view file) : text_(text), file_(file) {}

  std::optional<ServiceConfig> parse() {
    for (char c : text_) {
      // Tabs, CR, control characters and non-ASCII bytes (a BOM, UTF-8 scalars) are yaml-cpp's.
      if ((c < 0x20 && c != '\n') || c >= 0x7f) {
        return std::nullopt;
      }
    }
    split_lines();
    ServiceConfig config;
    config.file = std::string(file_);
    bool seen[4] = {false, false, false, false};
    std::size_t i = 0;
    while (i < lines_.size()) {
      const Line& line = lines_[i];
      if (line.blank()) {
        ++i;
        continue;
      }
      if (line.indent != 0) {
        return std::nullopt;
      }
      std::size_t pos = 0;
      while (pos < line.text.size() && key_char(line.text[pos])) {
        ++pos;
      }
      std::string_view key = line.text.substr(0, pos);
      if (pos == 0 || pos == line.text.size() || line.text[pos] != ':') {
        return std::nullopt;
      }
      ++pos;
      if (pos < line.text.size() && line.text[pos] != ' ') {
        return std::nullopt;
      }
      int which = key == "name"     ? 0
                  : key == "deps"   ? 1
                  : key == "inputs" ? 2
                  : key == "env"    ? 3
                                    : -1;
      if (which < 0 || seen[which]) {
        return std::nullopt;  // unknown and duplicate keys are errors yaml-cpp's reader words
      }
      seen[which] = true;
      pos = skip_spaces(line.text, pos);
      const bool empty_value = pos == line.text.size() || line.text[pos] == '#';
      ++i;
      if (which == 0) {
        if (empty_value) {
          return std::nullopt;
        }
        auto name = scalar(line, pos);
        if (!name || !at_end(line.text, pos) || !valid_name(name->value)) {
          return std::nullopt;
        }
        config.name = std::move(*name);
        continue;
      }
      LocatedStrings list;
      if (empty_value) {
        if (!block_list(i, list)) {
          return std::nullopt;
        }
      } else if (line.text[pos] != '[' || !flow_list(line, pos, list)) {
        return std::nullopt;
      }
      if (which == 1) {
        config.deps = std::move(list);
      } else if (which == 2) {
        config.inputs = std::move(list);
      } else {
        config.env = std::move(list);
      }
    }
    return config;
  }

 private:
  void split_lines() {
    std::size_t start = 0;
    int number = 1;
    while (start < text_.size()) {
      std::size_t end = text_.find('\n', start);
      if (end == std::string_view::npos) {
        end = text_.size();
      }
      Line line{text_.substr(start, end - start), number++, 0};
      while (line.indent < line.text.size() && line.text[line.indent] == ' ') {
        ++line.indent;
      }
      lines_.push_back(line);
      start = end + 1;
    }
  }

  static std::size_t skip_spaces(std::string_view s, std::size_t pos) {
    while (pos < s.size() && s[pos] == ' ') {
      ++pos;
    }
    return pos;
  }

  // Nothing but spaces and, after at least one space, a comment from `pos` to the end.
  static bool at_end(std::string_view s, std::size_t pos) {
    std::size_t after = skip_spaces(s, pos);
    return after == s.size() || (after > pos && s[after] == '#');
  }

  // The rules parse_service_config() enforces on `name`, refused here so that it words them.
  static bool valid_name(const std::string& name) {
    return !service_name_problem(name).has_value();
  }

  // A scalar at `pos` on one line: plain, or quoted without escapes; `pos` moves past it.
  std::optional<LocatedString> scalar(const Line& line, std::size_t& pos) const {
    std::string_view s = line.text;
    const std::size_t start = pos;
    std::string value;
    if (s[pos] == '"' || s[pos] == '\'') {
      std::size_t close = s.find(s[pos], pos + 1);
      if (close == std::string_view::npos) {
        return std::nullopt;  // continues on the next line
      }
      value = std::string(s.substr(pos + 1, close - pos - 1));
      if (s[pos] == '"' && value.find('\\') != std::string::npos) {
        return std::nullopt;  // escapes
      }
      if (s[pos] == '\'' && close + 1 < s.size() && s[close + 1] == '\'') {
        return std::nullopt;  // '' is an escaped quote
      }
      pos = close + 1;
    } else {
      if (!plain_start(s[pos])) {
        return std::nullopt;
      }
      while (pos < s.size() && plain_char(s[pos])) {
        ++pos;
      }
      value = std::string(s.substr(start, pos - start));
      if (value == "null" || value == "Null" || value == "NULL") {
        return std::nullopt;  // not a string to yaml-cpp
      }
    }
    return LocatedString{std::move(value),
                         SourcePos{std::string(file_), line.number, static_cast<int>(start) + 1}};
  }

  // "[a, b, c]" on one line, from the '[' at `pos` to the end of the line.
  bool flow_list(const Line& line, std::size_t pos, LocatedStrings& out) const {
    std::string_view s = line.text;
    pos = skip_spaces(s, pos + 1);
    if (pos < s.size() && s[pos] == ']') {
      return at_end(s, pos + 1);
    }
    while (true) {
      if (pos == s.size()) {
        return false;
      }
      auto item = scalar(line, pos);
      if (!item) {
        return false;
      }
      out.push_back(std::move(*item));
      pos = skip_spaces(s, pos);
      if (pos == s.size()) {
        return false;  // the list goes on over more lines
      }
      if (s[pos] == ']') {
        return at_end(s, pos + 1);
      }
      if (s[pos] != ',') {
        return false;
      }
      pos = skip_spaces(s, pos + 1);
      if (pos < s.size() && s[pos] == ']') {
        return false;  // a trailing comma
      }
    }
  }

  // The value of a key with nothing after its colon, starting at line `i`: a block list ("- a"
  // per line, all at one indentation, which may be the key's own), or nothing (an empty list).
  // `i` moves past the list.
  bool block_list(std::size_t& i, LocatedStrings& out) const {
    std::size_t j = i;
    while (j < lines_.size() && lines_[j].blank()) {
      ++j;
    }
    if (j == lines_.size() || lines_[j].text[lines_[j].indent] != '-') {
      i = j;
      return j == lines_.size() || lines_[j].indent == 0;  // nothing, or something else
    }
    const std::size_t indent = lines_[j].indent;
    while (j < lines_.size()) {
      const Line& line = lines_[j];
      if (line.blank()) {
        ++j;
        continue;
      }
      if (line.indent < indent || (line.indent == indent && indent == 0 && line.text[0] != '-')) {
        break;  // the next key
      }
      std::string_view s = line.text;
      if (line.indent != indent || s[indent] != '-' || indent + 1 == s.size() ||
          s[indent + 1] != ' ') {
        return false;
      }
      std::size_t pos = skip_spaces(s, indent + 1);
      if (pos == s.size() || s[pos] == '#') {
        return false;  // a null item
      }
      auto item = scalar(line, pos);
      if (!item || !at_end(s, pos)) {
        return false;
      }
      out.push_back(std::move(*item));
      ++j;
    }
    i = j;
    return true;
  }

  std::string_view text_;
  std::string_view file_;
  std::vector<Line> lines_;
};

}  // namespace

std::optional<ServiceConfig> parse_service_config_fast(std::string_view text,
                                                       std::string_view file) {
  return FastParser(text, file).parse();
}

}  // namespace ripple::graph
