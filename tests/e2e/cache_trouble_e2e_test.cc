// A cache that is full, damaged or fed large outputs never breaks a build (issue 20, items 8-10):
// the real binary on real repositories, real tmpfs mounts for a full disk, bytes flipped in a
// real cache's files, a real address-space limit.

#include <catch2/catch.hpp>
#include <regex>

#include "tests/support/git_repo.h"
#include "tests/support/skip.h"
#include "tests/support/tmpfs_mount.h"

using namespace ripple::testing;

namespace {

void flip_bytes_ok(const std::string& dir, const std::string& glob, int offset, int step) {
  REQUIRE(flip_bytes(dir, glob, offset, step) == 0);
}

constexpr std::uint64_t kMiB = std::uint64_t{1} << 20;

// One service `a` whose build runs `command` and outputs out.bin; the cache at `cache_dir`.
void workspace(const GitRepo& repo, const std::string& command,
               const std::string& cache_dir = ".ripple/cache") {
  repo.write("ripple.yaml", "services: [s/*]\ncache: { dir: " + cache_dir +
                                " }\ntasks:\n  build: { run: '" + command +
                                "', outputs: [out.bin] }\n");
  repo.write("s/a/service.yaml", "");
  repo.write("s/a/main.c", "int main;\n");
  repo.commit("ws");
}

int count(const std::string& text, const std::string& what) {
  int n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
    ++n;
  }
  return n;
}

// A cache whose entries are in table files: a run, then a writable open (prune) that flushes
// RocksDB's log into tables.
void cache_in_tables(const GitRepo& repo) {
  auto first = repo.ripple("run build --all");
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  REQUIRE(repo.ripple("cache prune --max-size 1G").exit_code == 0);
  REQUIRE(run_shell("ls .ripple/cache/*.sst", repo.path()).exit_code == 0);
}

const char* kCached = "Tasks: 1 (1 cached, 0 ran, 0 failed)";
const char* kRan = "Tasks: 1 (0 cached, 1 ran, 0 failed)";

}  // namespace

TEST_CASE("cache trouble: an output too big for the cache's disk is one warning, and no growth") {
  TmpfsMount disk(48 * kMiB);
  GitRepo repo;
  workspace(repo, "head -c 20000000 /dev/zero > out.bin", disk.path() + "/cache");
  std::string footprint;
  for (int run = 0; run < 6; ++run) {
    INFO("run " << run);
    auto r = repo.ripple("run build --all");
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(count(r.err, "warning:") == 1);
    CHECK_THAT(r.err, Catch::Contains("not enough to store 20 MiB more"));
    CHECK_THAT(r.err, Catch::Contains(kRan));
    CHECK_THAT(r.err, !Catch::Contains("Assertion"));
    CHECK(run_shell("test $(stat -c %s s/a/out.bin) = 20000000", repo.path()).exit_code == 0);
    if (run == 0) {
      footprint = disk.footprint();
    }
    CHECK(disk.footprint() == footprint);
  }
}

TEST_CASE(
    "cache trouble: a cache disk that fills up is a warning per run, never an abort or "
    "growth, and a run with room stores again") {
  TmpfsMount disk(64 * kMiB);
  GitRepo repo;
  workspace(repo, "echo built > out.bin", disk.path() + "/cache");
  REQUIRE(repo.ripple("run build --all").exit_code == 0);
  disk.fill_leaving("filler", 16 * kMiB);  // less than ripple keeps free
  repo.write("s/a/main.c", "int main2;\n");
  std::string footprint;
  for (int run = 0; run < 5; ++run) {
    INFO("run " << run);
    auto r = repo.ripple("run build --all");
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(count(r.err, "warning:") == 1);
    CHECK_THAT(r.err, Catch::Contains("MiB free, not enough to store"));
    CHECK_THAT(r.err, Catch::Contains("this run stores no more results in it"));
    CHECK_THAT(r.err, Catch::Contains(kRan));
    CHECK_THAT(r.err, !Catch::Contains("Assertion"));
    if (run == 0) {
      footprint = disk.footprint();
    }
    CHECK(disk.footprint() == footprint);
  }
  REQUIRE(run_shell("rm filler", disk.path()).exit_code == 0);
  auto stored = repo.ripple("run build --all");
  INFO(stored.err);
  CHECK(stored.exit_code == 0);
  CHECK(count(stored.err, "warning:") == 0);
  auto cached = repo.ripple("run build --all");
  CHECK_THAT(cached.err, Catch::Contains(kCached));
}

TEST_CASE(
    "cache trouble: a cache disk out of inodes is one warning per run, never an abort or "
    "growth, whether RocksDB or a blob file needs the inode") {
  TmpfsMount disk(64 * kMiB, 400);  // bytes to spare: only files run out
  GitRepo repo;
  workspace(repo, "head -c $(cat n) /dev/zero > out.bin", disk.path() + "/cache");
  // 3,000,000 zeros: a blob file in blobs/35/. The run makes blobs/ and that directory.
  repo.write("s/a/n", "3000000\n");
  repo.commit("n");
  auto first = repo.ripple("run build --all");
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  REQUIRE(count(first.err, "warning:") == 0);
  REQUIRE(run_shell("test -d blobs/35", disk.path() + "/cache").exit_code == 0);
  disk.use_up_inodes("filler");
  // 200 bytes: an entry for RocksDB alone, with no inode left (its write session needs new
  // files). 3,000,001 zeros (blobs/4f/), with one inode left: its temporary is written whole,
  // then its directory cannot be made, and the temporary is removed.
  for (const char* size : {"200\n", "3000001\n"}) {
    INFO("output of " << size);
    const bool blob = std::string(size) == "3000001\n";
    if (blob) {
      REQUIRE(run_shell("rm filler/f0", disk.path()).exit_code == 0);
    }
    repo.write("s/a/n", size);
    std::string footprint;
    for (int run = 0; run < 4; ++run) {
      INFO("run " << run);
      auto r = repo.ripple("run build --all");
      INFO(r.err);
      CHECK(r.exit_code == 0);
      CHECK(count(r.err, "warning:") == 1);
      CHECK_THAT(r.err, Catch::Contains(blob ? "cannot create " + disk.path() + "/cache/blobs/4f"
                                             : std::string("cannot open the local cache")));
      CHECK_THAT(r.err, Catch::Contains("No space left on device"));
      CHECK_THAT(r.err, Catch::Contains("this run stores no more results in it"));
      CHECK_THAT(r.err, Catch::Contains(kRan));
      CHECK_THAT(r.err, !Catch::Contains("Assertion"));
      if (run == 0) {
        footprint = disk.footprint();
      }
      CHECK(disk.footprint() == footprint);
      CHECK(run_shell("echo $(df --output=iavail . | tail -1)", disk.path()).out ==
            (blob ? "1\n" : "0\n"));
    }
  }
  REQUIRE(run_shell("rm -r filler", disk.path()).exit_code == 0);
  auto stored = repo.ripple("run build --all");
  INFO(stored.err);
  CHECK(stored.exit_code == 0);
  CHECK(count(stored.err, "warning:") == 0);
  auto cached = repo.ripple("run build --all");
  CHECK_THAT(cached.err, Catch::Contains(kCached));
  CHECK(repo.ripple("cache verify").exit_code == 0);
}

TEST_CASE(
    "cache trouble: a cache that cannot be opened is set aside with one warning, and the "
    "next run is answered by a fresh one") {
  GitRepo repo;
  workspace(repo, "echo built > out.bin");
  cache_in_tables(repo);
  flip_bytes_ok(repo.path() + "/.ripple/cache", "*.sst", 0, 97);
  auto r = repo.ripple("run build --all");
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(count(r.err, "warning:") == 1);
  CHECK_THAT(r.err, Catch::Contains("warning: the local cache at " + repo.path() +
                                    "/.ripple/cache is damaged (Corruption: "));
  CHECK_THAT(r.err, Catch::Contains("set it aside in " + repo.path() + "/.ripple/cache/damaged-"));
  CHECK_THAT(r.err, Catch::Contains(kRan));
  CHECK(run_shell("ls -d .ripple/cache/damaged-*/CURRENT", repo.path()).exit_code == 0);
  auto again = repo.ripple("run build --all");
  INFO(again.err);
  CHECK(again.exit_code == 0);
  CHECK(count(again.err, "warning:") == 0);
  CHECK_THAT(again.err, Catch::Contains(kCached));
  CHECK(repo.ripple("affected --files").out.empty());  // nothing of it is a change
}

TEST_CASE(
    "cache trouble: damage a lookup reads (a table's block, a blob file) sets the cache "
    "aside, and the task runs") {
  for (const char* glob : {"*.sst", "*.blob"}) {
    INFO(glob);
    GitRepo repo;
    // 100 kB: a RocksDB blob file's value (BlobDB), not a blob file of ripple's.
    workspace(repo, "head -c 100000 /dev/urandom > out.bin");
    cache_in_tables(repo);
    REQUIRE(run_shell("ls .ripple/cache/*.blob", repo.path()).exit_code == 0);
    flip_bytes_ok(repo.path() + "/.ripple/cache", glob, 20, 1 << 30);
    run_shell("rm s/a/out.bin", repo.path());
    auto r = repo.ripple("run build --all");
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(count(r.err, "warning:") == 1);
    CHECK_THAT(r.err, Catch::Contains("is damaged (Corruption: "));
    CHECK_THAT(r.err,
               Catch::Contains("set it aside in " + repo.path() + "/.ripple/cache/damaged-"));
    CHECK_THAT(r.err, Catch::Contains(kRan));
    CHECK(run_shell("test -s s/a/out.bin", repo.path()).exit_code == 0);
    CHECK(run_shell("ls -d .ripple/cache/damaged-*/CURRENT", repo.path()).exit_code == 0);
    auto again = repo.ripple("run build --all");
    CHECK_THAT(again.err, Catch::Contains(kCached));
    CHECK(count(again.err, "warning:") == 0);
  }
}

TEST_CASE("cache trouble: cache clear removes a damaged cache without opening it") {
  GitRepo repo;
  workspace(repo, "echo built > out.bin");
  cache_in_tables(repo);
  flip_bytes_ok(repo.path() + "/.ripple/cache", "*.sst", 0, 97);
  auto stats = repo.ripple("cache stats");
  CHECK(stats.exit_code == 3);
  CHECK_THAT(stats.err, Catch::Contains("the cache is damaged; `ripple cache clear` removes it"));
  auto clear = repo.ripple("cache clear");
  INFO(clear.err);
  CHECK(clear.exit_code == 0);
  CHECK(clear.err == "ripple: cleared " + repo.path() + "/.ripple/cache\n");
  CHECK(run_shell("ls -A .ripple/cache", repo.path()).out == "LOCK\nripple.lock\n");
  auto verify = repo.ripple("cache verify");
  CHECK(verify.exit_code == 0);
  CHECK_THAT(verify.err, Catch::Contains("verified 0 entries and 0 blobs: clean"));
  auto run = repo.ripple("run build --all");
  CHECK(run.exit_code == 0);
  CHECK(count(run.err, "warning:") == 0);
}

TEST_CASE("cache trouble: cache verify checks every table and blob and exits 3 on damage") {
  GitRepo repo;
  // 2 MB: a blob file of ripple's, beside RocksDB.
  workspace(repo, "head -c 2000000 /dev/urandom > out.bin");
  cache_in_tables(repo);
  auto clean = repo.ripple("cache verify");
  INFO(clean.out + clean.err);
  CHECK(clean.exit_code == 0);
  CHECK_THAT(clean.err, Catch::Contains("verified 1 entries and 2 blobs: clean"));
  SECTION("a table's first data block") {
    flip_bytes_ok(repo.path() + "/.ripple/cache", "*.sst", 20, 1 << 30);
    auto r = repo.ripple("cache verify");
    INFO(r.out + r.err);
    CHECK(r.exit_code == 3);
    CHECK_THAT(r.out, Catch::StartsWith("table files: Corruption: block checksum mismatch"));
    CHECK_THAT(r.err, Catch::Contains("problems"));
  }
  SECTION("a blob file of ripple's") {
    flip_bytes_ok(repo.path() + "/.ripple/cache", "blobs/*/*", 1000000, 1 << 30);
    auto r = repo.ripple("cache verify");
    INFO(r.out + r.err);
    CHECK(r.exit_code == 3);
    CHECK(std::regex_search(r.out, std::regex("blob file [0-9a-f]{64}: blob .* is damaged")));
    CHECK_THAT(r.out, Catch::Contains("output out.bin has no blob"));
  }
}

TEST_CASE(
    "cache trouble: a large output damaged since it was stored makes the task run, and "
    "the run stores it again") {
  GitRepo repo;
  workspace(repo, "head -c 3000000 /dev/urandom > out.bin");
  REQUIRE(repo.ripple("run build --all").exit_code == 0);
  flip_bytes_ok(repo.path() + "/.ripple/cache", "blobs/*/*", 2000000, 1 << 30);
  run_shell("rm s/a/out.bin", repo.path());
  auto r = repo.ripple("run build --all");
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(count(r.err, "warning:") == 1);
  CHECK_THAT(r.err, Catch::Contains("warning: cannot restore a#build: blob "));
  CHECK_THAT(r.err, Catch::Contains("is damaged (its bytes do not match its name); running the "
                                    "task instead"));
  CHECK_THAT(r.err, Catch::Contains(kRan));
  CHECK(run_shell("test $(stat -c %s s/a/out.bin) = 3000000", repo.path()).exit_code == 0);
  auto again = repo.ripple("run build --all");
  CHECK_THAT(again.err, Catch::Contains(kCached));
  CHECK(repo.ripple("cache verify").exit_code == 0);
}

TEST_CASE(
    "cache trouble: a 600 MB output is stored and restored under a 2.5 GB address-space "
    "limit, in memory that does not grow with it") {
#if defined(__SANITIZE_ADDRESS__)
  // The e2e tests and the binary are built alike (scripts/sanitize.sh).
  RIPPLE_SKIP(
      "AddressSanitizer reserves terabytes of address space for its shadow and holds freed "
      "memory in quarantine, so neither bound applies to an ASan build of ripple");
#endif
  GitRepo repo;
  workspace(repo, "head -c 600000000 /dev/urandom > out.bin");
  // The old store read the output whole and copied it: about 4x its size, and an abort here.
  const std::string limited = "/usr/bin/time -f peak-rss-kb=%M prlimit --as=2684354560 ";
  auto peak_mib = [](const std::string& err) {
    std::smatch m;
    REQUIRE(std::regex_search(err, m, std::regex("peak-rss-kb=([0-9]+)")));
    return std::stoull(m[1]) / 1024;
  };
  auto stored = run_shell(limited + ripple_command_line("run build --all"), repo.path());
  INFO(stored.err);
  REQUIRE(stored.exit_code == 0);
  CHECK(count(stored.err, "warning:") == 0);
  CHECK_THAT(stored.err, Catch::Contains(kRan));
  // The bound of docs/cli.md: whatever the output's size, a few MiB of it at a time. The rest is
  // ripple's own (RocksDB, the process), about 30 MiB.
  CHECK(peak_mib(stored.err) < 128);
  const std::string sum = run_shell("sha256sum s/a/out.bin", repo.path()).out;
  run_shell("rm s/a/out.bin", repo.path());
  auto restored = run_shell(limited + ripple_command_line("run build --all"), repo.path());
  INFO(restored.err);
  REQUIRE(restored.exit_code == 0);
  CHECK_THAT(restored.err, Catch::Contains(kCached));
  CHECK(peak_mib(restored.err) < 128);
  CHECK(run_shell("sha256sum s/a/out.bin", repo.path()).out == sum);
}

TEST_CASE(
    "cache trouble: a cache directory the user may not write is one warning and a run "
    "without storing, not a wait for a lock") {
  GitRepo repo;
  workspace(repo, "echo built > out.bin");
  REQUIRE(repo.ripple("run build --all").exit_code == 0);  // as root: the cache is root's
  repo.write("s/a/main.c", "int main2;\n");
  REQUIRE(run_shell("chown -R nobody . && chown -R root .ripple/cache", repo.path()).exit_code ==
          0);
  auto r = run_shell("setpriv --reuid=nobody --regid=nogroup --clear-groups timeout 60 " +
                         ripple_command_line("run build --all"),
                     repo.path());
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(count(r.err, "warning:") == 1);
  CHECK_THAT(r.err, Catch::Contains("Permission denied; this run stores no more results in it"));
  CHECK_THAT(r.err, !Catch::Contains("another ripple is using it"));
  CHECK_THAT(r.err, Catch::Contains(kRan));
}

TEST_CASE(
    "cache trouble: kill -9 while a large output is written into the cache leaves no "
    "entry and no damage, only a temporary that prune removes once it is old") {
  GitRepo repo;
  workspace(repo, "head -c 400000000 /dev/zero > out.bin");
  // Killed outright once the blob's temporary appears in blobs/ (waiting at most 60 s).
  auto killed = run_shell(
      "(" + ripple_command_line("run build --all") +
          " >/dev/null 2>&1 & pid=$!; i=0; until ls .ripple/cache/blobs/.tmp-* >/dev/null 2>&1; "
          "do i=$((i+1)); [ $i -lt 12000 ] || break; sleep 0.005; done; kill -9 $pid; wait $pid)",
      repo.path());
  INFO(killed.err);
  REQUIRE(killed.exit_code == 137);  // SIGKILL, not the run's end
  REQUIRE(run_shell("ls .ripple/cache/blobs/.tmp-*", repo.path()).exit_code == 0);
  auto verify = repo.ripple("cache verify");
  INFO(verify.out + verify.err);
  CHECK(verify.exit_code == 0);
  CHECK_THAT(verify.err, Catch::Contains("verified 0 entries"));
  auto again = repo.ripple("run build --all");
  INFO(again.err);
  CHECK(again.exit_code == 0);
  CHECK(count(again.err, "warning:") == 0);
  CHECK_THAT(again.err, Catch::Contains(kRan));
  auto cached = repo.ripple("run build --all");
  CHECK_THAT(cached.err, Catch::Contains(kCached));
  // The temporary is left until it is an hour old (a live run may be writing it), then pruned.
  CHECK(repo.ripple("cache prune --max-size 1G").exit_code == 0);
  CHECK(run_shell("ls .ripple/cache/blobs/.tmp-*", repo.path()).exit_code == 0);
  REQUIRE(run_shell("touch -d '2 hours ago' .ripple/cache/blobs/.tmp-*", repo.path()).exit_code ==
          0);
  CHECK(repo.ripple("cache prune --max-size 1G").exit_code == 0);
  CHECK(run_shell("ls .ripple/cache/blobs/.tmp-*", repo.path()).exit_code != 0);
  CHECK(repo.ripple("cache verify").exit_code == 0);
}
