// WatchmanClient's side of the protocol against a fake service on a unix socket: the requests it
// sends, how it reads answers (split, batched, after unilateral messages), and every way an
// answer can be missing or wrong, each an environment error naming what went wrong.

#include "orchestrator/platform/watchman_client.h"

#include <stdlib.h>
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/support/fake_watchman_socket.h"
#include "tests/support/process.h"

using namespace ripple;
using nlohmann::json;
using ripple::testing::FakeWatchmanSocket;
using ripple::testing::TempDir;
using Reply = FakeWatchmanSocket::Reply;

namespace {

constexpr std::chrono::milliseconds kTimeout{10'000};

WatchmanClient connect_to(const FakeWatchmanSocket& server,
                          std::chrono::milliseconds timeout = kTimeout) {
  auto client = WatchmanClient::connect(server.socket(), timeout);
  INFO((client ? std::string() : client.error().message));
  REQUIRE(client.has_value());
  return std::move(*client);
}

const WatchedRoot kRoot{"/work/repo", "ws"};

// The error of a result that must have failed.
template <typename T>
Error error_of(const Result<T>& r) {
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().kind == ErrorKind::environment);
  return r.error();
}

}  // namespace

TEST_CASE("watchman client: watch-project asks for the directory and reads the watched root") {
  FakeWatchmanSocket server(
      {FakeWatchmanSocket::line(
           R"({"version": "2023", "watch": "/work/repo", "relative_path": "ws"})"),
       FakeWatchmanSocket::line(R"({"watch": "/work/repo"})")});
  {
    WatchmanClient client = connect_to(server);
    auto root = client.watch_project("/work/repo/ws");
    REQUIRE(root.has_value());
    CHECK(root->root == "/work/repo");
    CHECK(root->relative == "ws");
    auto top = client.watch_project("/work/repo");
    REQUIRE(top.has_value());
    CHECK(top->relative.empty());
  }
  CHECK(server.requests() == std::vector<json>{json::array({"watch-project", "/work/repo/ws"}),
                                               json::array({"watch-project", "/work/repo"})});
}

TEST_CASE("watchman client: clock is synchronised and returns the root's clock") {
  FakeWatchmanSocket server({FakeWatchmanSocket::line(R"({"clock": "c:1:2:3"})")});
  {
    WatchmanClient client = connect_to(server);
    auto clock = client.clock(kRoot);
    REQUIRE(clock.has_value());
    CHECK(*clock == "c:1:2:3");
  }
  CHECK(server.requests() ==
        std::vector<json>{json::array({"clock", "/work/repo", {{"sync_timeout", 20000}}})});
}

TEST_CASE("watchman client: a query since a clock leaves the excluded directories out") {
  FakeWatchmanSocket server(
      {FakeWatchmanSocket::line(
           R"({"clock": "c:2", "is_fresh_instance": false, "files": ["a.txt", "src/b.c"]})"),
       FakeWatchmanSocket::line(R"({"clock": "c:3", "files": []})"),
       FakeWatchmanSocket::line(R"({"clock": "c:9", "is_fresh_instance": true, "files": []})")});
  {
    WatchmanClient client = connect_to(server);
    auto changes = client.changes_since(kRoot, "c:1", {".git", ".ripple"});
    REQUIRE(changes.has_value());
    CHECK(changes->clock == "c:2");
    CHECK_FALSE(changes->fresh_instance);
    CHECK(changes->names == std::vector<std::string>{"a.txt", "src/b.c"});
    auto none = client.changes_since(WatchedRoot{"/work/repo", ""}, "c:2", {});
    REQUIRE(none.has_value());
    CHECK(none->names.empty());
    auto fresh = client.changes_since(kRoot, "c:3", {});
    REQUIRE(fresh.has_value());
    CHECK(fresh->fresh_instance);
    CHECK(fresh->clock == "c:9");
  }
  auto requests = server.requests();
  REQUIRE(requests.size() == 3);
  CHECK(requests[0] == json::parse(R"(["query", "/work/repo", {
      "since": "c:1", "fields": ["name"], "empty_on_fresh_instance": true,
      "sync_timeout": 20000, "relative_root": "ws",
      "expression": ["not", ["anyof", ["dirname", ".git"], ["name", ".git", "wholename"],
                                      ["dirname", ".ripple"], ["name", ".ripple", "wholename"]]]
    }])"));
  // No relative root and no expression when there is nothing to say.
  CHECK(requests[1] == json::parse(R"(["query", "/work/repo", {
      "since": "c:2", "fields": ["name"], "empty_on_fresh_instance": true,
      "sync_timeout": 20000}])"));
}

TEST_CASE(
    "watchman client: unilateral messages are skipped, and answers are read whole however cut") {
  FakeWatchmanSocket server(
      {Reply{{R"({"unilateral": true, "log": "something happened"})"
              "\n",
              R"({"clock": "c:1"})"
              "\n"}},
       // One answer over three writes, the next one in the same write as its end.
       Reply{{R"({"clo)", R"(ck": "c:)", "2\"}\n{\"clock\": \"c:3\"}\n"}},
       Reply{}});  // the third request finds its answer already read
  WatchmanClient client = connect_to(server);
  auto first = client.clock(kRoot);
  REQUIRE(first.has_value());
  CHECK(*first == "c:1");
  auto second = client.clock(kRoot);
  REQUIRE(second.has_value());
  CHECK(*second == "c:2");
  auto third = client.clock(kRoot);
  REQUIRE(third.has_value());
  CHECK(*third == "c:3");
}

TEST_CASE("watchman client: an error answer is an environment error with watchman's words") {
  FakeWatchmanSocket server(
      {FakeWatchmanSocket::line(R"({"error": "unable to resolve root /nope: directory missing"})"),
       FakeWatchmanSocket::line(R"({"error": {"code": 7}})")});
  WatchmanClient client = connect_to(server);
  CHECK(error_of(client.watch_project("/nope")).message ==
        "watchman: unable to resolve root /nope: directory missing");
  CHECK(error_of(client.clock(kRoot)).message == "watchman: {\"code\":7}");
}

TEST_CASE("watchman client: an answer that is not what was asked for is an error") {
  FakeWatchmanSocket server(
      {FakeWatchmanSocket::line("not json at all"), FakeWatchmanSocket::line("[1, 2]"),
       FakeWatchmanSocket::line(R"({"version": "2023"})"),
       FakeWatchmanSocket::line(R"({"watch": 42})"), FakeWatchmanSocket::line(R"({"clock": 5})"),
       FakeWatchmanSocket::line(R"({"clock": "c:1"})"),
       FakeWatchmanSocket::line(R"({"files": []})"),
       FakeWatchmanSocket::line(R"({"clock": "c:1", "files": [{"name": "a"}]})")});
  WatchmanClient client = connect_to(server);
  CHECK(error_of(client.clock(kRoot)).message == "watchman: malformed response");
  CHECK(error_of(client.clock(kRoot)).message == "watchman: malformed response");
  CHECK(error_of(client.watch_project("/d")).message == "watchman: watch-project named no root");
  CHECK(error_of(client.watch_project("/d")).message == "watchman: watch-project named no root");
  CHECK(error_of(client.clock(kRoot)).message == "watchman: clock answered without a clock");
  CHECK(error_of(client.changes_since(kRoot, "c:0", {})).message ==
        "watchman: query answered without a clock or files");
  CHECK(error_of(client.changes_since(kRoot, "c:0", {})).message ==
        "watchman: query answered without a clock or files");
  CHECK(error_of(client.changes_since(kRoot, "c:0", {})).message ==
        "watchman: query answered a file that is not a name");
}

TEST_CASE("watchman client: a closed connection or no answer in time is an error, never a hang") {
  SECTION("closed before answering") {
    FakeWatchmanSocket server({Reply{{}, /*close=*/true}});
    WatchmanClient client = connect_to(server);
    CHECK(error_of(client.clock(kRoot)).message == "watchman: the service closed the connection");
  }
  SECTION("closed in the middle of an answer") {
    FakeWatchmanSocket server({Reply{{R"({"clock": "c:)"}, /*close=*/true}});
    WatchmanClient client = connect_to(server);
    CHECK(error_of(client.clock(kRoot)).message == "watchman: the service closed the connection");
  }
  SECTION("silent") {
    FakeWatchmanSocket server({Reply{{}, false, /*silent=*/true}});
    WatchmanClient client = connect_to(server, std::chrono::milliseconds(300));
    CHECK(error_of(client.clock(kRoot)).message == "watchman: no answer within the time limit");
  }
}

TEST_CASE("watchman client: a socket that cannot be reached is an error naming it") {
  TempDir d;
  const std::string missing = d.path() + "/no-such-socket";
  auto r = WatchmanClient::connect(missing, kTimeout);
  CHECK_THAT(error_of(r).message,
             Catch::StartsWith("watchman: cannot connect to " + missing + ": "));
  auto too_long = WatchmanClient::connect(d.path() + "/" + std::string(200, 's'), kTimeout);
  CHECK_THAT(error_of(too_long).message, Catch::StartsWith("watchman: socket path too long: "));
}

// Without a socket path the client asks `watchman get-sockname`, found on PATH: here a script.
TEST_CASE("watchman client: without a socket path, the one watchman get-sockname names") {
  FakeWatchmanSocket server({FakeWatchmanSocket::line(R"({"clock": "c:7"})")});
  TempDir bin;
  // PATH with `bin` first for this test case only, whatever happens in it.
  struct PathFirst {
    std::string old;
    explicit PathFirst(const std::string& dir) {
      const char* p = std::getenv("PATH");
      old = p != nullptr ? p : "/usr/bin:/bin";
      setenv("PATH", (dir + ":" + old).c_str(), 1);
    }
    ~PathFirst() { setenv("PATH", old.c_str(), 1); }
  } path_first(bin.path());
  auto fake_watchman = [&](const std::string& script) {
    bin.write("watchman", "#!/bin/sh\n" + script);
    chmod((bin.path() + "/watchman").c_str(), 0755);
  };

  SECTION("it names one") {
    // The arguments must be exactly these, or the script names no socket.
    fake_watchman(
        "[ \"$*\" = '--no-pretty get-sockname' ] || exit 3\n"
        "printf '{\"version\": \"2023\", \"sockname\": \"%s\"}\\n' " +
        ripple::testing::shell_quote(server.socket()) + "\n");
    std::string used;
    auto client = WatchmanClient::connect("", kTimeout, &used);
    REQUIRE(client.has_value());
    CHECK(used == server.socket());
    auto clock = client->clock(kRoot);
    REQUIRE(clock.has_value());
    CHECK(*clock == "c:7");
  }
  SECTION("it fails") {
    fake_watchman("echo 'no service' >&2; exit 1\n");
    CHECK(error_of(WatchmanClient::connect("", kTimeout)).message ==
          "watchman: 'watchman get-sockname' did not name a socket");
  }
  SECTION("it prints something else") {
    fake_watchman("echo '{\"sockname\": 5}'\n");
    CHECK(error_of(WatchmanClient::connect("", kTimeout)).message ==
          "watchman: 'watchman get-sockname' did not name a socket");
  }
  SECTION("it hangs") {
    fake_watchman("exec sleep 30\n");
    CHECK(error_of(WatchmanClient::connect("", std::chrono::milliseconds(300))).message ==
          "watchman: 'watchman get-sockname' did not name a socket");
  }
  SECTION("there is none") {
    setenv("PATH", bin.path().c_str(), 1);  // an empty directory: no watchman anywhere
    CHECK_THAT(error_of(WatchmanClient::connect("", kTimeout)).message,
               Catch::StartsWith("watchman: cannot start 'watchman' (") &&
                   Catch::Contains("apt-get install watchman"));
  }
}
