#pragma once

// A private container registry (Debian's docker-registry, the registry v2 API) serving from a
// temporary directory on 127.0.0.1, for the image tests (docs/images.md): one per test, on a
// free port, stopped in the destructor. Throws when docker-registry is missing or does not come
// up. With a user and password, it asks for HTTP basic auth (an htpasswd file, bcrypt).

#include <optional>
#include <string>

#include "tests/support/process.h"

namespace ripple::testing {

struct RegistryOptions {
  std::optional<std::string> user;  // with password: basic auth required
  std::string password;
};

class RegistryServer {
 public:
  explicit RegistryServer(RegistryOptions options = {});
  ~RegistryServer();
  RegistryServer(const RegistryServer&) = delete;
  RegistryServer& operator=(const RegistryServer&) = delete;

  int port() const { return port_; }
  // "127.0.0.1:<port>", as an image reference names the registry.
  std::string host() const { return "127.0.0.1:" + std::to_string(port_); }
  void stop();

 private:
  TempDir dir_;
  int port_ = 0;
  int pid_ = 0;
};

}  // namespace ripple::testing
