#pragma once

// A private nginx serving WebDAV PUT/GET/HEAD from a temporary directory on 127.0.0.1, as a
// team would run it for Bazel's HTTP cache protocol (docs/remote-cache.md): one per test, on a
// free port, stopped in the destructor. Throws when nginx is missing or does not come up.

#include <optional>
#include <string>
#include <vector>

#include "tests/support/process.h"

namespace ripple::testing {

struct NginxOptions {
  std::string max_body_size = "1g";  // client_max_body_size
  std::optional<std::string> token;  // when set, requests without "Bearer <token>" get 401
  std::optional<std::string> user;   // when set with password: basic auth required
  std::string password;
};

class NginxDavServer {
 public:
  explicit NginxDavServer(NginxOptions options = {});
  ~NginxDavServer();
  NginxDavServer(const NginxDavServer&) = delete;
  NginxDavServer& operator=(const NginxDavServer&) = delete;

  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  // Where the served files are (ac/<key>, cas/<sha256>).
  const std::string& root() const { return root_; }
  // Files under root(), relative, sorted.
  std::vector<std::string> files() const;
  // How many requests of `method` ("PUT", "GET", "HEAD") the server answered so far.
  int requests(const std::string& method) const;
  void stop();

 private:
  TempDir dir_;
  std::string root_;
  int port_ = 0;
  int pid_ = 0;
};

}  // namespace ripple::testing
