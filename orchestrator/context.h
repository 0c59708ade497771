#pragma once

// What every command gets from main: the edges to the world and the starting directory.

#include <iosfwd>
#include <string>

#include "cache/key_history.h"
#include "cache/store.h"
#include "orchestrator/base_ref.h"
#include "orchestrator/platform/filesystem.h"
#include "orchestrator/platform/huge_page_heap.h"
#include "orchestrator/platform/wall_clock.h"
#include "orchestrator/reporter.h"
#include "orchestrator/run/process_runner.h"

namespace ripple {

struct CommandContext {
  const Filesystem& fs;
  Reporter& reporter;
  std::ostream& out;      // machine-readable results (stdout)
  std::string start_dir;  // absolute: the -C directory or the current one
  EnvLookup env;          // the process environment (a map in tests)
  // The process's heap, for threads a command starts (they advise their own arenas); null in
  // tests, which leave the heap as it is.
  const HugePageHeap* heap = nullptr;
  // Where `run` starts its tasks' processes: null for real ones (PosixProcessRunner, with the
  // kill -9 watchdog); tests of the run command's logic give a fake.
  ProcessRunner* runner = nullptr;
  // What `run` looks results up in and stores them to: null for the stores `--cache` and
  // ripple.yaml choose (run/run_stores.h); tests of the run command's cache policy give a fake
  // (tests/support/fake_store.h), and `key_history` with it for --explain-misses.
  cache::Store* store = nullptr;
  cache::KeyHistory* key_history = nullptr;
  // The wall clock a run's summary records times by: null for the system's; tests give a
  // fixed one (platform/wall_clock.h).
  WallClock clock{};
};

}  // namespace ripple
