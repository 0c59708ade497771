#pragma once

// The configuration model of DESIGN.md §3, as written by the user: `ripple.yaml` at the workspace
// root and one `service.yaml` per service directory. Values keep where they were written so that
// later validation (unknown services, unknown tasks) can point at the exact line and column.
// Unset optional fields stay unset here; templates are merged into services by the Workspace.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "graph/deploy_config.h"
#include "graph/support/error.h"

namespace ripple::graph {

using LocatedString = Located<std::string>;
using LocatedStrings = std::vector<LocatedString>;

struct TaskConfig {
  SourcePos pos;  // where the task's name was written
  // `test: false` in a service.yaml: the service drops the template task of that name.
  bool disabled = false;
  // Templates only (ripple.yaml): the task exists only in services whose directory holds one of
  // these files (`where: [package.json]`).
  std::optional<LocatedStrings> where;
  // Templates only: the package.json script the task runs (`script: build`). A service whose
  // package.json has that script gets the task, run by the workspace's package manager
  // (`npm run build`; the loader writes that into `run`); any other service does not get it.
  // Never in a service.yaml, so the service-config snapshot (config_codec) does not carry it.
  std::optional<LocatedString> script;
  std::optional<LocatedString> run;
  std::optional<LocatedStrings> deps;  // "^build", "build", "svc#task"
  std::optional<LocatedStrings> outputs;
  std::optional<LocatedStrings> inputs;
  std::optional<LocatedStrings> env;
  std::optional<int> timeout_seconds;
  std::optional<bool> cache;
};

using TaskConfigs = std::map<std::string, TaskConfig>;

// `image:` in a service.yaml (docs/images.md): the image its `image` task builds.
struct ImageConfig {
  SourcePos pos;
  std::string dockerfile = "Dockerfile";  // relative to the service directory
  std::string context = ".";              // relative to the service directory
  std::optional<std::string> name;        // default: the service name
  std::map<std::string, std::string> build_args;
  std::optional<std::string> target;    // the Dockerfile stage to build
  std::vector<std::string> platforms;   // "linux/amd64", …; none: the builder's own
  std::vector<std::string> extra_tags;  // pushed beside the content tag, never decide anything
  // The services whose images this one builds on (`FROM`, `COPY --from=`, Compose
  // `additional_contexts: service:`), as the dockerfile and compose rules find them; not read
  // from the service.yaml. Its image task runs after theirs, and its key holds theirs.
  LocatedStrings from = {};

  // Adds `service` to `from` once.
  void add_from(const std::string& service, const SourcePos& where) {
    for (const LocatedString& known : from) {
      if (known.value == service) {
        return;
      }
    }
    from.push_back({service, where});
  }
};

// Which HTTP protocol a remote cache speaks (`cache.remote.protocol`).
enum class RemoteCacheProtocol {
  bazel,  // Bazel's HTTP cache protocol: bazel-remote, nginx WebDAV
  turbo,  // Turborepo's remote cache API: Vercel, turborepo-remote-cache
};

// `cache.remote` (docs/remote-cache.md): a cache shared between runners over HTTP.
struct RemoteCacheConfig {
  std::string url;
  SourcePos url_pos;  // where `url` was written, for errors about it
  // Unset: chosen by the URL's scheme (turbo+http(s):// is turbo, http(s):// bazel).
  std::optional<RemoteCacheProtocol> protocol;
  SourcePos protocol_pos;
  // Turborepo's team, sent as ?teamId= / ?slug=; empty for none. Only letters, digits, '.', '_'
  // and '-' (checked by the parser), so they go into a URL as they are.
  std::string team;
  std::string slug;
  SourcePos team_pos;                                        // where `team` or `slug` was written
  std::string mode = "read-write";                           // read-only | read-write | write-only
  std::optional<std::string> token_env;                      // the variable holding a bearer token
  std::vector<std::pair<std::string, std::string>> headers;  // sent with every request
  int timeout_seconds = 30;                                  // per request
  int max_connections = 8;                                   // lookups at once
  std::string instance;  // a path segment after the URL, to keep caches apart
  SourcePos instance_pos;
  std::optional<std::string> signing_key_env;  // the variable holding the entries' HMAC secret
};

struct CacheConfig {
  std::string dir = ".ripple/cache";
  std::optional<RemoteCacheConfig> remote;
};

// `images:` in ripple.yaml (docs/images.md).
struct ImagesConfig {
  std::optional<std::string> registry;  // prefixed to every image name: "registry.example.com/team"
  // docker | buildah | podman, or a command template with {ref}, {dockerfile}, {context}, ...
  std::string builder = "docker";
  SourcePos builder_pos;
  // How an image is pushed (`--push`): a command template with {ref} (the reference to push to)
  // and {source} (the content-tagged reference the builder built). Unset: the named builder's
  // own push; a builder template needs one to push.
  std::optional<std::string> push;
  SourcePos push_pos;
};

// What a changed file that no service owns does (`unowned:` in ripple.yaml).
enum class UnownedPolicy {
  ignore,  // nothing, and nothing said
  warn,    // nothing, but the run and `affected` name the files
  all,     // every service is affected (reason `unowned`): a CI gate that fails safe
};

struct RootConfig {
  std::string file;  // the path it was read from, as shown in messages
  int version = 1;
  std::optional<std::string> base;
  std::string fsmonitor = "off";  // "off" or "watchman": how the work tree's changes are found
  LocatedStrings services;        // globs of directories holding a service.yaml
  std::optional<LocatedStrings> discover;
  LocatedStrings global_inputs;
  LocatedStrings ignore;
  UnownedPolicy unowned = UnownedPolicy::warn;
  LocatedStrings env;
  TaskConfigs tasks;
  CacheConfig cache;
  ImagesConfig images;
  DeployConfig deploy;  // `deploy:`: GitOps files per service
};

struct ServiceConfig {
  std::string file;
  std::optional<LocatedString> name;
  LocatedStrings deps;
  std::optional<LocatedStrings> inputs;
  LocatedStrings env;
  TaskConfigs tasks;
  std::optional<ImageConfig> image;
  // `discover:` in a service.yaml: the inference rules whose findings apply to this service
  // (edges, inputs, its image, its parts of shared files); none: every rule the workspace runs.
  std::optional<LocatedStrings> discover;
};

}  // namespace ripple::graph
