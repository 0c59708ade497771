#pragma once

// A private turborepo-remote-cache (the open-source Turborepo remote cache server, from npm:
// tests/servers/turborepo-remote-cache, installed by scripts/setup.sh) on 127.0.0.1, storing on
// local disk in a temporary directory, with one accepted token, as a team would run it for
// Turborepo and for ripple (docs/remote-cache.md): one per test, on a free port, stopped in the
// destructor. Throws when the server is not installed or does not come up.

#include <string>
#include <vector>

#include "tests/support/process.h"

namespace ripple::testing {

struct TurboServerOptions {
  std::string token = "turbo-test-token";  // TURBO_TOKEN: the one bearer token it accepts
  bool read_only = false;                  // READ_ONLY: every PUT answered 403
  long body_limit = 0;                     // BODY_LIMIT in bytes (413 above it); 0: its default
};

class TurboCacheServer {
 public:
  explicit TurboCacheServer(TurboServerOptions options = {});
  ~TurboCacheServer();
  TurboCacheServer(const TurboCacheServer&) = delete;
  TurboCacheServer& operator=(const TurboCacheServer&) = delete;

  int port() const { return port_; }
  // The server's base URL, as ripple's config names it with protocol: turbo.
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  const std::string& token() const { return options_.token; }
  // The stored artifacts, "<team>/<artifact id>", sorted.
  std::vector<std::string> files() const;
  // Where the artifacts are stored (<team>/<artifact id>).
  const std::string& storage() const { return storage_; }
  // How many requests of `method` ("PUT", "GET", "HEAD") the server received so far.
  int requests(const std::string& method) const;
  // What the server logged (for a failing test's INFO).
  std::string log() const;
  void stop();

 private:
  TurboServerOptions options_;
  TempDir dir_;
  std::string storage_;
  int port_ = 0;
  int pid_ = 0;
};

}  // namespace ripple::testing
