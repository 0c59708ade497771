#include "graph/config_parser.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "graph/config_fast_parser.h"
#include "graph/names.h"
#include "graph/support/repo_path.h"
#include "graph/support/text.h"

namespace ripple::graph {
namespace {

// yaml-cpp stays inside this file: it throws, we return Results. Each reader takes a node and the
// file name and turns every surprise into an input error at the node's position.

SourcePos pos_of(const YAML::Node& node, std::string_view file) {
  const YAML::Mark mark = node.Mark();
  if (mark.is_null()) {
    return SourcePos{std::string(file), 0, 0};
  }
  return SourcePos{std::string(file), mark.line + 1, mark.column + 1};
}

const char* type_name(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Null:
      return "nothing";
    case YAML::NodeType::Scalar:
      return "a scalar";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Undefined:
      break;
  }
  return "an undefined value";
}

class Reader {
 public:
  explicit Reader(std::string_view file) : file_(file) {}

  SourcePos pos(const YAML::Node& node) const { return pos_of(node, file_); }

  tl::unexpected<Error> fail(const YAML::Node& node, std::string_view message) const {
    return input_error(at(pos(node), message));
  }

  Result<std::string> string(const YAML::Node& node, std::string_view key) const {
    if (!node.IsScalar()) {
      return fail(node, "'" + std::string(key) + "' must be a string, not " + type_name(node));
    }
    return node.Scalar();
  }

  Result<LocatedString> located_string(const YAML::Node& node, std::string_view key) const {
    auto value = string(node, key);
    if (!value) {
      return tl::unexpected(value.error());
    }
    return LocatedString{*value, pos(node)};
  }

  // A list of strings; `key: ~` (nothing) is an empty list.
  Result<LocatedStrings> strings(const YAML::Node& node, std::string_view key) const {
    LocatedStrings out;
    if (node.IsNull()) {
      return out;
    }
    if (!node.IsSequence()) {
      return fail(node, "'" + std::string(key) + "' must be a list of strings, not " +
                            type_name(node) + " (write it as [a, b] or one '- a' per line)");
    }
    for (const YAML::Node& item : node) {
      if (!item.IsScalar()) {
        return fail(item, "each entry of '" + std::string(key) + "' must be a string, not " +
                              type_name(item));
      }
      out.push_back(LocatedString{item.Scalar(), pos(item)});
    }
    return out;
  }

  Result<int> integer(const YAML::Node& node, std::string_view key) const {
    int value = 0;
    if (!node.IsScalar() || !YAML::convert<int>::decode(node, value)) {
      return fail(node, "'" + std::string(key) + "' must be a whole number");
    }
    return value;
  }

  Result<bool> boolean(const YAML::Node& node, std::string_view key) const {
    bool value = false;
    if (!node.IsScalar() || !YAML::convert<bool>::decode(node, value)) {
      return fail(node, "'" + std::string(key) + "' must be true or false");
    }
    return value;
  }

  using Handler = std::function<Status(const YAML::Node& key, const YAML::Node& value)>;

  // Walks a mapping, rejecting unknown and duplicate keys; `handle` gets each known key's value.
  Status mapping(const YAML::Node& node, std::string_view what,
                 const std::vector<std::string>& allowed, const Handler& handle) const {
    if (!node.IsMap()) {
      return fail(
          node, std::string(what) + " must be a mapping of keys to values, not " + type_name(node));
    }
    std::set<std::string> seen;
    for (auto it = node.begin(); it != node.end(); ++it) {
      const YAML::Node key = it->first;
      const YAML::Node value = it->second;
      if (!key.IsScalar()) {
        return fail(key, "keys of " + std::string(what) + " must be strings");
      }
      const std::string& name = key.Scalar();
      if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
        return fail(key, "unknown key '" + name + "' in " + std::string(what) +
                             did_you_mean(name, allowed) + "; known keys: " + join(allowed, ", "));
      }
      if (!seen.insert(name).second) {
        return fail(
            key, "key '" + name + "' appears twice in " + std::string(what) + "; keep one of them");
      }
      if (auto status = handle(key, value); !status) {
        return status;
      }
    }
    return {};
  }

 private:
  std::string file_;
};

// Assigns the result of a reader call to `target` or returns its error from the handler.
#define RIPPLE_READ(target, expr)                       \
  do {                                                  \
    auto ripple_read_value = (expr);                    \
    if (!ripple_read_value) {                           \
      return tl::unexpected(ripple_read_value.error()); \
    }                                                   \
    (target) = std::move(*ripple_read_value);           \
  } while (false)

// yaml-cpp 0.7 reads a quoted scalar that is never closed to the end of the file instead of
// failing ("base: 'main" is "main "): every quoted scalar is checked to close in the text.
std::optional<SourcePos> unclosed_quote(const YAML::Node& node, std::string_view text,
                                        std::string_view file) {
  if (node.IsScalar()) {
    const YAML::Mark m = node.Mark();
    if (m.is_null() || m.pos < 0 || static_cast<std::size_t>(m.pos) >= text.size()) {
      return std::nullopt;
    }
    const char quote = text[static_cast<std::size_t>(m.pos)];
    if (quote != '\'' && quote != '"') {
      return std::nullopt;
    }
    for (std::size_t i = static_cast<std::size_t>(m.pos) + 1; i < text.size(); ++i) {
      if (quote == '"' && text[i] == '\\') {
        ++i;  // an escaped character, "\"" included
      } else if (text[i] == quote) {
        if (quote == '\'' && i + 1 < text.size() && text[i + 1] == '\'') {
          ++i;  // '' is a quote inside single quotes
          continue;
        }
        return std::nullopt;
      }
    }
    return SourcePos{std::string(file), m.line + 1, m.column + 1};
  }
  if (node.IsSequence()) {
    for (const YAML::Node& item : node) {
      if (auto at = unclosed_quote(item, text, file)) {
        return at;
      }
    }
  } else if (node.IsMap()) {
    for (auto it = node.begin(); it != node.end(); ++it) {
      if (auto at = unclosed_quote(it->first, text, file)) {
        return at;
      }
      if (auto at = unclosed_quote(it->second, text, file)) {
        return at;
      }
    }
  }
  return std::nullopt;
}

// The line of the marker that starts a second YAML document: the first "---" line after some
// content (a first document may open with one).
int second_document_line(std::string_view text) {
  bool content = false;
  int line = 0;
  for (std::size_t start = 0; start < text.size();) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) {
      end = text.size();
    }
    ++line;
    std::string_view l = text.substr(start, end - start);
    const bool marker = l.starts_with("---") && (l.size() == 3 || l[3] == ' ' || l[3] == '\r');
    if (marker && content) {
      return line;
    }
    const std::size_t first = l.find_first_not_of(" \t\r");
    content = content || (!marker && first != std::string_view::npos && l[first] != '#');
    start = end + 1;
  }
  return 0;
}

Result<YAML::Node> load(std::string_view text, std::string_view file) {
  try {
    std::vector<YAML::Node> docs = YAML::LoadAll(std::string(text));
    if (docs.size() > 1) {
      return input_error(at(SourcePos{std::string(file), second_document_line(text), 1},
                            "a second YAML document ('---'); " + std::string(file) +
                                " holds one document: remove the marker or what follows it"));
    }
    YAML::Node doc = docs.empty() ? YAML::Node() : docs.front();
    if (auto quote = unclosed_quote(doc, text, file)) {
      return input_error(at(*quote, "a quoted value is never closed; add the closing quote"));
    }
    return doc;
  } catch (const YAML::ParserException& e) {
    SourcePos pos{std::string(file), e.mark.line + 1, e.mark.column + 1};
    return input_error(at(pos, "YAML syntax error: " + e.msg + "; fix the indentation or quoting"));
  } catch (const YAML::Exception& e) {
    return input_error(std::string(file) + ": cannot read YAML: " + e.msg);
  }
}

// Where a task is written: a template in ripple.yaml, or a service's own in service.yaml.
enum class TaskPlace { template_, service };

// A script name `npm run NAME` can take as one shell word: "build", "test:unit", "lint-fix".
bool valid_script_name(const std::string& name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '-' || c == '_' || c == ':' || c == '.';
  });
}

Status read_task(const Reader& r, const YAML::Node& node, const std::string& name, TaskPlace place,
                 TaskConfig& task) {
  const std::string what = "task '" + name + "'";
  if (node.IsNull()) {
    return {};
  }
  if (node.IsScalar() && (node.Scalar() == "false" || node.Scalar() == "true")) {
    if (node.Scalar() == "true" || place == TaskPlace::template_) {
      return r.fail(node, place == TaskPlace::template_
                              ? "task '" + name +
                                    "' is false in ripple.yaml; 'false' drops an inherited task "
                                    "in a service.yaml, a template can simply be removed"
                              : "task '" + name +
                                    "' must be a mapping of keys to values, or false to drop "
                                    "the template task of that name");
    }
    task.disabled = true;
    return {};
  }
  static const std::vector<std::string> kTemplateKeys = {
      "run", "deps", "outputs", "inputs", "env", "timeout", "cache", "where", "script"};
  static const std::vector<std::string> kKeys = {"run", "deps",    "outputs", "inputs",
                                                 "env", "timeout", "cache"};
  return r.mapping(
      node, what, place == TaskPlace::template_ ? kTemplateKeys : kKeys,
      [&](const YAML::Node& key, const YAML::Node& value) -> Status {
        const std::string& k = key.Scalar();
        if (k == "where") {
          RIPPLE_READ(task.where, r.strings(value, "where"));
          for (const LocatedString& file : *task.where) {
            if (file.value.empty() || file.value.front() == '/' ||
                file.value.find_first_of("*?[\\") != std::string::npos ||
                file.value.find("..") != std::string::npos) {
              return input_error(at(file.pos, "'where' entry '" + file.value +
                                                  "' must be a file name relative to the service "
                                                  "directory, without wildcards or '..' "
                                                  "(package.json, Makefile, cmd/main.go)"));
            }
          }
        } else if (k == "run" || k == "script") {
          auto& field = k == "run" ? task.run : task.script;
          RIPPLE_READ(field, r.located_string(value, k));
          if (task.run && task.script) {
            return input_error(at(
                field->pos, "task '" + name + "' has both 'run' and 'script'; keep one ('script: " +
                                name + "' runs the package.json script of that name)"));
          }
          if (task.script && !valid_script_name(task.script->value)) {
            return input_error(at(task.script->pos,
                                  "'script' must name a package.json script (letters, digits "
                                  "and -_:.), not '" +
                                      task.script->value + "'"));
          }
        } else if (k == "deps") {
          RIPPLE_READ(task.deps, r.strings(value, "deps"));
        } else if (k == "outputs") {
          RIPPLE_READ(task.outputs, r.strings(value, "outputs"));
        } else if (k == "inputs") {
          RIPPLE_READ(task.inputs, r.strings(value, "inputs"));
        } else if (k == "env") {
          RIPPLE_READ(task.env, r.strings(value, "env"));
        } else if (k == "timeout") {
          RIPPLE_READ(task.timeout_seconds, r.integer(value, "timeout"));
          if (*task.timeout_seconds <= 0) {
            return r.fail(value, "'timeout' must be a positive number of seconds");
          }
        } else if (k == "cache") {
          RIPPLE_READ(task.cache, r.boolean(value, "cache"));
        }
        return {};
      });
}

Status read_tasks(const Reader& r, const YAML::Node& node, TaskPlace place, TaskConfigs& tasks) {
  if (node.IsNull()) {
    return {};
  }
  if (!node.IsMap()) {
    return r.fail(node, std::string("'tasks' must be a mapping of task names to tasks, not ") +
                            type_name(node));
  }
  for (auto it = node.begin(); it != node.end(); ++it) {
    const YAML::Node key = it->first;
    const YAML::Node value = it->second;
    if (!key.IsScalar() || key.Scalar().empty()) {
      return r.fail(key, "task names must be non-empty strings");
    }
    const std::string& name = key.Scalar();
    if (auto problem = task_name_problem(name)) {
      return r.fail(key, *problem);
    }
    if (tasks.count(name) > 0) {
      return r.fail(key, "task '" + name + "' is defined twice; keep one of them");
    }
    TaskConfig task;
    task.pos = r.pos(key);
    if (auto status = read_task(r, value, name, place, task); !status) {
      return status;
    }
    tasks.emplace(name, std::move(task));
  }
  return {};
}

// A workspace-relative path for a GitOps file, normalised, or an input error at the value.
Result<std::string> deploy_path(const Reader& r, const YAML::Node& node, std::string_view key,
                                bool directory) {
  std::string text;
  RIPPLE_READ(text, r.string(node, key));
  auto path = RepoPath::parse(text);
  if (!path || (!directory && path->is_root())) {
    return r.fail(node,
                  "'" + std::string(key) + "' must be a " + (directory ? "directory" : "file") +
                      " path inside the workspace, relative to ripple.yaml, not '" + text + "'");
  }
  return path->is_root() ? std::string(".") : path->str();
}

// `deploy:` (deploy_config.h): service name → { kustomize, helm, argocd }.
Status read_deploy(const Reader& r, const YAML::Node& node, DeployConfig& deploy) {
  if (node.IsNull()) {
    return {};
  }
  if (!node.IsMap()) {
    return r.fail(node,
                  "'deploy' must be a mapping of service names to their GitOps files, such as "
                  "{ checkout: { kustomize: deploy/prod/kustomization.yaml } }");
  }
  static const std::vector<std::string> kTargetKeys = {"kustomize", "helm", "argocd"};
  for (auto it = node.begin(); it != node.end(); ++it) {
    ServiceDeploy service;
    RIPPLE_READ(service.service, r.located_string(it->first, "deploy"));
    for (const ServiceDeploy& earlier : deploy) {
      if (earlier.service.value == service.service.value) {
        return r.fail(it->first, "service '" + service.service.value +
                                     "' appears twice in 'deploy'; keep one of them");
      }
    }
    auto st = r.mapping(
        it->second, "'deploy." + service.service.value + "'", kTargetKeys,
        [&](const YAML::Node& tk, const YAML::Node& tv) -> Status {
          const std::string& kind = tk.Scalar();
          if (kind == "kustomize") {
            KustomizeTarget target;
            target.pos = r.pos(tk);
            if (tv.IsScalar()) {
              RIPPLE_READ(target.file, deploy_path(r, tv, "kustomize", false));
            } else {
              static const std::vector<std::string> kKeys = {"file", "name"};
              auto kst = r.mapping(tv, "'kustomize'", kKeys,
                                   [&](const YAML::Node& k, const YAML::Node& v) -> Status {
                                     if (k.Scalar() == "file") {
                                       RIPPLE_READ(target.file, deploy_path(r, v, "file", false));
                                     } else {
                                       RIPPLE_READ(target.name, r.string(v, "name"));
                                     }
                                     return {};
                                   });
              if (!kst) {
                return kst;
              }
              if (target.file.empty()) {
                return r.fail(tv,
                              "'kustomize' needs a 'file', such as "
                              "deploy/prod/kustomization.yaml");
              }
            }
            service.kustomize = std::move(target);
          } else if (kind == "helm") {
            HelmTarget target;
            target.pos = r.pos(tk);
            static const std::vector<std::string> kKeys = {"file", "path"};
            std::string path;
            auto hst = r.mapping(
                tv, "'helm'", kKeys, [&](const YAML::Node& k, const YAML::Node& v) -> Status {
                  if (k.Scalar() == "file") {
                    RIPPLE_READ(target.file, deploy_path(r, v, "file", false));
                  } else {
                    RIPPLE_READ(path, r.string(v, "path"));
                    std::size_t start = 0;
                    while (start <= path.size()) {
                      const std::size_t dot = std::min(path.find('.', start), path.size());
                      target.path.push_back(path.substr(start, dot - start));
                      if (target.path.back().empty()) {
                        return r.fail(v,
                                      "'path' must be keys joined by dots, "
                                      "such as checkout.image, not '" +
                                          path + "'");
                      }
                      start = dot + 1;
                    }
                  }
                  return {};
                });
            if (!hst) {
              return hst;
            }
            if (target.file.empty() || target.path.empty()) {
              return r.fail(tv,
                            "'helm' needs a 'file' (the values file) and a 'path' (the "
                            "mapping holding repository and tag, such as checkout.image)");
            }
            service.helm = std::move(target);
          } else {
            ArgoCdTarget target;
            target.pos = r.pos(tk);
            static const std::vector<std::string> kKeys = {"app", "dir"};
            auto ast = r.mapping(tv, "'argocd'", kKeys,
                                 [&](const YAML::Node& k, const YAML::Node& v) -> Status {
                                   if (k.Scalar() == "dir") {
                                     RIPPLE_READ(target.dir, deploy_path(r, v, "dir", true));
                                     return {};
                                   }
                                   RIPPLE_READ(target.app, r.string(v, "app"));
                                   if (target.app.empty() ||
                                       target.app.find_first_of("/ \t\r\n") != std::string::npos) {
                                     return r.fail(v,
                                                   "'app' must be an Argo CD application "
                                                   "name (no '/' or spaces), not '" +
                                                       target.app + "'");
                                   }
                                   return {};
                                 });
            if (!ast) {
              return ast;
            }
            if (target.app.empty() || target.dir.empty()) {
              return r.fail(tv,
                            "'argocd' needs an 'app' (the Argo CD application) and a 'dir' "
                            "(its source directory, where .argocd-source-<app>.yaml goes)");
            }
            service.argocd = std::move(target);
          }
          return {};
        });
    if (!st) {
      return st;
    }
    deploy.push_back(std::move(service));
  }
  return {};
}

}  // namespace

Result<RootConfig> parse_root_config(std::string_view text, std::string_view file) {
  auto doc = load(text, file);
  if (!doc) {
    return tl::unexpected(doc.error());
  }
  if (doc->IsNull()) {
    return input_error(std::string(file) +
                       ": the file is empty; start it with 'version: 1' and a 'services:' list "
                       "of service directory globs");
  }
  Reader r(file);
  RootConfig config;
  config.file = std::string(file);
  static const std::vector<std::string> kKeys = {
      "version", "base", "fsmonitor", "services", "discover", "global_inputs", "ignore",
      "unowned", "env",  "tasks",     "cache",    "images",   "deploy"};
  auto status = r.mapping(
      *doc, std::string(file), kKeys,
      [&](const YAML::Node& key, const YAML::Node& value) -> Status {
        const std::string& k = key.Scalar();
        if (k == "version") {
          RIPPLE_READ(config.version, r.integer(value, "version"));
          if (config.version != 1) {
            return r.fail(value, "unsupported version " + std::to_string(config.version) +
                                     "; this ripple reads 'version: 1'");
          }
        } else if (k == "base") {
          RIPPLE_READ(config.base, r.string(value, "base"));
        } else if (k == "fsmonitor") {
          RIPPLE_READ(config.fsmonitor, r.string(value, "fsmonitor"));
          if (config.fsmonitor != "off" && config.fsmonitor != "watchman") {
            return r.fail(value,
                          "'fsmonitor' must be watchman or off, not '" + config.fsmonitor + "'");
          }
        } else if (k == "services") {
          RIPPLE_READ(config.services, r.strings(value, "services"));
        } else if (k == "discover") {
          RIPPLE_READ(config.discover, r.strings(value, "discover"));
        } else if (k == "global_inputs") {
          RIPPLE_READ(config.global_inputs, r.strings(value, "global_inputs"));
        } else if (k == "ignore") {
          RIPPLE_READ(config.ignore, r.strings(value, "ignore"));
        } else if (k == "env") {
          RIPPLE_READ(config.env, r.strings(value, "env"));
        } else if (k == "tasks") {
          return read_tasks(r, value, TaskPlace::template_, config.tasks);
        } else if (k == "unowned") {
          std::string policy;
          RIPPLE_READ(policy, r.string(value, "unowned"));
          if (policy == "ignore") {
            config.unowned = UnownedPolicy::ignore;
          } else if (policy == "warn") {
            config.unowned = UnownedPolicy::warn;
          } else if (policy == "all") {
            config.unowned = UnownedPolicy::all;
          } else {
            return r.fail(value, "'unowned' must be ignore, warn or all, not '" + policy + "'");
          }
        } else if (k == "cache") {
          static const std::vector<std::string> kCacheKeys = {"dir", "remote"};
          return r.mapping(
              value, "'cache'", kCacheKeys,
              [&](const YAML::Node& ck, const YAML::Node& cv) -> Status {
                if (ck.Scalar() == "dir") {
                  RIPPLE_READ(config.cache.dir, r.string(cv, "dir"));
                  return {};
                }
                static const std::vector<std::string> kRemoteKeys = {
                    "url",      "mode",           "token_env",
                    "headers",  "timeout",        "max_connections",
                    "instance", "protocol",       "team",
                    "slug",     "signing_key_env"};
                RemoteCacheConfig remote;
                auto st = r.mapping(
                    cv, "'cache.remote'", kRemoteKeys,
                    [&](const YAML::Node& rk, const YAML::Node& rv) -> Status {
                      const std::string& name = rk.Scalar();
                      if (name == "url") {
                        RIPPLE_READ(remote.url, r.string(rv, "url"));
                        remote.url_pos = r.pos(rv);
                      } else if (name == "mode") {
                        RIPPLE_READ(remote.mode, r.string(rv, "mode"));
                        if (remote.mode != "read-only" && remote.mode != "read-write" &&
                            remote.mode != "write-only") {
                          return r.fail(
                              rv, "'mode' must be read-write, read-only or write-only, not '" +
                                      remote.mode + "'");
                        }
                      } else if (name == "token_env") {
                        RIPPLE_READ(remote.token_env, r.string(rv, "token_env"));
                      } else if (name == "headers") {
                        if (!rv.IsMap()) {
                          return r.fail(rv,
                                        "'headers' must be a mapping of header names to values");
                        }
                        for (auto h = rv.begin(); h != rv.end(); ++h) {
                          std::string header;
                          std::string value;
                          RIPPLE_READ(header, r.string(h->first, "headers"));
                          RIPPLE_READ(value, r.string(h->second, header));
                          if (header.empty() ||
                              header.find_first_of(": \r\n") != std::string::npos ||
                              value.find_first_of("\r\n") != std::string::npos) {
                            return r.fail(
                                h->first,
                                "header '" + header + "' is not a header name and one-line value");
                          }
                          remote.headers.emplace_back(std::move(header), std::move(value));
                        }
                      } else if (name == "timeout") {
                        RIPPLE_READ(remote.timeout_seconds, r.integer(rv, "timeout"));
                        if (remote.timeout_seconds < 1) {
                          return r.fail(rv, "'timeout' must be at least 1 (seconds)");
                        }
                      } else if (name == "max_connections") {
                        RIPPLE_READ(remote.max_connections, r.integer(rv, "max_connections"));
                        if (remote.max_connections < 1 || remote.max_connections > 256) {
                          return r.fail(rv, "'max_connections' must be between 1 and 256");
                        }
                      } else if (name == "signing_key_env") {
                        RIPPLE_READ(remote.signing_key_env, r.string(rv, "signing_key_env"));
                      } else if (name == "protocol") {
                        std::string protocol;
                        RIPPLE_READ(protocol, r.string(rv, "protocol"));
                        if (protocol == "bazel") {
                          remote.protocol = RemoteCacheProtocol::bazel;
                        } else if (protocol == "turbo") {
                          remote.protocol = RemoteCacheProtocol::turbo;
                        } else {
                          return r.fail(rv,
                                        "'protocol' must be bazel (Bazel's HTTP cache) or "
                                        "turbo (Turborepo's remote cache API), not '" +
                                            protocol + "'");
                        }
                        remote.protocol_pos = r.pos(rv);
                      } else if (name == "team" || name == "slug") {
                        std::string& value = name == "team" ? remote.team : remote.slug;
                        RIPPLE_READ(value, r.string(rv, name));
                        if (value.empty() ||
                            value.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRS"
                                                    "TUVWXYZ0123456789._-") != std::string::npos) {
                          return r.fail(rv, "'" + name +
                                                "' must be letters, digits, '.', '_' and '-' "
                                                "(a Turborepo team id or slug), not '" +
                                                value + "'");
                        }
                        remote.team_pos = r.pos(rv);
                      } else {
                        RIPPLE_READ(remote.instance, r.string(rv, "instance"));
                        remote.instance_pos = r.pos(rv);
                      }
                      return {};
                    });
                if (!st) {
                  return st;
                }
                if (remote.url.empty()) {
                  return r.fail(cv, "'cache.remote' needs a 'url' such as http://cache:8080");
                }
                config.cache.remote = std::move(remote);
                return {};
              });
        } else if (k == "deploy") {
          return read_deploy(r, value, config.deploy);
        } else if (k == "images") {
          static const std::vector<std::string> kImageKeys = {"registry", "builder", "push"};
          return r.mapping(value, "'images'", kImageKeys,
                           [&](const YAML::Node& ik, const YAML::Node& iv) -> Status {
                             if (ik.Scalar() == "registry") {
                               RIPPLE_READ(config.images.registry, r.string(iv, "registry"));
                             } else if (ik.Scalar() == "push") {
                               RIPPLE_READ(config.images.push, r.string(iv, "push"));
                               config.images.push_pos = r.pos(iv);
                             } else {
                               RIPPLE_READ(config.images.builder, r.string(iv, "builder"));
                               config.images.builder_pos = r.pos(iv);
                             }
                             return {};
                           });
        }
        return {};
      });
  if (!status) {
    return tl::unexpected(status.error());
  }
  return config;
}

Result<ServiceConfig> parse_service_config(std::string_view text, std::string_view file) {
  if (auto fast = parse_service_config_fast(text, file)) {
    return std::move(*fast);
  }
  return parse_service_config_with_yaml_cpp(text, file);
}

Result<ServiceConfig> parse_service_config_with_yaml_cpp(std::string_view text,
                                                         std::string_view file) {
  auto doc = load(text, file);
  if (!doc) {
    return tl::unexpected(doc.error());
  }
  ServiceConfig config;
  config.file = std::string(file);
  if (doc->IsNull()) {
    return config;  // an empty service.yaml is a service with every default
  }
  Reader r(file);
  static const std::vector<std::string> kKeys = {"name",  "deps",  "inputs",  "env",
                                                 "tasks", "image", "discover"};
  auto status = r.mapping(
      *doc, std::string(file), kKeys,
      [&](const YAML::Node& key, const YAML::Node& value) -> Status {
        const std::string& k = key.Scalar();
        if (k == "name") {
          RIPPLE_READ(config.name, r.located_string(value, "name"));
          if (auto problem = service_name_problem(config.name->value)) {
            return r.fail(value, *problem);
          }
        } else if (k == "deps") {
          RIPPLE_READ(config.deps, r.strings(value, "deps"));
        } else if (k == "inputs") {
          RIPPLE_READ(config.inputs, r.strings(value, "inputs"));
        } else if (k == "env") {
          RIPPLE_READ(config.env, r.strings(value, "env"));
        } else if (k == "discover") {
          RIPPLE_READ(config.discover, r.strings(value, "discover"));
        } else if (k == "tasks") {
          return read_tasks(r, value, TaskPlace::service, config.tasks);
        } else if (k == "image") {
          ImageConfig image;
          image.pos = r.pos(key);
          static const std::vector<std::string> kImageKeys = {
              "dockerfile", "context", "name", "build_args", "target", "platforms", "extra_tags"};
          if (!value.IsNull()) {
            auto st = r.mapping(
                value, "'image'", kImageKeys,
                [&](const YAML::Node& ik, const YAML::Node& iv) -> Status {
                  const std::string& field = ik.Scalar();
                  if (field == "dockerfile") {
                    RIPPLE_READ(image.dockerfile, r.string(iv, "dockerfile"));
                  } else if (field == "context") {
                    RIPPLE_READ(image.context, r.string(iv, "context"));
                  } else if (field == "name") {
                    RIPPLE_READ(image.name, r.string(iv, "name"));
                  } else if (field == "target") {
                    RIPPLE_READ(image.target, r.string(iv, "target"));
                  } else if (field == "build_args") {
                    if (!iv.IsMap()) {
                      return r.fail(iv,
                                    "'build_args' must be a mapping of argument names to "
                                    "values, such as { GO_VERSION: \"1.22\" }");
                    }
                    for (auto arg = iv.begin(); arg != iv.end(); ++arg) {
                      std::string arg_name;
                      std::string arg_value;
                      RIPPLE_READ(arg_name, r.string(arg->first, "build_args"));
                      RIPPLE_READ(arg_value, r.string(arg->second, "build_args"));
                      image.build_args[arg_name] = std::move(arg_value);
                    }
                  } else {
                    LocatedStrings list;
                    RIPPLE_READ(list, r.strings(iv, field));
                    auto& into = field == "platforms" ? image.platforms : image.extra_tags;
                    for (LocatedString& item : list) {
                      into.push_back(std::move(item.value));
                    }
                  }
                  return {};
                });
            if (!st) {
              return st;
            }
          }
          config.image = std::move(image);
        }
        return {};
      });
  if (!status) {
    return tl::unexpected(status.error());
  }
  return config;
}

}  // namespace ripple::graph
