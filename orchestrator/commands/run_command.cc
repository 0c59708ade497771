#include "orchestrator/commands/run_command.h"

namespace ripple {

int run_run_command(const CommandContext& ctx, const RunOptions& options) {
  return run_tasks(ctx, options);
}

}  // namespace ripple
