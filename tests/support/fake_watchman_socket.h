#pragma once

// A stand-in for the watchman service on a unix socket, for tests of WatchmanClient's protocol
// and error paths: it accepts one connection, records every request line (as JSON) and answers
// each with the next scripted reply, which may come in several writes, carry unilateral messages
// first, close the connection, or never come. Serves from its own thread until destroyed.

#include <nlohmann/json.hpp>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/process.h"

namespace ripple::testing {

class FakeWatchmanSocket {
 public:
  struct Reply {
    std::vector<std::string> chunks;  // written one after another, each as it is
    bool close = false;               // after the chunks, close the connection
    bool silent = false;              // answer nothing (the client times out)
  };

  explicit FakeWatchmanSocket(std::vector<Reply> replies);
  ~FakeWatchmanSocket();
  FakeWatchmanSocket(const FakeWatchmanSocket&) = delete;
  FakeWatchmanSocket& operator=(const FakeWatchmanSocket&) = delete;

  const std::string& socket() const { return socket_; }
  // The requests received so far, parsed.
  std::vector<nlohmann::json> requests() const;

  // A reply of one line.
  static Reply line(const std::string& json) { return Reply{{json + "\n"}}; }

 private:
  void serve();

  TempDir dir_;
  std::string socket_;
  std::vector<Reply> replies_;
  int listen_fd_ = -1;
  int stop_[2] = {-1, -1};
  mutable std::mutex mutex_;
  std::vector<nlohmann::json> requests_;
  std::thread thread_;
};

}  // namespace ripple::testing
