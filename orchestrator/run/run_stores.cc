#include "orchestrator/run/run_stores.h"

#include <unistd.h>

#include "cache/remote_url.h"
#include "cache/tiered_store.h"
#include "orchestrator/ci_environment.h"
#include "orchestrator/command_setup.h"

namespace ripple {

namespace {

// The protocol of `config.protocol`, else of the URL's scheme, with what only it takes.
Result<cache::RemoteProtocol> remote_protocol(const graph::RemoteCacheConfig& config,
                                              const cache::RemoteUrl& url) {
  auto at = [](const SourcePos& pos, const std::string& key) {
    return "ripple.yaml:" + std::to_string(pos.line) + ": cache.remote." + key;
  };
  cache::RemoteProtocol protocol;
  protocol.kind =
      url.turbo ? cache::RemoteProtocol::Kind::turbo : cache::RemoteProtocol::Kind::bazel;
  if (config.protocol) {
    const bool turbo = *config.protocol == graph::RemoteCacheProtocol::turbo;
    if (url.turbo && !turbo) {
      return input_error(at(config.protocol_pos, "protocol") + ": bazel, but the URL " + url.shown +
                         " says turbo; write the URL as http(s):// or drop 'protocol'");
    }
    protocol.kind = turbo ? cache::RemoteProtocol::Kind::turbo : cache::RemoteProtocol::Kind::bazel;
  }
  if (protocol.kind == cache::RemoteProtocol::Kind::bazel) {
    if (!config.team.empty() || !config.slug.empty()) {
      return input_error(at(config.team_pos, config.team.empty() ? "slug" : "team") +
                         ": a team is for Turborepo's remote cache API; write the URL as "
                         "turbo+http(s):// or set protocol: turbo");
    }
    return protocol;
  }
  if (!config.instance.empty()) {
    return input_error(at(config.instance_pos, "instance") +
                       ": a Turborepo remote cache keeps caches apart by team, not by a path: "
                       "use cache.remote.team or cache.remote.slug");
  }
  protocol.team_id = config.team;
  protocol.slug = config.slug;
  return protocol;
}

}  // namespace

Result<std::optional<cache::RemoteOptions>> remote_options_for(
    const CommandContext& ctx, const LoadedWorkspace& loaded,
    const graph::RemoteCacheConfig& config, const StoreChoice& choice) {
  const std::string where =
      "ripple.yaml:" + std::to_string(config.url_pos.line) + ": cache.remote.url";
  auto url = cache::parse_remote_url(config.url, where);
  if (!url) {
    return tl::unexpected(url.error());
  }
  auto protocol = remote_protocol(config, *url);
  if (!protocol) {
    return tl::unexpected(protocol.error());
  }
  cache::RemoteOptions options;
  options.protocol = std::move(*protocol);
  options.url = url->base;
  if (!config.instance.empty()) {
    options.url += "/" + config.instance;
  }
  options.shown_url = url->shown;
  options.http.user_password = url->user_password;
  options.http.timeout = std::chrono::seconds(config.timeout_seconds);
  options.http.connect_timeout =
      std::min<std::chrono::milliseconds>(options.http.timeout, std::chrono::seconds(5));
  options.http.max_connections = config.max_connections;
  for (const auto& [name, value] : config.headers) {
    options.http.headers.push_back(name + ": " + value);
  }
  Reporter& reporter = ctx.reporter;
  if (config.token_env) {
    auto token = ctx.env(*config.token_env);
    if (token && !token->empty()) {
      options.http.headers.push_back("Authorization: Bearer " + *token);
    } else {
      reporter.warning("remote cache " + url->shown + ": cache.remote.token_env names " +
                       *config.token_env + ", which is not set; asking without a token");
    }
  }
  if (config.signing_key_env) {
    auto secret = ctx.env(*config.signing_key_env);
    if (!secret || secret->empty()) {
      reporter.warning("remote cache " + url->shown + ": cache.remote.signing_key_env names " +
                       *config.signing_key_env +
                       ", which is not set: its entries can be neither signed nor checked, so "
                       "the remote cache is off for this run");
      return std::optional<cache::RemoteOptions>();
    }
    options.signing_key = *secret;
  }
  options.read = config.mode != "write-only";
  const bool mode_writes = config.mode != "read-only";
  if (choice.remote_write) {
    options.write = *choice.remote_write;
  } else if (mode_writes && change_request_run(ctx.env)) {
    options.write = false;
    reporter.info("remote cache " + url->shown +
                  ": read-only on a pull/merge request run (--remote-write uploads)");
  } else {
    options.write = mode_writes;
  }
  options.staging_dir =
      loaded.root + "/.ripple/tmp/remote-" + std::to_string(static_cast<long>(getpid()));
  options.upload_wait = std::chrono::seconds(std::max(60, 2 * config.timeout_seconds));
  options.on_warning = [&reporter](const std::string& m) { reporter.warning(m); };
  return std::optional<cache::RemoteOptions>(std::move(options));
}

Result<RunStores> open_run_stores(const CommandContext& ctx, const LoadedWorkspace& loaded,
                                  const StoreChoice& choice) {
  RunStores stores;
  if (choice.use == CacheUse::off) {
    return stores;
  }
  const auto& remote_config = loaded.workspace.config().cache.remote;
  const bool want_remote = choice.use == CacheUse::remote || choice.use == CacheUse::both ||
                           (choice.use == CacheUse::configured && remote_config);
  const bool want_local = choice.use != CacheUse::remote;
  if (want_remote && !remote_config) {
    return input_error("--cache " +
                       std::string(choice.use == CacheUse::remote ? "remote" : "both") +
                       " needs a remote cache: add cache.remote.url to ripple.yaml "
                       "(docs/remote-cache.md)");
  }
  std::unique_ptr<cache::LocalStore> local;
  if (want_local) {
    auto opened = open_run_cache(ctx, loaded, choice.lock_timeout);
    if (!opened) {
      return tl::unexpected(opened.error());
    }
    local = std::move(*opened);  // null when the cache cannot be used (warned about)
  }
  if (!want_remote) {
    stores.local = local.get();
    stores.store = std::move(local);
    return stores;
  }
  auto options = remote_options_for(ctx, loaded, *remote_config, choice);
  if (!options) {
    return tl::unexpected(options.error());
  }
  if (!*options) {  // off for this run (warned about)
    stores.local = local.get();
    stores.store = std::move(local);
    return stores;
  }
  auto remote = std::make_unique<cache::HttpStore>(std::move(**options));
  stores.local = local.get();
  stores.remote = remote.get();
  stores.store = std::make_unique<cache::TieredStore>(std::move(local), std::move(remote));
  return stores;
}

}  // namespace ripple
