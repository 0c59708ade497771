#include "rules/node_workspaces.h"

#include <yaml-cpp/yaml.h>

#include <array>
#include <nlohmann/json.hpp>

#include "graph/names.h"

namespace ripple::rules {
namespace {

using Json = nlohmann::json;

constexpr std::array kDependencyKinds = {"dependencies", "devDependencies", "peerDependencies",
                                         "optionalDependencies"};

SourcePos pos_at(std::string_view text, std::size_t offset, const std::string& file) {
  SourcePos pos{file, 1, 1};
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++pos.line;
      pos.column = 1;
    } else {
      ++pos.column;
    }
  }
  return pos;
}

// Where `"key"` followed by ':' is written at or after `from`; npos when it is not.
std::size_t find_key(std::string_view text, std::string_view key, std::size_t from) {
  const std::string quoted = Json(std::string(key)).dump();
  for (std::size_t at = text.find(quoted, from); at != std::string_view::npos;
       at = text.find(quoted, at + 1)) {
    std::size_t after = at + quoted.size();
    while (after < text.size() && (text[after] == ' ' || text[after] == '\t' ||
                                   text[after] == '\n' || text[after] == '\r')) {
      ++after;
    }
    if (after < text.size() && text[after] == ':') {
      return at;
    }
  }
  return std::string_view::npos;
}

Result<Json> parse_json(std::string_view text, const std::string& file) {
  try {
    return Json::parse(text);
  } catch (const Json::parse_error& e) {
    // e.byte is one past the byte where parsing stopped.
    const std::size_t offset = e.byte > 0 ? e.byte - 1 : 0;
    std::string what = e.what();
    if (auto colon = what.rfind(": "); colon != std::string::npos) {
      what = what.substr(colon + 2);
    }
    return input_error(at(pos_at(text, offset, file),
                          "not valid JSON (" + what + "); fix the file, or leave the " +
                              std::string(kNodeRule) + " rule out of 'discover:'"));
  }
}

// A dependency spec that names a package from elsewhere, not the workspace's own.
bool points_elsewhere(const std::string& spec) {
  for (std::string_view prefix : {"npm:", "git+", "git:", "github:", "http:", "https:"}) {
    if (spec.starts_with(prefix)) {
      return true;
    }
  }
  return spec.find("://") != std::string::npos;
}

std::string strip_dot_slash(std::string glob) {
  const bool negated = glob.starts_with('!');
  std::string body = negated ? glob.substr(1) : glob;
  while (body.starts_with("./")) {
    body = body.substr(2);
  }
  while (body.size() > 1 && body.ends_with('/')) {
    body.pop_back();
  }
  return negated ? "!" + body : body;
}

Result<std::optional<PackageGlobs>> from_pnpm(const std::string& text) {
  const std::string file = "pnpm-workspace.yaml";
  YAML::Node doc;
  try {
    doc = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    return input_error(at(SourcePos{file, e.mark.line + 1, e.mark.column + 1},
                          "not valid YAML (" + e.msg +
                              "); fix the file, or leave the node rule "
                              "out of 'discover:'"));
  }
  if (!doc.IsMap() || !doc["packages"]) {
    return std::optional<PackageGlobs>();
  }
  const YAML::Node packages = doc["packages"];
  auto pos_of = [&](const YAML::Node& n) {
    return SourcePos{file, n.Mark().line + 1, n.Mark().column + 1};
  };
  if (!packages.IsSequence()) {
    return input_error(at(pos_of(packages), "'packages' must be a list of directory globs"));
  }
  PackageGlobs out;
  for (const YAML::Node& item : packages) {
    if (!item.IsScalar()) {
      return input_error(at(pos_of(item), "'packages' entries must be directory globs"));
    }
    out.globs.push_back({strip_dot_slash(item.Scalar()), pos_of(item)});
  }
  return std::optional(std::move(out));
}

}  // namespace

Result<std::optional<PackageGlobs>> node_package_globs(
    const std::optional<std::string>& package_json, const std::optional<std::string>& pnpm_yaml) {
  if (pnpm_yaml) {
    return from_pnpm(*pnpm_yaml);
  }
  if (!package_json) {
    return std::optional<PackageGlobs>();
  }
  const std::string file = "package.json";
  auto doc = parse_json(*package_json, file);
  if (!doc) {
    return tl::unexpected(doc.error());
  }
  if (!doc->is_object() || !doc->contains("workspaces")) {
    return std::optional<PackageGlobs>();
  }
  const std::size_t key = find_key(*package_json, "workspaces", 0);
  const SourcePos key_pos = pos_at(*package_json, key == std::string::npos ? 0 : key, file);
  const Json* list = &(*doc)["workspaces"];
  if (list->is_object() && list->contains("packages")) {
    list = &(*list)["packages"];  // yarn's { "packages": [...], "nohoist": [...] }
  }
  if (!list->is_array()) {
    return input_error(at(key_pos,
                          "'workspaces' must be a list of directory globs (or yarn's "
                          "{ \"packages\": [...] })"));
  }
  PackageGlobs out;
  std::size_t from = key == std::string::npos ? 0 : key;
  for (const Json& item : *list) {
    if (!item.is_string()) {
      return input_error(at(key_pos, "'workspaces' entries must be directory globs (strings)"));
    }
    const std::string glob = item.get<std::string>();
    const std::size_t offset = package_json->find(Json(glob).dump(), from);
    if (offset != std::string::npos) {
      from = offset;
    }
    out.globs.push_back({strip_dot_slash(glob),
                         pos_at(*package_json, offset == std::string::npos ? from : offset, file)});
  }
  return std::optional(std::move(out));
}

Result<std::optional<InferredService>> node_package(std::string_view text, const std::string& file,
                                                    const RepoPath& dir) {
  auto doc = parse_json(text, file);
  if (!doc) {
    return tl::unexpected(doc.error());
  }
  if (!doc->is_object()) {
    return input_error(at(SourcePos{file, 1, 1}, "a package.json must hold an object"));
  }
  auto name = doc->find("name");
  if (name == doc->end()) {
    return std::optional<InferredService>();
  }
  const std::size_t name_at = find_key(text, "name", 0);
  const SourcePos name_pos = pos_at(text, name_at == std::string_view::npos ? 0 : name_at, file);
  if (!name->is_string() || name->get<std::string>().empty()) {
    return input_error(at(name_pos, "'name' must be the package's name (a non-empty string)"));
  }
  if (auto problem = graph::service_name_problem(name->get<std::string>())) {
    return input_error(
        at(name_pos, "a workspace package's name is its service's name: " + *problem));
  }
  InferredService service{name->get<std::string>(), dir, {name_pos, kNodeRule}, {}, {}};
  for (const char* kind : kDependencyKinds) {
    auto deps = doc->find(kind);
    if (deps == doc->end()) {
      continue;
    }
    const std::size_t section = find_key(text, kind, 0);
    const SourcePos section_pos =
        pos_at(text, section == std::string_view::npos ? 0 : section, file);
    if (!deps->is_object()) {
      return input_error(
          at(section_pos, "'" + std::string(kind) + "' must map package names to versions"));
    }
    for (const auto& [dep, spec] : deps->items()) {
      if (spec.is_string() && points_elsewhere(spec.get<std::string>())) {
        continue;
      }
      const std::size_t offset =
          section == std::string_view::npos ? section : find_key(text, dep, section);
      service.edges.push_back(
          InferredEdge{dep,
                       {offset == std::string_view::npos ? section_pos : pos_at(text, offset, file),
                        kNodeRule}});
    }
  }
  return std::optional(std::move(service));
}

}  // namespace ripple::rules
