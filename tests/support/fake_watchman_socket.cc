#include "tests/support/fake_watchman_socket.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <stdexcept>

namespace ripple::testing {

FakeWatchmanSocket::FakeWatchmanSocket(std::vector<Reply> replies)
    : socket_(dir_.path() + "/sock"), replies_(std::move(replies)) {
  listen_fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  struct sockaddr_un addr {};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, socket_.c_str(), sizeof addr.sun_path - 1);
  if (listen_fd_ < 0 ||
      bind(listen_fd_, reinterpret_cast<struct sockaddr*>(&addr), sizeof addr) != 0 ||
      listen(listen_fd_, 1) != 0 || pipe2(stop_, O_CLOEXEC) != 0) {
    throw std::runtime_error("FakeWatchmanSocket: cannot listen on " + socket_ + ": " +
                             std::strerror(errno));
  }
  thread_ = std::thread([this] { serve(); });
}

FakeWatchmanSocket::~FakeWatchmanSocket() {
  (void)!write(stop_[1], "x", 1);
  thread_.join();
  close(listen_fd_);
  close(stop_[0]);
  close(stop_[1]);
}

std::vector<nlohmann::json> FakeWatchmanSocket::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

void FakeWatchmanSocket::serve() {
  // Waits for `fd` to be readable; false when the test is over.
  auto wait_for = [this](int fd) {
    struct pollfd p[2] = {{fd, POLLIN, 0}, {stop_[0], POLLIN, 0}};
    while (poll(p, 2, -1) < 0) {
    }
    return (p[1].revents & POLLIN) == 0;
  };
  if (!wait_for(listen_fd_)) {
    return;
  }
  int conn = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
  if (conn < 0) {
    return;
  }
  std::string pending;
  std::size_t next = 0;
  char buf[4096];
  bool open = true;
  while (open && wait_for(conn)) {
    ssize_t n = read(conn, buf, sizeof buf);
    if (n <= 0) {
      break;  // the client is gone
    }
    pending.append(buf, static_cast<std::size_t>(n));
    for (std::size_t nl = pending.find('\n'); open && nl != std::string::npos;
         nl = pending.find('\n')) {
      {
        std::lock_guard lock(mutex_);
        requests_.push_back(nlohmann::json::parse(pending.substr(0, nl), nullptr, false));
      }
      pending.erase(0, nl + 1);
      if (next >= replies_.size()) {
        continue;  // nothing scripted: no answer
      }
      const Reply& reply = replies_[next++];
      if (reply.silent) {
        continue;
      }
      for (const std::string& chunk : reply.chunks) {
        // MSG_NOSIGNAL: a client that already hung up must fail its test, not kill the process.
        (void)!send(conn, chunk.data(), chunk.size(), MSG_NOSIGNAL);
        // A moment between chunks, so that the client meets them in separate reads.
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
      if (reply.close) {
        open = false;
      }
    }
  }
  close(conn);
}

}  // namespace ripple::testing
