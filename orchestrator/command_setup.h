#pragma once

// What every command does first: find the workspace from the start directory, load it and
// report its warnings; and how every command turns an error into its exit code.

#include <chrono>
#include <memory>

#include "cache/local_store.h"
#include "orchestrator/context.h"
#include "orchestrator/workspace_loader.h"

namespace ripple {

// The workspace at or above ctx.start_dir, loaded, its warnings handed to ctx.reporter.
Result<LoadedWorkspace> load_workspace_for(const CommandContext& ctx);
// The same in two steps, for a command that starts other work as soon as the root is known.
Result<std::string> workspace_root_for(const CommandContext& ctx);
Result<LoadedWorkspace> load_workspace_at(const CommandContext& ctx, const std::string& root);

// The local cache directory of a workspace: `cache.dir`, relative to the workspace root.
std::string local_cache_dir(const LoadedWorkspace& loaded);

// Opens the workspace's local cache for writing, creating it when missing (waiting for its
// lock up to `lock_timeout`, saying so once). Readers use cache::LocalStore::open_read_only.
Result<std::unique_ptr<cache::LocalStore>> open_local_cache(const CommandContext& ctx,
                                                            const LoadedWorkspace& loaded,
                                                            std::chrono::milliseconds lock_timeout);
// Opens it shared, for a run (cache::LocalStore::open_for_run): waits and warnings go to
// ctx.reporter, which must outlive the store.
Result<std::unique_ptr<cache::LocalStore>> open_run_cache(const CommandContext& ctx,
                                                          const LoadedWorkspace& loaded,
                                                          std::chrono::milliseconds lock_timeout);

// Reports `error` and returns the exit code for its kind.
int report_failure(const CommandContext& ctx, const Error& error);

}  // namespace ripple
