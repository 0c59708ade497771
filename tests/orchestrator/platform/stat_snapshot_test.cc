#include "orchestrator/platform/stat_snapshot.h"

#include <catch2/catch.hpp>
#include <fstream>
#include <iterator>

#include "tests/support/process.h"

using namespace ripple;
using ripple::testing::TempDir;

namespace {

constexpr std::int64_t kSecond = 1'000'000'000;

cache::FileStat stat_of(std::uint64_t size, std::int64_t mtime) {
  cache::FileStat s;
  s.size = size;
  s.mtime_ns = mtime;
  s.ctime_ns = mtime;
  s.inode = 42;
  s.mode = 0100644;
  return s;
}

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

// A snapshot at `path` holding "a" → "value a" for stat_of(7, 100 s), read long after.
void save_one(const std::string& path, std::uint32_t version = 1) {
  StatSnapshot s(path, version);
  s.remember("a", stat_of(7, 100 * kSecond), 200 * kSecond, "value a");
  REQUIRE(s.save().has_value());
}

}  // namespace

TEST_CASE("stat snapshot: a saved value comes back while the stat data is unchanged") {
  TempDir dir;
  std::string path = dir.path() + "/state/snap";
  save_one(path);
  StatSnapshot s(path, 1);
  CHECK(s.loaded_entries() == 1);
  CHECK(s.lookup("a", stat_of(7, 100 * kSecond)) == std::optional<std::string_view>("value a"));
  CHECK_FALSE(s.lookup("b", stat_of(7, 100 * kSecond)).has_value());
}

TEST_CASE("stat snapshot: any change of size, mtime, ctime, inode or mode is a miss") {
  TempDir dir;
  std::string path = dir.path() + "/snap";
  save_one(path);
  StatSnapshot s(path, 1);
  auto base = stat_of(7, 100 * kSecond);
  auto changed = base;
  changed.size = 8;
  CHECK_FALSE(s.lookup("a", changed).has_value());
  changed = base;
  changed.mtime_ns += 1;
  CHECK_FALSE(s.lookup("a", changed).has_value());
  changed = base;
  changed.ctime_ns += 1;
  CHECK_FALSE(s.lookup("a", changed).has_value());
  changed = base;
  changed.inode = 43;
  CHECK_FALSE(s.lookup("a", changed).has_value());
  changed = base;
  changed.mode = 0100755;
  CHECK_FALSE(s.lookup("a", changed).has_value());
}

TEST_CASE("stat snapshot: a value made within the racy window of the file's mtime is not kept") {
  TempDir dir;
  std::string path = dir.path() + "/snap";
  {
    StatSnapshot s(path, 1);
    // Read half a second after the last write: a write in the same timestamp tick after the read
    // would leave the stat data unchanged, so the value cannot be trusted.
    s.remember("a", stat_of(7, 100 * kSecond), 100 * kSecond + kSecond / 2, "maybe stale");
    REQUIRE(s.save().has_value());
  }
  // It could never be used (its read time never moves), so it is not written at all.
  StatSnapshot s(path, 1);
  CHECK(s.loaded_entries() == 0);
  CHECK_FALSE(s.lookup("a", stat_of(7, 100 * kSecond)).has_value());
  CHECK_FALSE(cache::settled(stat_of(7, 100 * kSecond), 100 * kSecond + kSecond / 2));
  CHECK(cache::settled(stat_of(7, 100 * kSecond), 103 * kSecond));
}

TEST_CASE("stat snapshot: a missing file, another version, a damaged or truncated file is empty") {
  TempDir dir;
  std::string path = dir.path() + "/snap";
  CHECK(StatSnapshot(path, 1).loaded_entries() == 0);

  save_one(path, 1);
  CHECK(StatSnapshot(path, 2).loaded_entries() == 0);

  std::string good = read_bytes(path);
  for (std::size_t i = 0; i < good.size(); ++i) {
    std::string damaged = good;
    damaged[i] = static_cast<char>(damaged[i] ^ 0x01);
    write_bytes(path, damaged);
    INFO("byte " << i);
    CHECK(StatSnapshot(path, 1).loaded_entries() == 0);
  }
  for (std::size_t n : {std::size_t{0}, std::size_t{5}, good.size() / 2, good.size() - 1}) {
    write_bytes(path, good.substr(0, n));
    CHECK(StatSnapshot(path, 1).loaded_entries() == 0);
  }
  write_bytes(path, good + "trailing");
  CHECK(StatSnapshot(path, 1).loaded_entries() == 0);
}

TEST_CASE("stat snapshot: saving keeps what this run used or made, and drops the rest") {
  TempDir dir;
  std::string path = dir.path() + "/snap";
  {
    StatSnapshot s(path, 1);
    s.remember("old", stat_of(1, 100 * kSecond), 200 * kSecond, "old");
    s.remember("kept", stat_of(2, 100 * kSecond), 200 * kSecond, "kept");
    REQUIRE(s.save().has_value());
  }
  {
    StatSnapshot s(path, 1);
    REQUIRE(s.loaded_entries() == 2);
    REQUIRE(s.lookup("kept", stat_of(2, 100 * kSecond)).has_value());
    s.remember("new", stat_of(3, 100 * kSecond), 200 * kSecond, "new");
    REQUIRE(s.save().has_value());
  }
  StatSnapshot s(path, 1);
  CHECK(s.loaded_entries() == 2);
  CHECK(s.lookup("kept", stat_of(2, 100 * kSecond)) == std::optional<std::string_view>("kept"));
  CHECK(s.lookup("new", stat_of(3, 100 * kSecond)) == std::optional<std::string_view>("new"));
  CHECK_FALSE(s.lookup("old", stat_of(1, 100 * kSecond)).has_value());
}

TEST_CASE("stat snapshot: a directory that cannot be written is an error, not a crash") {
  TempDir dir;
  write_bytes(dir.path() + "/blocker", "a file where the directory should be\n");
  StatSnapshot s(dir.path() + "/blocker/snap", 1);
  s.remember("a", stat_of(7, 100 * kSecond), 200 * kSecond, "value a");
  auto st = s.save();
  REQUIRE_FALSE(st.has_value());
  CHECK(st.error().kind == ErrorKind::environment);
}
