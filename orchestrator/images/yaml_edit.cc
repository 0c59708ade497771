#include "orchestrator/images/yaml_edit.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <functional>

namespace ripple {
namespace {

// yaml-cpp stays inside this file. A YAML::Node is never assigned once it refers to a node (that
// would rebind the node it refers to, inside the document): optionals are reset first. Each edit
// function re-parses the text after every single change (a key, an item, a value) until nothing is
// left to change: the files are small, and positions never go stale.
constexpr int kMaxEdits = 64;

std::size_t line_start(std::string_view text, std::size_t pos) {
  const std::size_t nl = pos == 0 ? std::string_view::npos : text.rfind('\n', pos - 1);
  return nl == std::string_view::npos ? 0 : nl + 1;
}

// The offset just past the line holding `pos` (past its '\n', or the end of the text).
std::size_t next_line(std::string_view text, std::size_t pos) {
  const std::size_t nl = text.find('\n', pos);
  return nl == std::string_view::npos ? text.size() : nl + 1;
}

std::size_t indent_at(std::string_view text, std::size_t start) {
  std::size_t i = start;
  while (i < text.size() && text[i] == ' ') {
    ++i;
  }
  return i - start;
}

bool is_content_line(std::string_view text, std::size_t start) {
  const std::size_t i = start + indent_at(text, start);
  return i < text.size() && text[i] != '\n' && text[i] != '\r' && text[i] != '#';
}

// The end of the block starting on the line of `pos` (past the '\n' of its last line that holds
// something): the lines until one holding something is indented less than `indent` — or, for a
// list (`list`), as much without starting an item.
std::size_t block_end(std::string_view text, std::size_t pos, std::size_t indent, bool list) {
  std::size_t end = next_line(text, pos);
  for (std::size_t at = end; at < text.size(); at = next_line(text, at)) {
    if (!is_content_line(text, at)) {
      continue;
    }
    const std::size_t ind = indent_at(text, at);
    if (ind < indent || (list && ind == indent && text[at + ind] != '-')) {
      break;
    }
    end = next_line(text, at);
  }
  return end;
}

std::string insert(std::string_view text, std::size_t at, const std::string& lines) {
  std::string out(text.substr(0, at));
  if (!out.empty() && out.back() != '\n') {
    out += '\n';
  }
  return out + lines + std::string(text.substr(at));
}

std::string replace(std::string_view text, std::size_t begin, std::size_t end,
                    std::string_view with) {
  return std::string(text.substr(0, begin)) + std::string(with) + std::string(text.substr(end));
}

// The end of the one-line scalar starting at `begin`: its closing quote, or the end of its line
// before a comment and trailing blanks.
std::size_t scalar_end(std::string_view text, std::size_t begin) {
  const char quote = begin < text.size() ? text[begin] : '\0';
  if (quote == '"' || quote == '\'') {
    for (std::size_t i = begin + 1; i < text.size(); ++i) {
      if (quote == '"' && text[i] == '\\') {
        ++i;
      } else if (text[i] == quote) {
        if (quote == '\'' && i + 1 < text.size() && text[i + 1] == '\'') {
          ++i;
          continue;
        }
        return i + 1;
      }
    }
    return text.size();
  }
  std::size_t end = text.find('\n', begin);
  end = end == std::string_view::npos ? text.size() : end;
  const std::size_t comment = text.substr(begin, end - begin).find(" #");
  if (comment != std::string_view::npos) {
    end = begin + comment;
  }
  while (end > begin && (text[end - 1] == ' ' || text[end - 1] == '\r')) {
    --end;
  }
  return end;
}

std::size_t pos_of(const YAML::Node& node) {
  return static_cast<std::size_t>(std::max(0, node.Mark().pos));
}
std::size_t column_of(const YAML::Node& node) {
  return static_cast<std::size_t>(std::max(0, node.Mark().column));
}

// The outcome of one pass: the text with one more edit, the text unchanged, or an error.
struct Pass {
  std::optional<std::string> edited;
  std::optional<Error> error;
};

Pass edited(std::string text) { return Pass{std::move(text), std::nullopt}; }
Pass failed(std::string_view file, const YAML::Node& node, const std::string& message) {
  const YAML::Mark m = node.Mark();
  return Pass{
      std::nullopt,
      Error{ErrorKind::input, at(SourcePos{std::string(file), m.line + 1, m.column + 1}, message)}};
}

// A mapping to edit, or the empty place where one goes.
struct Place {
  std::optional<YAML::Node> map;  // a block mapping; nothing: still empty
  std::size_t insert_at = 0;      // where new keys go
  std::size_t indent = 0;         // their indentation
};

// A list, possibly still empty.
struct ListPlace {
  std::optional<YAML::Node> list;  // a block sequence
  std::size_t insert_at = 0;       // the end of the list: where unsorted items go
  std::size_t indent = 0;          // the column of its items' '-'
};

std::optional<YAML::Node> find_key(const YAML::Node& map, const std::string& key, YAML::Node* k) {
  for (auto it = map.begin(); it != map.end(); ++it) {
    if (it->first.IsScalar() && it->first.Scalar() == key) {
      *k = it->first;
      return it->second;
    }
  }
  return std::nullopt;
}

std::string name_of_item(const YAML::Node& item) {
  if (item.IsScalar()) {
    return yaml_entry_name(item.Scalar());
  }
  if (item.IsMap()) {
    YAML::Node key;
    if (auto name = find_key(item, "name", &key); name && name->IsScalar()) {
      return name->Scalar();
    }
  }
  return "";
}

bool is_flow(std::string_view text, const YAML::Node& node) {
  const std::size_t p = pos_of(node);
  return p < text.size() && (text[p] == '{' || text[p] == '[');
}

Place place_of_map(std::string_view text, const YAML::Node& map) {
  return Place{map, block_end(text, pos_of(map), column_of(map), false), column_of(map)};
}

// The value under `key` of the mapping at `place`: the key added when missing (an edit).
// `value` and `key_node` are set when the key is there.
Pass find_or_add_key(std::string_view text, const Place& place, const std::string& key,
                     YAML::Node* value, YAML::Node* key_node) {
  if (place.map) {
    if (auto found = find_key(*place.map, key, key_node)) {
      *value = *found;
      return {};
    }
  }
  return edited(insert(text, place.insert_at,
                       std::string(place.indent, ' ') + yaml_scalar(key, false) + ":\n"));
}

// Inserts `item_text` (an item, its first line starting with "- ") where it keeps a sorted list
// sorted, else at the end of the list.
Pass add_item(std::string_view text, const ListPlace& list, const std::string& name,
              const std::string& item_text) {
  const std::string lines = std::string(list.indent, ' ') + item_text;
  if (!list.list) {
    return edited(insert(text, list.insert_at, lines));
  }
  std::vector<std::pair<std::string, std::size_t>> items;
  for (const YAML::Node& item : *list.list) {
    items.emplace_back(name_of_item(item), line_start(text, pos_of(item)));
  }
  const bool sorted = std::is_sorted(
      items.begin(), items.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  if (sorted) {
    for (const auto& [item_name, start] : items) {
      if (item_name > name) {
        return edited(insert(text, start, lines));
      }
    }
  }
  return edited(insert(text, list.insert_at, lines));
}

// The list under `key` of `place`, made a block list when it is missing, empty or `[]`.
Pass find_list(std::string_view text, std::string_view file, const Place& place,
               const std::string& key, ListPlace* out) {
  YAML::Node value;
  YAML::Node key_node;
  if (Pass pass = find_or_add_key(text, place, key, &value, &key_node); pass.edited) {
    return pass;
  }
  if (value.IsNull()) {
    *out = ListPlace{std::nullopt, next_line(text, pos_of(key_node)), column_of(key_node)};
    return {};
  }
  if (!value.IsSequence()) {
    return failed(file, value, "'" + key + "' must be a list");
  }
  if (is_flow(text, value)) {
    if (value.size() > 0) {
      return failed(file, value,
                    "'" + key +
                        "' is a flow list ([...]); write it as a block list (one '- ' "
                        "item per line) so that ripple can update it");
    }
    const std::size_t colon = text.find(':', pos_of(key_node));
    return edited(replace(text, colon + 1, scalar_end(text, pos_of(value)), ""));
  }
  const std::size_t dash = indent_at(text, line_start(text, pos_of(value)));
  *out = ListPlace{value, block_end(text, pos_of(value), dash, true), dash};
  return {};
}

// Walks `path` from the root, adding what is missing (one edit at a time); on success without
// an edit, `out` is the mapping at the end of the path.
Pass walk(std::string_view text, std::string_view file, const YAML::Node& root,
          const std::vector<YamlStep>& path, Place* out) {
  Place place;
  if (root.IsMap()) {
    if (is_flow(text, root)) {
      return failed(file, root, "the document is a flow mapping ({...}); write it in block style");
    }
    place = place_of_map(text, root);
  } else if (root.IsNull()) {
    place = Place{std::nullopt, text.size(), 0};
  } else {
    return failed(file, root, "the document must be a mapping of keys to values");
  }
  for (const YamlStep& step : path) {
    YAML::Node value;
    if (step.entry) {
      ListPlace list;
      if (Pass pass = find_list(text, file, place, step.key, &list); pass.edited || pass.error) {
        return pass;
      }
      std::optional<YAML::Node> item;
      if (list.list) {
        for (const YAML::Node& candidate : *list.list) {
          if (name_of_item(candidate) == *step.entry) {
            item.emplace(candidate);
            break;
          }
        }
      }
      if (!item) {
        return add_item(text, list, *step.entry,
                        "- name: " + yaml_scalar(*step.entry, false) + "\n");
      }
      value = *item;
    } else {
      YAML::Node key_node;
      if (Pass pass = find_or_add_key(text, place, step.key, &value, &key_node); pass.edited) {
        return pass;
      }
      if (value.IsNull()) {
        place.map.reset();
        place = Place{std::nullopt, next_line(text, pos_of(key_node)), column_of(key_node) + 2};
        continue;
      }
    }
    if (!value.IsMap() || is_flow(text, value)) {
      const std::string what = step.entry ? "the entry '" + *step.entry + "' of '" + step.key + "'"
                                          : "'" + step.key + "'";
      return failed(file, value,
                    what +
                        " must be a block mapping (one 'key: value' per line) so that ripple "
                        "can update it");
    }
    place.map.reset();
    place = place_of_map(text, value);
  }
  *out = place;
  return {};
}

Result<YAML::Node> parse(std::string_view text, std::string_view file) {
  try {
    return YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    return input_error(at(SourcePos{std::string(file), e.mark.line + 1, e.mark.column + 1},
                          "not valid YAML (" + e.msg + "); fix the file"));
  }
}

using PassFn = std::function<Pass(std::string_view text, const YAML::Node& root)>;

Result<std::string> edit_until_done(std::string_view text, std::string_view file,
                                    const PassFn& pass_fn) {
  std::string current(text);
  for (int i = 0; i < kMaxEdits; ++i) {
    auto root = parse(current, file);
    if (!root) {
      return tl::unexpected(root.error());
    }
    Pass pass = pass_fn(current, *root);
    if (pass.error) {
      return tl::unexpected(*pass.error);
    }
    if (!pass.edited) {
      return current;
    }
    current = std::move(*pass.edited);
  }
  return internal_error(std::string(file) + ": the YAML edit did not settle");
}

}  // namespace

std::string yaml_entry_name(std::string_view scalar) {
  if (const std::size_t eq = scalar.find('='); eq != std::string_view::npos) {
    return std::string(scalar.substr(0, eq));
  }
  std::string_view name = scalar.substr(0, scalar.find('@'));
  const std::size_t colon = name.rfind(':');
  const std::size_t slash = name.rfind('/');
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
    name = name.substr(0, colon);
  }
  return std::string(name);
}

std::string yaml_scalar(const std::string& value, bool quoted) {
  static const std::string kPlain =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._/-:@=+";
  bool plain = !quoted && !value.empty() && value.find_first_not_of(kPlain) == std::string::npos &&
               value.find_first_of("-:@=.+") != 0 && value.find(": ") == std::string::npos;
  if (plain) {
    // Plain only when YAML reads it back as this string (not a number, bool or null).
    try {
      const YAML::Node node = YAML::Load(value);
      std::string as_string;
      bool as_bool = false;
      double as_number = 0;
      plain = node.IsScalar() && node.Tag() == "?" && node.Scalar() == value &&
              !YAML::convert<bool>::decode(node, as_bool) &&
              !YAML::convert<double>::decode(node, as_number) && value != "null" && value != "~";
    } catch (const YAML::Exception&) {
      plain = false;
    }
  }
  if (plain) {
    return value;
  }
  std::string out = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') {
      out += '\\';
    }
    out += c;
  }
  return out + "\"";
}

Result<std::string> yaml_set_fields(std::string_view text, std::string_view file,
                                    const std::vector<YamlStep>& path,
                                    const std::vector<YamlField>& fields) {
  return edit_until_done(text, file, [&](std::string_view current, const YAML::Node& root) {
    Place place;
    if (Pass pass = walk(current, file, root, path, &place); pass.edited || pass.error) {
      return pass;
    }
    for (const YamlField& field : fields) {
      YAML::Node key_node;
      std::optional<YAML::Node> value;
      if (place.map) {
        value = find_key(*place.map, field.key, &key_node);
      }
      if (!field.value) {
        if (value) {
          const std::size_t start = line_start(current, pos_of(key_node));
          return edited(replace(current, start, next_line(current, pos_of(key_node)), ""));
        }
        continue;
      }
      const std::string scalar = yaml_scalar(*field.value, field.quoted);
      if (!value) {
        return edited(insert(current, place.insert_at,
                             std::string(place.indent, ' ') + field.key + ": " + scalar + "\n"));
      }
      if (value->IsScalar() && value->Scalar() == *field.value) {
        continue;
      }
      if (value->IsNull()) {
        const std::size_t colon = current.find(':', pos_of(key_node));
        const std::size_t end = scalar_end(current, colon + 1);
        return edited(replace(current, colon + 1, end, " " + scalar));
      }
      if (!value->IsScalar()) {
        return failed(file, *value, "'" + field.key + "' must be a single value");
      }
      const std::size_t begin = pos_of(*value);
      return edited(replace(current, begin, scalar_end(current, begin), scalar));
    }
    return Pass{};
  });
}

Result<std::string> yaml_set_list_scalar(std::string_view text, std::string_view file,
                                         const std::vector<YamlStep>& path, const std::string& name,
                                         const std::string& value) {
  if (path.empty()) {
    return internal_error("yaml_set_list_scalar needs a path");
  }
  const std::vector<YamlStep> parent(path.begin(), path.end() - 1);
  return edit_until_done(text, file, [&](std::string_view current, const YAML::Node& root) {
    Place place;
    if (Pass pass = walk(current, file, root, parent, &place); pass.edited || pass.error) {
      return pass;
    }
    ListPlace list;
    if (Pass pass = find_list(current, file, place, path.back().key, &list);
        pass.edited || pass.error) {
      return pass;
    }
    if (list.list) {
      for (const YAML::Node& item : *list.list) {
        if (name_of_item(item) != name) {
          continue;
        }
        if (!item.IsScalar()) {
          return failed(file, item, "the entry for '" + name + "' must be a single value");
        }
        if (item.Scalar() == value) {
          return Pass{};
        }
        const std::size_t begin = pos_of(item);
        return edited(
            replace(current, begin, scalar_end(current, begin), yaml_scalar(value, false)));
      }
    }
    return add_item(current, list, name, "- " + yaml_scalar(value, false) + "\n");
  });
}

}  // namespace ripple
