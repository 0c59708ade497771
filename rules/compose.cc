#include "rules/compose.h"

#include <yaml-cpp/yaml.h>

#include <set>

namespace ripple::rules {
namespace {

bool name_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// Compose's interpolation over `value`; `used` collects the names met. An error message (for the
// caller to place) for `${VAR:?message}` with VAR unset (or empty).
Result<std::string> substitute(std::string_view value,
                               const std::map<std::string, std::string>* env,
                               std::set<std::string>& used) {
  std::string out;
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (value[i] != '$' || i + 1 >= value.size()) {
      out += value[i];
      continue;
    }
    const char next = value[i + 1];
    if (next == '$') {
      out += '$';
      ++i;
      continue;
    }
    if (name_start(next)) {  // $VAR
      std::size_t end = i + 1;
      while (end < value.size() && name_char(value[end])) {
        ++end;
      }
      const std::string name(value.substr(i + 1, end - i - 1));
      used.insert(name);
      if (env != nullptr) {
        if (auto it = env->find(name); it != env->end()) {
          out += it->second;
        }
      }
      i = end - 1;
      continue;
    }
    if (next != '{') {
      out += '$';
      continue;
    }
    // ${...}: find the matching brace (defaults may hold ${...} themselves).
    std::size_t depth = 0;
    std::size_t end = i + 1;
    for (; end < value.size(); ++end) {
      if (value[end] == '{') {
        ++depth;
      } else if (value[end] == '}' && --depth == 0) {
        break;
      }
    }
    if (end >= value.size()) {
      return input_error("unclosed '${' in '" + std::string(value) + "'");
    }
    const std::string_view inner = value.substr(i + 2, end - i - 2);
    std::size_t n = 0;
    while (n < inner.size() && name_char(inner[n])) {
      ++n;
    }
    const std::string name(inner.substr(0, n));
    if (name.empty() || !name_start(name[0])) {
      return input_error("'${" + std::string(inner) + "}' does not start with a variable name");
    }
    used.insert(name);
    const std::string_view rest = inner.substr(n);
    const std::string* set = nullptr;
    if (env != nullptr) {
      if (auto it = env->find(name); it != env->end()) {
        set = &it->second;
      }
    }
    const bool colon = rest.starts_with(':');
    const std::string_view op = colon ? rest.substr(1) : rest;
    const bool missing = set == nullptr || (colon && set->empty());
    if (op.starts_with('-') || op.starts_with('?') || op.starts_with('+')) {
      auto arg = substitute(op.substr(1), env, used);
      if (!arg) {
        return arg;
      }
      if (op[0] == '-') {
        out += missing ? *arg : *set;
      } else if (op[0] == '+') {
        out += missing ? std::string() : *arg;
      } else if (missing && env != nullptr) {
        return input_error("variable " + name + " is required" +
                           (arg->empty() ? std::string() : ": " + *arg) + " (set it in .env)");
      } else if (!missing) {
        out += *set;
      }
    } else if (!rest.empty()) {
      return input_error("'${" + std::string(inner) + "}' is not a form Compose knows");
    } else if (set != nullptr) {
      out += *set;
    }
    i = end;
  }
  return out;
}

SourcePos pos_of(const YAML::Node& node, const std::string& file) {
  return SourcePos{file, node.Mark().line + 1, node.Mark().column + 1};
}

std::string canonical(const YAML::Node& node) {
  YAML::Emitter out;
  out << node;
  return out.c_str();
}

struct Build {
  YAML::Node key;
  std::string name;
  std::string context;     // workspace-relative
  std::string dockerfile;  // workspace-relative; empty for dockerfile_inline
  std::string image;
  std::vector<std::pair<std::string, SourcePos>> edges;
};

std::string parent_of(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash);
}

}  // namespace

const std::vector<std::string>& compose_file_names() {
  static const std::vector<std::string> kNames = {"compose.yaml", "compose.yml",
                                                  "docker-compose.yaml", "docker-compose.yml"};
  return kNames;
}

std::map<std::string, std::string> parse_dotenv(std::string_view text) {
  std::map<std::string, std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) {
      end = text.size();
    }
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) {
      line.remove_prefix(1);
    }
    if (line.ends_with('\r')) {
      line.remove_suffix(1);
    }
    if (line.empty() || line.front() == '#') {
      continue;
    }
    if (line.starts_with("export ")) {
      line.remove_prefix(7);
    }
    const std::size_t eq = line.find('=');
    if (eq == std::string_view::npos) {
      continue;
    }
    std::string name(line.substr(0, eq));
    while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) {
      name.pop_back();
    }
    std::string_view value = line.substr(eq + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) {
      value.remove_prefix(1);
    }
    std::string parsed;
    if (value.starts_with('\'') && value.find('\'', 1) != std::string_view::npos) {
      parsed = std::string(value.substr(1, value.find('\'', 1) - 1));
    } else if (value.starts_with('"')) {
      for (std::size_t i = 1; i < value.size() && value[i] != '"'; ++i) {
        if (value[i] == '\\' && i + 1 < value.size()) {
          const char c = value[++i];
          parsed += c == 'n' ? '\n' : c;
        } else {
          parsed += value[i];
        }
      }
    } else {
      if (auto hash = value.find(" #"); hash != std::string_view::npos) {
        value = value.substr(0, hash);
      }
      while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) {
        value.remove_suffix(1);
      }
      parsed = std::string(value);
    }
    if (!name.empty()) {
      out[name] = std::move(parsed);
    }
  }
  return out;
}

namespace {

Result<ComposeFile> read_services(std::string_view text, const std::string& file,
                                  const std::map<std::string, std::string>& env) {
  const std::string base = parent_of(file);
  YAML::Node doc;
  try {
    doc = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    return input_error(at(SourcePos{file, e.mark.line + 1, e.mark.column + 1},
                          "not valid YAML (" + e.msg +
                              "); fix the file, or leave the compose rule out of 'discover:'"));
  }
  ComposeFile out;
  const YAML::Node& root = doc;  // const: a missing key is looked up, never added
  if (!root.IsMap() || !root["services"] || !root["services"].IsMap()) {
    return out;
  }
  std::set<std::string> used;
  auto value = [&](const YAML::Node& node, const std::string& what) -> Result<std::string> {
    if (!node.IsScalar()) {
      return input_error(at(pos_of(node, file), "'" + what + "' must be a string"));
    }
    auto v = substitute(node.Scalar(), &env, used);
    if (!v) {
      return input_error(at(pos_of(node, file), v.error().message));
    }
    return v;
  };
  auto workspace_path = [&](const std::string& rel, const YAML::Node& where,
                            const std::string& what) -> Result<std::string> {
    auto parsed = RepoPath::parse(base.empty() ? rel : base + "/" + rel);
    if (!parsed || rel.starts_with('/')) {
      return input_error(
          at(pos_of(where, file), what + " '" + rel + "' must be a path inside the workspace"));
    }
    return parsed->str();
  };
  std::vector<Build> builds;
  for (const auto& entry : root["services"]) {
    const YAML::Node key = entry.first;
    const YAML::Node service = entry.second;
    if (!service.IsMap() || !service["build"]) {
      continue;
    }
    Build b{key, key.Scalar(), ".", "Dockerfile", "", {}};
    const YAML::Node build = service["build"];
    // Never assigned to later: assigning a yaml-cpp node writes into the document.
    const YAML::Node context_node = build.IsMap() ? build["context"] : build;
    std::string dockerfile = "Dockerfile";
    bool inline_dockerfile = false;
    if (build.IsMap()) {
      if (build["dockerfile"]) {
        auto d = value(build["dockerfile"], "build.dockerfile");
        if (!d) {
          return tl::unexpected(d.error());
        }
        dockerfile = *d;
      }
      inline_dockerfile = static_cast<bool>(build["dockerfile_inline"]);
      if (const YAML::Node extra = build["additional_contexts"]; extra) {
        auto add = [&](const std::string& v, const YAML::Node& where) {
          if (v.starts_with("service:")) {
            b.edges.emplace_back(v.substr(8), pos_of(where, file));
          }
        };
        if (extra.IsMap()) {
          for (const auto& kv : extra) {
            auto v = value(kv.second, "build.additional_contexts");
            if (!v) {
              return tl::unexpected(v.error());
            }
            add(*v, kv.second);
          }
        } else if (extra.IsSequence()) {
          for (const auto& item : extra) {
            auto v = value(item, "build.additional_contexts");
            if (!v) {
              return tl::unexpected(v.error());
            }
            if (auto eq = v->find('='); eq != std::string::npos) {
              add(v->substr(eq + 1), item);
            }
          }
        }
      }
    } else if (!build.IsScalar()) {
      return input_error(at(pos_of(build, file),
                            "'build' must be a context path or a map with 'context', "
                            "'dockerfile', 'args', ..."));
    }
    std::string context = ".";
    if (context_node) {
      auto c = value(context_node, "build.context");
      if (!c) {
        return tl::unexpected(c.error());
      }
      context = *c;
    }
    if (context.find("://") != std::string::npos || context.starts_with("git@")) {
      out.warnings.push_back(Diagnostic{
          at(pos_of(key, file), "service '" + b.name + "' builds from a remote context (" +
                                    context + "); not a service here")});
      continue;
    }
    auto ctx = workspace_path(context, context_node ? context_node : build, "build context");
    if (!ctx) {
      return tl::unexpected(ctx.error());
    }
    b.context = *ctx;
    if (!inline_dockerfile) {
      auto df = workspace_path(b.context.empty() ? dockerfile : b.context + "/" + dockerfile, build,
                               "build.dockerfile");
      if (!df) {
        return tl::unexpected(df.error());
      }
      b.dockerfile = *df;
    } else {
      b.dockerfile.clear();
    }
    if (service["image"]) {
      auto image = value(service["image"], "image");
      if (!image) {
        return tl::unexpected(image.error());
      }
      b.image = *image;
    }
    builds.push_back(std::move(b));
  }
  std::map<std::string, int> per_context;
  for (const Build& b : builds) {
    ++per_context[b.context];
  }
  for (Build& b : builds) {
    std::string dir = b.context;
    if ((b.context.empty() || per_context[b.context] > 1) && !b.dockerfile.empty()) {
      dir = parent_of(b.dockerfile);
    }
    auto parsed = RepoPath::parse(dir);
    InferredService s{
        b.name, parsed ? *parsed : RepoPath(), {pos_of(b.key, file), kComposeRule}, {}, {}};
    for (auto& [target, pos] : b.edges) {
      s.edges.push_back(InferredEdge{target, {pos, kComposeRule}});
    }
    out.services.push_back(ComposeService{std::move(s), b.image, b.context, b.dockerfile});
  }
  return out;
}

}  // namespace

Result<ComposeFile> compose_services(std::string_view text, const std::string& file,
                                     const std::map<std::string, std::string>& env) {
  try {
    return read_services(text, file, env);
  } catch (const YAML::Exception& e) {  // a shape yaml-cpp refuses to walk
    return input_error(at(SourcePos{file, e.mark.line + 1, e.mark.column + 1},
                          e.msg + "; fix the file, or leave the compose rule out of 'discover:'"));
  }
}

std::optional<std::map<std::string, ComposePart>> compose_parts(std::string_view text) {
  YAML::Node doc;
  try {
    doc = YAML::Load(std::string(text));
  } catch (const YAML::Exception&) {
    return std::nullopt;
  }
  std::map<std::string, ComposePart> out;
  const YAML::Node& root = doc;
  if (!root.IsMap() || !root["services"] || !root["services"].IsMap()) {
    return out;
  }
  for (const auto& entry : root["services"]) {
    if (!entry.second.IsMap() || !entry.second["build"]) {
      continue;
    }
    ComposePart part{canonical(entry.second), {}};
    std::set<std::string> used;
    (void)substitute(part.block, nullptr, used);
    part.variables.assign(used.begin(), used.end());
    out.emplace(entry.first.Scalar(), std::move(part));
  }
  return out;
}

}  // namespace ripple::rules
