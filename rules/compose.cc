#include "rules/compose.h"

#include <yaml-cpp/yaml.h>

#include <set>

#include "rules/compose_env.h"

namespace ripple::rules {
namespace {

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
  std::string key_file;
  std::string name;
  std::string context;     // workspace-relative
  std::string dockerfile;  // workspace-relative; empty for dockerfile_inline
  std::string image;
  std::vector<std::pair<std::string, SourcePos>> edges;
  std::map<std::string, std::string> args;
  std::string target;
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

const std::vector<std::string>& compose_override_names() {
  static const std::vector<std::string> kNames = {"compose.override.yml", "compose.override.yaml",
                                                  "docker-compose.override.yml",
                                                  "docker-compose.override.yaml"};
  return kNames;
}

namespace {

// One layer's document, or an input error naming its line.
Result<YAML::Node> load_layer(const ComposeLayer& layer) {
  try {
    return YAML::Load(layer.text);
  } catch (const YAML::Exception& e) {
    return input_error(at(SourcePos{layer.file, e.mark.line + 1, e.mark.column + 1},
                          "not valid YAML (" + e.msg +
                              "); fix the file, or leave the compose rule out of 'discover:'"));
  }
}

// A node with the layer (file) it was read from, for positions and relative paths.
struct Found {
  YAML::Node node;
  const std::string* file = nullptr;
  explicit operator bool() const { return file != nullptr; }
};

// One service's blocks, one per layer that has it, in layer order.
struct Blocks {
  YAML::Node key;  // in the first layer that has the service
  const std::string* key_file = nullptr;
  std::vector<Found> blocks;

  // The last layer's `build.<field>` (a `build: path` string is its `context`), as Compose
  // merges the layers' build sections key by key.
  Found build_field(const std::string& field) const {
    for (auto it = blocks.rbegin(); it != blocks.rend(); ++it) {
      const YAML::Node build = it->node["build"];
      if (build && build.IsMap() && build[field]) {
        return Found{build[field], it->file};
      }
      if (build && build.IsScalar() && field == "context") {
        return Found{build, it->file};
      }
    }
    return {};
  }
  Found field(const std::string& name) const {
    for (auto it = blocks.rbegin(); it != blocks.rend(); ++it) {
      if (it->node[name]) {
        return Found{it->node[name], it->file};
      }
    }
    return {};
  }
};

// The `include:` entries of one layer (`doc`, at `file`) into `out`: a path, or a map with
// `path` (one or a list) and `env_file` (one or a list); `project_directory` is not read (paths
// in an included file are relative to its own directory). A remote include is a warning.
template <typename Value, typename Path>
Status read_includes(const YAML::Node& doc, const std::string& file, const Value& value,
                     const Path& workspace_path, ComposeFile& out) {
  if (!doc.IsMap() || !doc["include"]) {
    return {};
  }
  const YAML::Node entries = doc["include"];
  if (!entries.IsSequence()) {
    return input_error(at(pos_of(entries, file), "'include' must be a list of files"));
  }
  const std::string dir = parent_of(file);
  // One path or a list of them, each inside the workspace.
  auto paths = [&](const YAML::Node& node, const std::string& what,
                   std::vector<std::string>& into) -> Status {
    std::vector<YAML::Node> items;
    if (node.IsSequence()) {
      for (const auto& item : node) {
        items.push_back(static_cast<const YAML::Node&>(item));
      }
    } else {
      items.push_back(node);
    }
    for (const YAML::Node& item : items) {
      auto v = value(Found{item, &file}, what);
      if (!v) {
        return tl::unexpected(v.error());
      }
      auto p = workspace_path(dir, *v, Found{item, &file}, what);
      if (!p) {
        return tl::unexpected(p.error());
      }
      into.push_back(std::move(*p));
    }
    return {};
  };
  for (const auto& item : entries) {
    const YAML::Node& entry = item;
    ComposeInclude include{{}, {}, pos_of(entry, file)};
    const YAML::Node path = entry.IsMap() ? entry["path"] : entry;
    if (!path || !(path.IsScalar() || path.IsSequence())) {
      return input_error(
          at(pos_of(entry, file), "an 'include' entry must be a path or a map with 'path'"));
    }
    if (path.IsScalar() &&
        (path.Scalar().find("://") != std::string::npos || path.Scalar().starts_with("git@"))) {
      out.warnings.push_back(Diagnostic{
          at(include.pos, "include of a remote project (" + path.Scalar() + ") is not read")});
      continue;
    }
    if (auto st = paths(path, "include path", include.files); !st) {
      return st;
    }
    if (include.files.empty()) {
      continue;
    }
    if (entry.IsMap() && entry["env_file"]) {
      if (auto st = paths(entry["env_file"], "include env_file", include.env_files); !st) {
        return st;
      }
    } else {
      const std::string included_dir = parent_of(include.files.front());
      include.env_files.push_back(included_dir.empty() ? ".env" : included_dir + "/.env");
    }
    out.includes.push_back(std::move(include));
  }
  return {};
}

Result<ComposeFile> read_services(const std::vector<ComposeLayer>& layers,
                                  const std::map<std::string, std::string>& env) {
  std::vector<YAML::Node> docs;
  for (const ComposeLayer& layer : layers) {
    auto doc = load_layer(layer);
    if (!doc) {
      return tl::unexpected(doc.error());
    }
    docs.push_back(std::move(*doc));
  }
  // Every service's blocks across the layers, in the order services first appear.
  std::vector<std::string> order;
  std::map<std::string, Blocks> services;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const YAML::Node& root = docs[i];  // const: a missing key is looked up, never added
    if (!root.IsMap() || !root["services"] || !root["services"].IsMap()) {
      continue;
    }
    for (const auto& entry : root["services"]) {
      if (!entry.second.IsMap()) {
        continue;
      }
      auto [it, fresh] = services.try_emplace(entry.first.Scalar());
      if (fresh) {
        it->second.key = entry.first;
        it->second.key_file = &layers[i].file;
        order.push_back(entry.first.Scalar());
      }
      it->second.blocks.push_back(Found{entry.second, &layers[i].file});
    }
  }
  ComposeFile out;
  std::set<std::string> used;
  auto value = [&](const Found& found, const std::string& what) -> Result<std::string> {
    if (!found.node.IsScalar()) {
      return input_error(at(pos_of(found.node, *found.file), "'" + what + "' must be a string"));
    }
    auto v = interpolate(found.node.Scalar(), &env, used);
    if (!v) {
      return input_error(at(pos_of(found.node, *found.file), v.error().message));
    }
    return v;
  };
  // `rel` under the workspace-relative `base` (a context, or the directory of the file that
  // says it), which must stay inside the workspace.
  auto workspace_path = [&](const std::string& base, const std::string& rel, const Found& where,
                            const std::string& what) -> Result<std::string> {
    auto parsed = RepoPath::parse(base.empty() ? rel : base + "/" + rel);
    if (!parsed || rel.starts_with('/')) {
      return input_error(at(pos_of(where.node, *where.file),
                            what + " '" + rel + "' must be a path inside the workspace"));
    }
    return parsed->str();
  };
  for (std::size_t i = 0; i < layers.size(); ++i) {
    if (auto st = read_includes(docs[i], layers[i].file, value, workspace_path, out); !st) {
      return tl::unexpected(st.error());
    }
  }
  // Paths are relative to the project's directory, the first layer's (as Compose's `-f a -f b`).
  const std::string project_dir = parent_of(layers.front().file);
  std::vector<Build> builds;
  for (const std::string& name : order) {
    const Blocks& service = services.at(name);
    const Found build = service.field("build");
    if (!build) {
      continue;
    }
    if (!build.node.IsMap() && !build.node.IsScalar()) {
      return input_error(at(pos_of(build.node, *build.file),
                            "'build' must be a context path or a map with 'context', "
                            "'dockerfile', 'args', ..."));
    }
    Build b{service.key, *service.key_file, name, ".", "", "", {}, {},
            ""};  // no Dockerfile: inline
    // Every layer's additional contexts, a later one replacing an earlier one of the same name.
    std::map<std::string, std::pair<std::string, SourcePos>> extra_contexts;
    for (const Found& block : service.blocks) {
      const YAML::Node extra = block.node["build"] && block.node["build"].IsMap()
                                   ? block.node["build"]["additional_contexts"]
                                   : YAML::Node();
      if (!extra) {
        continue;
      }
      auto add = [&](const std::string& key, const YAML::Node& where) -> Status {
        auto v = value(Found{where, block.file}, "build.additional_contexts");
        if (!v) {
          return tl::unexpected(v.error());
        }
        std::string context = *v;
        std::string context_name = key;
        if (key.empty()) {  // the list form: name=value
          const std::size_t eq = v->find('=');
          if (eq == std::string::npos) {
            return {};
          }
          context_name = v->substr(0, eq);
          context = v->substr(eq + 1);
        }
        extra_contexts[context_name] = {context, pos_of(where, *block.file)};
        return {};
      };
      for (const auto& item : extra) {
        const bool pair = extra.IsMap();
        if (auto st = add(pair ? item.first.Scalar() : std::string(),
                          pair ? item.second : static_cast<const YAML::Node&>(item));
            !st) {
          return tl::unexpected(st.error());
        }
      }
    }
    for (const auto& [context_name, context] : extra_contexts) {
      if (context.first.starts_with("service:")) {
        b.edges.emplace_back(context.first.substr(8), context.second);
      }
    }
    std::string context = ".";
    const Found context_node = service.build_field("context");
    if (context_node) {
      auto c = value(context_node, "build.context");
      if (!c) {
        return tl::unexpected(c.error());
      }
      context = *c;
    }
    if (context.find("://") != std::string::npos || context.starts_with("git@")) {
      out.warnings.push_back(Diagnostic{
          at(pos_of(b.key, b.key_file), "service '" + b.name + "' builds from a remote context (" +
                                            context + "); not a service here")});
      continue;
    }
    const Found& context_at = context_node ? context_node : build;
    auto ctx = workspace_path(project_dir, context, context_at, "build context");
    if (!ctx) {
      return tl::unexpected(ctx.error());
    }
    b.context = *ctx;
    // The last layer that names a Dockerfile decides between a file and an inline one.
    bool inline_dockerfile = false;
    for (auto it = service.blocks.rbegin(); it != service.blocks.rend(); ++it) {
      const YAML::Node layer_build = it->node["build"];
      if (layer_build && layer_build.IsMap() &&
          (layer_build["dockerfile"] || layer_build["dockerfile_inline"])) {
        inline_dockerfile = !layer_build["dockerfile"];
        break;
      }
    }
    if (!inline_dockerfile) {
      std::string dockerfile = "Dockerfile";
      const Found dockerfile_node = service.build_field("dockerfile");
      if (dockerfile_node) {
        auto d = value(dockerfile_node, "build.dockerfile");
        if (!d) {
          return tl::unexpected(d.error());
        }
        dockerfile = *d;
      }
      // Relative to the context, whichever layer names it.
      auto df = workspace_path(b.context, dockerfile, dockerfile_node ? dockerfile_node : build,
                               "build.dockerfile");
      if (!df) {
        return tl::unexpected(df.error());
      }
      b.dockerfile = *df;
    }
    // Build args, every layer's, a later one replacing an earlier one of the same name; an arg
    // without a value (`- NAME`) takes the environment's, which ripple does not read.
    for (const Found& block : service.blocks) {
      const YAML::Node args = block.node["build"] && block.node["build"].IsMap()
                                  ? block.node["build"]["args"]
                                  : YAML::Node();
      if (!args || !(args.IsMap() || args.IsSequence())) {
        continue;
      }
      for (const auto& item : args) {
        const bool pair = args.IsMap();
        const YAML::Node& node = pair ? item.second : static_cast<const YAML::Node&>(item);
        if (!node.IsScalar()) {
          continue;  // a null value: from the environment
        }
        auto v = value(Found{node, block.file}, "build.args");
        if (!v) {
          return tl::unexpected(v.error());
        }
        if (pair) {
          b.args[item.first.Scalar()] = *v;
        } else if (const std::size_t eq = v->find('='); eq != std::string::npos) {
          b.args[v->substr(0, eq)] = v->substr(eq + 1);
        }
      }
    }
    if (const Found target = service.build_field("target")) {
      auto t = value(target, "build.target");
      if (!t) {
        return tl::unexpected(t.error());
      }
      b.target = *t;
    }
    if (const Found image = service.field("image")) {
      auto i = value(image, "image");
      if (!i) {
        return tl::unexpected(i.error());
      }
      b.image = *i;
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
        b.name, parsed ? *parsed : RepoPath(), {pos_of(b.key, b.key_file), kComposeRule}, {}, {}};
    for (auto& [target, pos] : b.edges) {
      s.edges.push_back(InferredEdge{target, {pos, kComposeRule}});
    }
    out.services.push_back(ComposeService{std::move(s), b.image, b.context, b.dockerfile,
                                          std::move(b.args), std::move(b.target)});
  }
  return out;
}

}  // namespace

Result<ComposeFile> compose_services(const std::vector<ComposeLayer>& layers,
                                     const std::map<std::string, std::string>& env) {
  if (layers.empty()) {
    return ComposeFile{};
  }
  try {
    return read_services(layers, env);
  } catch (const YAML::Exception& e) {  // a shape yaml-cpp refuses to walk
    return input_error(at(SourcePos{layers.front().file, e.mark.line + 1, e.mark.column + 1},
                          e.msg + "; fix the file, or leave the compose rule out of 'discover:'"));
  }
}

Result<ComposeFile> compose_services(std::string_view text, const std::string& file,
                                     const std::map<std::string, std::string>& env) {
  return compose_services({ComposeLayer{std::string(text), file}}, env);
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
    if (!entry.second.IsMap()) {
      continue;
    }
    ComposePart part{canonical(entry.second), {}, static_cast<bool>(entry.second["build"])};
    std::set<std::string> used;
    (void)interpolate(part.block, nullptr, used);
    part.variables.assign(used.begin(), used.end());
    out.emplace(entry.first.Scalar(), std::move(part));
  }
  return out;
}

}  // namespace ripple::rules
