#include "tests/support/turbo_cache_server.h"

#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "tests/support/loopback_port.h"

namespace ripple::testing {
namespace {

const std::string kServerDir =
    std::string(RIPPLE_SOURCE_DIR) + "/tests/servers/turborepo-remote-cache";
const std::string kCli = kServerDir + "/node_modules/turborepo-remote-cache/dist/cli.js";

}  // namespace

TurboCacheServer::TurboCacheServer(TurboServerOptions options)
    : options_(std::move(options)), storage_(dir_.path() + "/store") {
  if (run_shell("command -v node >/dev/null && test -f " + shell_quote(kCli)).exit_code != 0) {
    throw std::runtime_error("turborepo-remote-cache is not installed (" + kCli +
                             "); scripts/setup.sh installs node and it (npm ci in " + kServerDir +
                             ")");
  }
  const std::string log = dir_.path() + "/server.log";
  for (int attempt = 0; attempt < 5; ++attempt) {
    port_ = free_loopback_port();
    // A clean environment: nothing of the caller's (a NODE_OPTIONS, an S3_ variable) reaches
    // the server; the variables are its documented settings.
    const char* path = std::getenv("PATH");
    auto started = run_shell(
        "env -i PATH=" + shell_quote(path != nullptr ? path : "/usr/bin:/bin") +
        " HOME=" + shell_quote(dir_.path()) + " NODE_ENV=production HOST=127.0.0.1 PORT=" +
        std::to_string(port_) + " TURBO_TOKEN=" + shell_quote(options_.token) +
        " STORAGE_PROVIDER=local STORAGE_PATH=" + shell_quote(storage_) +
        " STORAGE_PATH_USE_TMP_FOLDER=false LOG_LEVEL=info" +
        (options_.read_only ? " READ_ONLY=true" : "") +
        (options_.body_limit > 0 ? " BODY_LIMIT=" + std::to_string(options_.body_limit) : "") +
        " node " + shell_quote(kCli) + " >" + shell_quote(log) + " 2>&1 & echo $!");
    pid_ = std::atoi(started.out.c_str());
    // Node takes a second or two to load the server; generous for a loaded machine.
    for (int i = 0; i < 1200 && process_running(pid_); ++i) {
      if (loopback_port_answers(port_)) {
        return;
      }
      usleep(25'000);
    }
    stop();
  }
  throw std::runtime_error("turborepo-remote-cache did not come up: " + this->log());
}

TurboCacheServer::~TurboCacheServer() { stop(); }

void TurboCacheServer::stop() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    if (!wait_until_stopped(pid_, 15)) {
      kill(pid_, SIGKILL);
      wait_until_stopped(pid_, 10);
    }
    pid_ = 0;
  }
}

std::vector<std::string> TurboCacheServer::files() const {
  auto listed =
      run_shell("test -d store && cd store && find . -type f | sed 's|^./||' | sort", dir_.path());
  std::vector<std::string> out;
  std::istringstream lines(listed.out);
  for (std::string line; std::getline(lines, line);) {
    out.push_back(line);
  }
  return out;
}

int TurboCacheServer::requests(const std::string& method) const {
  // Fastify logs every request it receives as JSON: "req":{"method":"PUT","url":...}.
  auto counted = run_shell("grep -c '\"method\":\"" + method + "\"' " +
                           shell_quote(dir_.path() + "/server.log") + " || true");
  return std::atoi(counted.out.c_str());
}

std::string TurboCacheServer::log() const {
  std::ifstream in(dir_.path() + "/server.log");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace ripple::testing
