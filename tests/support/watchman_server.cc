#include "tests/support/watchman_server.h"

#include <sys/stat.h>
#include <unistd.h>

#include <stdexcept>

namespace ripple::testing {

WatchmanServer::WatchmanServer() : socket_(dir_.path() + "/sock") {
  if (run_shell("command -v watchman").exit_code != 0) {
    throw std::runtime_error("watchman is not installed; scripts/setup.sh installs it");
  }
  const std::string d = shell_quote(dir_.path());
  auto started =
      run_shell("watchman --foreground --no-save-state --sockname=" + shell_quote(socket_) +
                " --statefile=" + d + "/state --logfile=" + d + "/log --pidfile=" + d +
                "/pid >/dev/null 2>&1 &");
  if (started.exit_code != 0) {
    throw std::runtime_error("cannot start watchman: " + started.err);
  }
  for (int i = 0; i < 200; ++i) {
    struct stat st;
    if (stat(socket_.c_str(), &st) == 0 && run("get-pid").exit_code == 0) {
      running_ = true;
      return;
    }
    usleep(50'000);
  }
  throw std::runtime_error("watchman did not come up; see " + dir_.path() + "/log");
}

WatchmanServer::~WatchmanServer() { stop(); }

std::string WatchmanServer::env() const { return "WATCHMAN_SOCK=" + shell_quote(socket_) + " "; }

CommandResult WatchmanServer::run(const std::string& args) const {
  return run_shell("watchman --no-spawn --no-pretty --sockname=" + shell_quote(socket_) + " " +
                   args);
}

void WatchmanServer::stop() {
  if (!running_) {
    return;
  }
  running_ = false;
  run("shutdown-server");
  // Wait until nothing answers on the socket, so that a restart is clean.
  for (int i = 0; i < 100 && run("get-pid").exit_code == 0; ++i) {
    usleep(50'000);
  }
}

}  // namespace ripple::testing
