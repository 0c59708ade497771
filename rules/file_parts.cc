#include "rules/file_parts.h"

#include <yaml-cpp/yaml.h>

#include "graph/glob.h"
#include "rules/compose_env.h"

namespace ripple::rules {
namespace {

// The node at `path` ("a.b.0.c") under `root`, resolving `<<` merges of mappings on the way;
// nothing when a step is missing.
std::optional<YAML::Node> at_path(const YAML::Node& root, const std::string& path) {
  YAML::Node node;
  node.reset(root);
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t dot = path.find('.', start);
    const std::string key =
        path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    start = dot == std::string::npos ? path.size() + 1 : dot + 1;
    const YAML::Node& here = node;  // const: a missing key is looked up, never added
    YAML::Node next;
    if (here.IsMap()) {
      if (here[key]) {
        next = here[key];
      } else if (here["<<"] && here["<<"].IsMap() && here["<<"][key]) {
        next = here["<<"][key];
      }
    } else if (here.IsSequence() && !key.empty() &&
               key.find_first_not_of("0123456789") == std::string::npos &&
               std::stoul(key) < here.size()) {
      next = here[std::stoul(key)];
    }
    if (!next) {
      return std::nullopt;
    }
    node.reset(next);
  }
  return node;
}

// `node` with every mapping's `<<` merged in (its own keys win), emitted as YAML.
YAML::Node merged(const YAML::Node& node) {
  if (node.IsSequence()) {
    YAML::Node out(YAML::NodeType::Sequence);
    for (const auto& item : node) {
      out.push_back(merged(item));
    }
    return out;
  }
  if (!node.IsMap()) {
    return YAML::Clone(node);
  }
  YAML::Node out(YAML::NodeType::Map);
  // Never assigned to (a YAML::Node assignment writes through to what it refers to): its own
  // keys first, then what the merge adds.
  std::map<std::string, YAML::Node> keys;
  for (const auto& item : node) {
    const std::string key = item.first.as<std::string>();
    if (key != "<<") {
      keys.emplace(key, merged(item.second));
    }
  }
  if (const YAML::Node base = node["<<"]; base && base.IsMap()) {
    for (const auto& item : base) {
      keys.emplace(item.first.as<std::string>(), merged(item.second));
    }
  }
  for (const auto& [key, value] : keys) {  // sorted: key order makes no difference
    out[key] = value;
  }
  return out;
}

}  // namespace

bool dotenv_file(std::string_view file) {
  const std::size_t slash = file.rfind('/');
  const std::string_view name = slash == std::string_view::npos ? file : file.substr(slash + 1);
  return name == ".env" || name.ends_with(".env") || name.starts_with(".env.");
}

std::optional<std::map<std::string, std::string>> file_parts(std::string_view text,
                                                             const std::string& file,
                                                             const std::string& selector) {
  std::map<std::string, std::string> out;
  if (dotenv_file(file)) {
    for (const auto& [name, value] : parse_dotenv(text)) {
      if (graph::glob::match_segment(selector, name)) {
        out[file + "#" + name] = "=" + value;
      }
    }
    return out;
  }
  try {
    const YAML::Node root = YAML::Load(std::string(text));
    const std::optional<YAML::Node> node = at_path(root, selector);
    YAML::Emitter emitter;
    if (node) {
      emitter << merged(*node);
    }
    out[file + "#" + selector] = node ? std::string(emitter.c_str()) : std::string();
    return out;
  } catch (const YAML::Exception&) {
    return std::nullopt;
  }
}

}  // namespace ripple::rules
