#include "cache/stat_cache.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>
#include <vector>

using namespace ripple;
using namespace ripple::cache;

namespace {

// A fresh directory under the system temp dir, removed when the object dies.
class ScratchDir {
 public:
  ScratchDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() /
            ("ripple-stat-cache-test-" + std::to_string(rd()) + "-" + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string str(const std::string& child = "") const {
    return child.empty() ? path_.string() : (path_ / child).string();
  }

 private:
  std::filesystem::path path_;
};

constexpr std::int64_t kSecond = 1'000'000'000;

// A file last changed an hour ago, far outside the racy window.
FileStat old_file() {
  FileStat s;
  s.size = 1234;
  s.mtime_ns = now_ns() - 3600 * kSecond;
  s.ctime_ns = s.mtime_ns + 5;
  s.inode = 987654321;
  s.mode = 0100644;
  return s;
}

std::unique_ptr<StatCache> open_ok(const std::string& dir) {
  auto cache = StatCache::open(dir);
  if (!cache) {
    FAIL(cache.error().message);
  }
  return std::move(*cache);
}

}  // namespace

TEST_CASE("stat cache: an entry is found again for the same stat data") {
  ScratchDir dir;
  auto cache = open_ok(dir.str("db"));
  FileStat st = old_file();
  CHECK_FALSE(cache->lookup("a/b.txt", st).has_value());
  cache->remember("a/b.txt", st, now_ns(), "0123456789abcdef0123456789abcdef01234567");
  REQUIRE(cache->flush().has_value());
  CHECK(cache->lookup("a/b.txt", st) == "0123456789abcdef0123456789abcdef01234567");
  CHECK_FALSE(cache->lookup("a/b.txt2", st).has_value());
  CHECK_FALSE(cache->lookup("a", st).has_value());
}

TEST_CASE("stat cache: a lookup misses when any stat field changed") {
  ScratchDir dir;
  auto cache = open_ok(dir.str("db"));
  FileStat st = old_file();
  cache->remember("f", st, now_ns(), "id");
  REQUIRE(cache->flush().has_value());
  REQUIRE(cache->lookup("f", st) == "id");

  auto changed = [&](auto change) {
    FileStat other = st;
    change(other);
    return cache->lookup("f", other);
  };
  CHECK_FALSE(changed([](FileStat& s) { s.size += 1; }));
  CHECK_FALSE(changed([](FileStat& s) { s.size = 0; }));
  CHECK_FALSE(changed([](FileStat& s) { s.mtime_ns += 1; }));
  CHECK_FALSE(changed([](FileStat& s) { s.mtime_ns -= kSecond; }));
  CHECK_FALSE(changed([](FileStat& s) { s.ctime_ns += 1; }));
  CHECK_FALSE(changed([](FileStat& s) { s.inode += 1; }));
  CHECK_FALSE(changed([](FileStat& s) { s.mode = 0100755; }));
  CHECK_FALSE(changed([](FileStat& s) { s.mode = 0120777; }));
  CHECK(cache->lookup("f", st) == "id");
}

TEST_CASE("stat cache: an entry read within 2 s of the file's mtime or ctime is not trusted") {
  ScratchDir dir;
  auto cache = open_ok(dir.str("db"));
  std::int64_t read_at = now_ns();

  FileStat fresh = old_file();
  fresh.mtime_ns = read_at - kSecond;  // written a second before it was read
  fresh.ctime_ns = fresh.mtime_ns;
  cache->remember("fresh", fresh, read_at, "id-fresh");

  FileStat ctime_only = old_file();
  ctime_only.ctime_ns = read_at - 10;  // content old, but chmod'ed (or renamed) just now
  cache->remember("ctime", ctime_only, read_at, "id-ctime");

  FileStat future = old_file();
  future.mtime_ns = read_at + kSecond;  // a clock skewed into the future
  future.ctime_ns = future.mtime_ns;
  cache->remember("future", future, read_at, "id-future");

  FileStat edge = old_file();
  edge.mtime_ns = read_at - kRacyWindowNs;  // exactly 2 s: still within the window
  edge.ctime_ns = edge.mtime_ns;
  cache->remember("edge", edge, read_at, "id-edge");

  FileStat past_edge = old_file();
  past_edge.mtime_ns = read_at - kRacyWindowNs - 1;  // more than 2 s
  past_edge.ctime_ns = past_edge.mtime_ns;
  cache->remember("past-edge", past_edge, read_at, "id-past-edge");
  REQUIRE(cache->flush().has_value());

  CHECK_FALSE(cache->lookup("fresh", fresh).has_value());
  CHECK_FALSE(cache->lookup("ctime", ctime_only).has_value());
  CHECK_FALSE(cache->lookup("future", future).has_value());
  CHECK_FALSE(cache->lookup("edge", edge).has_value());
  CHECK(cache->lookup("past-edge", past_edge) == "id-past-edge");

  // Asking later does not make an entry trustworthy: what counts is when it was read.
  CHECK_FALSE(cache->lookup("fresh", fresh).has_value());

  // Remembering it again, from a read made long enough after the change, does.
  cache->remember("fresh", fresh, fresh.mtime_ns + 3 * kSecond, "id-fresh");
  REQUIRE(cache->flush().has_value());
  CHECK(cache->lookup("fresh", fresh) == "id-fresh");
}

TEST_CASE("stat cache: a later remember replaces the entry") {
  ScratchDir dir;
  auto cache = open_ok(dir.str("db"));
  FileStat st = old_file();
  cache->remember("f", st, now_ns(), "first");
  REQUIRE(cache->flush().has_value());
  FileStat edited = st;
  edited.size = 99;
  edited.inode = 5;
  cache->remember("f", edited, now_ns(), "second");
  REQUIRE(cache->flush().has_value());
  CHECK(cache->lookup("f", edited) == "second");
  CHECK_FALSE(cache->lookup("f", st).has_value());
}

TEST_CASE("stat cache: flushed entries persist across a reopen") {
  ScratchDir dir;
  FileStat st = old_file();
  {
    auto cache = open_ok(dir.str("db"));
    cache->remember("kept", st, now_ns(), "id-kept");
    cache->remember("path/with/ünïcode and spaces", st, now_ns(), "id-2");
    REQUIRE(cache->flush().has_value());
    CHECK(cache->flush().has_value());  // nothing left to write: still fine
  }
  auto cache = open_ok(dir.str("db"));
  CHECK(cache->lookup("kept", st) == "id-kept");
  CHECK(cache->lookup("path/with/ünïcode and spaces", st) == "id-2");
  CHECK_FALSE(cache->lookup("never", st).has_value());
}

TEST_CASE("stat cache: a second open of the same directory fails with an environment error") {
  ScratchDir dir;
  auto first = open_ok(dir.str("db"));
  auto second = StatCache::open(dir.str("db"));
  REQUIRE_FALSE(second.has_value());
  CHECK(second.error().kind == ErrorKind::environment);
  CHECK_THAT(second.error().message, Catch::Contains(dir.str("db")));

  // The first one keeps working, and once it is closed the directory can be opened again.
  FileStat st = old_file();
  first->remember("f", st, now_ns(), "id");
  REQUIRE(first->flush().has_value());
  first.reset();
  auto third = open_ok(dir.str("db"));
  CHECK(third->lookup("f", st) == "id");
}

TEST_CASE("stat cache: a directory that cannot hold a database is an environment error") {
  ScratchDir dir;
  std::ofstream(dir.str("a-file")) << "not a directory\n";
  auto cache = StatCache::open(dir.str("a-file") + "/db");
  REQUIRE_FALSE(cache.has_value());
  CHECK(cache.error().kind == ErrorKind::environment);
}

TEST_CASE("stat cache: remember and lookup from many threads at once") {
  ScratchDir dir;
  auto cache = open_ok(dir.str("db"));
  FileStat st = old_file();
  std::int64_t read_at = now_ns();
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i) {
        std::string key = "t" + std::to_string(t) + "/f" + std::to_string(i);
        cache->remember(key, st, read_at, "id-" + key);
        (void)cache->lookup(key, st);
      }
    });
  }
  for (auto& th : threads) {
    th.join();
  }
  REQUIRE(cache->flush().has_value());
  for (int t = 0; t < 8; ++t) {
    for (int i = 0; i < 500; i += 37) {
      std::string key = "t" + std::to_string(t) + "/f" + std::to_string(i);
      CHECK(cache->lookup(key, st) == "id-" + key);
    }
  }
}

TEST_CASE("stat cache: opened when needed, lookups alone write nothing and take no lock") {
  ScratchDir dir;
  FileStat st = old_file();
  {
    auto cache = StatCache::open_when_needed(dir.str("db"));
    CHECK_FALSE(cache->lookup("f", st).has_value());  // no database yet: a miss, no error
    cache->remember("f", st, now_ns(), "id");
    REQUIRE(cache->flush().has_value());
  }
  auto files = [&] {
    std::vector<std::string> names;
    for (const auto& e : std::filesystem::directory_iterator(dir.str("db"))) {
      names.push_back(e.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
  };
  const auto before = files();
  {
    auto cache = StatCache::open_when_needed(dir.str("db"));
    CHECK(cache->lookup("f", st) == "id");
  }
  CHECK(files() == before);  // no new log, manifest or options file

  auto writer = open_ok(dir.str("db"));  // another process may hold it for writing
  auto reader = StatCache::open_when_needed(dir.str("db"));
  CHECK(reader->lookup("f", st) == "id");
}

TEST_CASE("stat cache: an entry that could never be trusted is not stored at all") {
  ScratchDir dir;
  std::int64_t read_at = now_ns();
  FileStat fresh = old_file();
  fresh.mtime_ns = read_at - kSecond;  // a file just checked out or edited
  fresh.ctime_ns = fresh.mtime_ns;
  CHECK_FALSE(settled(fresh, read_at));
  CHECK(settled(old_file(), read_at));
  {
    auto cache = StatCache::open_when_needed(dir.str("db"));
    cache->remember("fresh", fresh, read_at, "id-fresh");
    REQUIRE(cache->flush().has_value());
  }
  // Nothing to write, so the database was never even created.
  CHECK_FALSE(std::filesystem::exists(dir.str("db")));
}
