#pragma once

// The stores a run talks to (cache/store.h), chosen by `--cache` and `cache.remote`
// (docs/remote-cache.md): the local cache alone, the remote alone, both stacked
// (cache/tiered_store.h), or none.
//
// The remote reads unless its mode is write-only, and writes when its mode allows and the run is
// trusted: a pull/merge request run (ci_environment.h) only reads unless --remote-write says
// otherwise; --remote-read-only never writes. Its token comes from the variable `token_env`
// names (a bearer token), its password from its URL; neither is ever printed. Its protocol
// (cache/remote_protocol.h) is `protocol` when set, else the URL's scheme's (turbo+http(s):// is
// Turborepo's); a team (`team`, `slug`) only with turbo, an `instance` only with bazel.

#include <chrono>
#include <memory>
#include <optional>

#include "cache/http_store.h"
#include "cache/local_store.h"
#include "cache/store.h"
#include "orchestrator/context.h"
#include "orchestrator/workspace_loader.h"

namespace ripple {

// --cache: the configured stores (local, plus the remote when cache.remote is set), one of
// them, or none.
enum class CacheUse { configured, local, remote, both, off };

struct RunStores {
  std::unique_ptr<cache::Store> store;  // what the caching layer talks to; null: no cache
  cache::LocalStore* local = nullptr;   // inside `store`, when used
  cache::HttpStore* remote = nullptr;   // inside `store`, when used
};

struct StoreChoice {
  CacheUse use = CacheUse::configured;
  std::optional<bool> remote_write;  // --remote-write (true) / --remote-read-only (false)
  std::chrono::milliseconds lock_timeout{300000};
};

// How the remote of `config` is reached in this run (URL, credentials, read/write by mode and
// trust, signing key), with what it says on the way (a pull request run's read-only mode, a
// token variable not set) reported. Nothing when the remote is off for the run (a signing key
// not set, warned about); an input error for a URL ripple cannot use.
Result<std::optional<cache::RemoteOptions>> remote_options_for(
    const CommandContext& ctx, const LoadedWorkspace& loaded,
    const graph::RemoteCacheConfig& config, const StoreChoice& choice);

// Opens the stores for a run; their messages go to ctx.reporter, which must outlive them. An
// input error for a remote asked for and not configured, or configured wrongly (its URL); an
// environment error when the local cache's lock cannot be had (LocalStore::open_for_run).
Result<RunStores> open_run_stores(const CommandContext& ctx, const LoadedWorkspace& loaded,
                                  const StoreChoice& choice);

}  // namespace ripple
