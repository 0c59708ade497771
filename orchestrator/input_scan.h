#pragma once

// Builds the run's InputIndex: lists every workspace file with its id (git when the workspace
// is in a work tree, a filesystem walk otherwise), through the stat cache in
// <root>/.ripple/state/ when it can be opened (a warning and no cache otherwise).

#include "orchestrator/context.h"
#include "orchestrator/input_index.h"
#include "orchestrator/workspace_loader.h"

namespace ripple {

Result<InputIndex> scan_inputs(const CommandContext& ctx, const LoadedWorkspace& loaded);

}  // namespace ripple
