#include "tests/support/nginx_dav_server.h"

#include <signal.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "tests/support/loopback_port.h"

namespace ripple::testing {

NginxDavServer::NginxDavServer(NginxOptions options) : root_(dir_.path() + "/data") {
  if (run_shell("test -x /usr/sbin/nginx").exit_code != 0) {
    throw std::runtime_error("nginx is not installed; scripts/setup.sh installs it");
  }
  const std::string d = dir_.path();
  if (run_shell("mkdir -p " + shell_quote(root_) + " " + shell_quote(d + "/tmp")).exit_code != 0) {
    throw std::runtime_error("cannot create " + root_);
  }
  std::string auth;
  if (options.token) {
    auth = "      if ($http_authorization != \"Bearer " + *options.token + "\") { return 401; }\n";
  }
  if (options.user) {
    auto hashed = run_shell("openssl passwd -apr1 " + shell_quote(options.password));
    std::ofstream(d + "/htpasswd") << *options.user << ":" << hashed.out;
    auth += "      auth_basic \"cache\";\n      auth_basic_user_file " + d + "/htpasswd;\n";
  }
  for (int attempt = 0; attempt < 5; ++attempt) {
    port_ = free_loopback_port();
    std::ofstream conf(d + "/nginx.conf");
    conf << "daemon off;\nmaster_process off;\nworker_processes 1;\n"
         << "error_log " << d << "/error.log;\npid " << d << "/nginx.pid;\n"
         << "events { worker_connections 256; }\n"
         << "http {\n  access_log " << d << "/access.log;\n"
         << "  client_body_temp_path " << d << "/tmp/body;\n"
         << "  proxy_temp_path " << d << "/tmp/proxy;\n  fastcgi_temp_path " << d
         << "/tmp/fcgi;\n  uwsgi_temp_path " << d << "/tmp/uwsgi;\n  scgi_temp_path " << d
         << "/tmp/scgi;\n"
         << "  server {\n    listen 127.0.0.1:" << port_ << ";\n    root " << root_ << ";\n"
         << "    client_max_body_size " << options.max_body_size << ";\n"
         << "    location / {\n"
         << auth << "      dav_methods PUT DELETE;\n      create_full_put_path on;\n"
         << "      dav_access user:rw group:r all:r;\n    }\n  }\n}\n";
    conf.close();
    auto started =
        run_shell("/usr/sbin/nginx -e " + shell_quote(d + "/error.log") + " -p " + shell_quote(d) +
                  " -c " + shell_quote(d + "/nginx.conf") + " >/dev/null 2>&1 & echo $!");
    pid_ = std::atoi(started.out.c_str());
    for (int i = 0; i < 200 && process_running(pid_); ++i) {
      if (loopback_port_answers(port_)) {
        return;
      }
      usleep(25'000);
    }
    stop();
  }
  std::ifstream log(d + "/error.log");
  std::stringstream text;
  text << log.rdbuf();
  throw std::runtime_error("nginx did not come up: " + text.str());
}

NginxDavServer::~NginxDavServer() { stop(); }

void NginxDavServer::stop() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    if (!wait_until_stopped(pid_, 10)) {
      kill(pid_, SIGKILL);
      wait_until_stopped(pid_, 10);
    }
    pid_ = 0;
  }
}

std::vector<std::string> NginxDavServer::files() const {
  auto listed = run_shell("find . -type f | sed 's|^./||' | sort", root_);
  std::vector<std::string> out;
  std::istringstream lines(listed.out);
  for (std::string line; std::getline(lines, line);) {
    out.push_back(line);
  }
  return out;
}

int NginxDavServer::requests(const std::string& method) const {
  auto counted = run_shell("grep -c '\"" + method + " ' " +
                           shell_quote(dir_.path() + "/access.log") + " || true");
  return std::atoi(counted.out.c_str());
}

}  // namespace ripple::testing
