#include "tests/support/registry_server.h"

#include <signal.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "tests/support/loopback_port.h"

namespace ripple::testing {

RegistryServer::RegistryServer(RegistryOptions options) {
  if (run_shell("command -v docker-registry").exit_code != 0) {
    throw std::runtime_error("docker-registry is not installed; scripts/setup.sh installs it");
  }
  const std::string d = dir_.path();
  std::string auth;
  if (options.user) {
    // bcrypt, as the registry's htpasswd reader wants it.
    auto hashed = run_shell(
        "python3 -c 'import crypt,sys; print(crypt.crypt(sys.argv[1], "
        "crypt.mksalt(crypt.METHOD_BLOWFISH)))' " +
        shell_quote(options.password) + " 2>/dev/null");
    if (hashed.exit_code != 0 || !hashed.out.starts_with("$2")) {
      throw std::runtime_error("cannot make a bcrypt password hash: " + hashed.out);
    }
    std::ofstream(d + "/htpasswd") << *options.user << ":" << hashed.out;
    auth = "auth:\n  htpasswd:\n    realm: test\n    path: " + d + "/htpasswd\n";
  }
  for (int attempt = 0; attempt < 5; ++attempt) {
    port_ = free_loopback_port();
    std::ofstream(d + "/config.yml")
        << "version: 0.1\nlog:\n  level: error\n  accesslog: { disabled: true }\n"
        << "storage:\n  filesystem:\n    rootdirectory: " << d << "/data\n"
        << "  delete: { enabled: true }\n"
        << "http:\n  addr: 127.0.0.1:" << port_ << "\n"
        << auth;
    auto started = run_shell("docker-registry serve " + shell_quote(d + "/config.yml") + " >" +
                             shell_quote(d + "/log") + " 2>&1 & echo $!");
    pid_ = std::atoi(started.out.c_str());
    for (int i = 0; i < 200 && process_running(pid_); ++i) {
      if (loopback_port_answers(port_)) {
        return;
      }
      usleep(25'000);
    }
    stop();
  }
  std::ifstream log(d + "/log");
  std::stringstream text;
  text << log.rdbuf();
  throw std::runtime_error("docker-registry did not come up: " + text.str());
}

RegistryServer::~RegistryServer() { stop(); }

void RegistryServer::stop() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    if (!wait_until_stopped(pid_, 10)) {
      kill(pid_, SIGKILL);
      wait_until_stopped(pid_, 10);
    }
    pid_ = 0;
  }
}

}  // namespace ripple::testing
