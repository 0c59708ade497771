#pragma once

// A private watchman service for one test: its own socket, state and log in a temporary
// directory, so tests never share watches or clocks with each other or with the machine's own
// watchman. Started in the constructor (throws when watchman is missing or does not come up),
// shut down in the destructor.

#include <string>

#include "tests/support/process.h"

namespace ripple::testing {

class WatchmanServer {
 public:
  WatchmanServer();
  ~WatchmanServer();
  WatchmanServer(const WatchmanServer&) = delete;
  WatchmanServer& operator=(const WatchmanServer&) = delete;

  const std::string& socket() const { return socket_; }
  // "WATCHMAN_SOCK=<socket> " for run_ripple's environment assignments.
  std::string env() const;
  // Runs `watchman <args>` against this service.
  CommandResult run(const std::string& args) const;
  // Stops the service, as a crash or a reboot would (the next query sees a fresh instance).
  void stop();

 private:
  TempDir dir_;
  std::string socket_;
  bool running_ = false;
};

}  // namespace ripple::testing
