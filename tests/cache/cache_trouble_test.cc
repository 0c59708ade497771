// The local cache when things go wrong (issue 20, items 8-10): a full disk, damaged files, large
// blobs. Real RocksDB, real files, real tmpfs mounts.

#include <catch2/catch.hpp>
#include <fstream>
#include <mutex>
#include <sstream>

#include "cache/cache_dir.h"
#include "cache/local_db.h"
#include "cache/local_store.h"
#include "tests/support/process.h"
#include "tests/support/tmpfs_mount.h"

using namespace ripple;
using namespace ripple::cache;
using ripple::testing::run_shell;
using ripple::testing::shell_quote;
using ripple::testing::TempDir;
using ripple::testing::TmpfsMount;

namespace {

void flip_bytes_ok(const std::string& dir, const std::string& glob, int offset, int step) {
  REQUIRE(ripple::testing::flip_bytes(dir, glob, offset, step) == 0);
}

constexpr std::uint64_t kMiB = std::uint64_t{1} << 20;

std::unique_ptr<LocalStore> open_store(const std::string& dir) {
  auto store = LocalStore::open(dir, std::chrono::milliseconds(0));
  REQUIRE(store.has_value());
  return std::move(*store);
}

ActionRecord record_of(const std::vector<BlobDigest>& outputs, const BlobDigest& log) {
  ActionRecord r;
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    r.outputs.push_back(OutputRecord{"out" + std::to_string(i), outputs[i], false, 0644});
  }
  r.stdout_digest = log;
  r.stderr_digest = digest_of("");
  return r;
}

// A file of `size` bytes that differ from one offset to the next (`seed` varies the content).
std::string write_pattern(const TempDir& d, const std::string& name, std::size_t size,
                          char seed = 'a') {
  std::string bytes(size, '\0');
  for (std::size_t i = 0; i < size; ++i) {
    bytes[i] = static_cast<char>(seed + (i * 7 + i / 4093) % 23);
  }
  d.write(name, bytes);
  return d.path() + "/" + name;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Stores one entry with `outputs` (files) through EntryBlobs; returns their digests.
std::vector<BlobDigest> put_files(LocalStore& store, const std::string& key,
                                  const std::vector<std::string>& outputs) {
  EntryBlobs blobs = store.entry_blobs();
  std::vector<BlobDigest> digests;
  for (const std::string& path : outputs) {
    auto d = blobs.add_file(path);
    REQUIRE(d.has_value());
    REQUIRE(d->has_value());
    digests.push_back(**d);
  }
  auto log = blobs.add("log\n");
  REQUIRE(log.has_value());
  REQUIRE(log->has_value());
  REQUIRE(blobs.add("").has_value());
  auto put = store.put(key, record_of(digests, **log), std::move(blobs));
  INFO((put ? std::string() : put.error().message));
  REQUIRE(put.has_value());
  return digests;
}

std::string blob_file(const std::string& cache, const BlobDigest& d) {
  return cache + "/blobs/" + d.hash.substr(0, 2) + "/" + d.hash;
}

struct Warnings {
  std::mutex mutex;
  std::vector<std::string> seen;
  LocalStore::Notify notify() {
    return [this](const std::string& m) {
      std::lock_guard lock(mutex);
      seen.push_back(m);
    };
  }
};

std::unique_ptr<LocalStore> open_run(const std::string& dir, Warnings& warnings) {
  auto store = LocalStore::open_for_run(dir, std::chrono::seconds(30), {}, warnings.notify());
  REQUIRE(store.has_value());
  return std::move(*store);
}

// A cache with entry "k" whose blobs sit in table and blob files (not only in the log).
std::string damaged_later_cache(const TempDir& d) {
  const std::string dir = d.path() + "/cache";
  {
    auto store = open_store(dir);
    const std::string big(20000, 'b');
    REQUIRE(
        store->put("k", record_of({digest_of(big)}, digest_of("l")), {big, "l", ""}).has_value());
  }
  open_store(dir).reset();  // a writable open flushes the log into table files
  return dir;
}

}  // namespace

TEST_CASE("trouble: a large output goes to a blob file as it is read, and comes back in chunks") {
  TempDir d;
  const std::string dir = d.path() + "/cache";
  auto store = open_store(dir);
  const std::string small = write_pattern(d, "small", 1000);
  const std::string big = write_pattern(d, "big", 3 * kMiB + 17);
  auto digests = put_files(*store, "k", {small, big});
  CHECK(digests[1].size == static_cast<std::int64_t>(3 * kMiB + 17));
  // The large one is a file named by its digest; the small one stays in RocksDB.
  CHECK(slurp(blob_file(dir, digests[1])) == slurp(big));
  CHECK(run_shell("test -e " + shell_quote(blob_file(dir, digests[0]))).exit_code != 0);
  auto reader = store->open_blob(digests[1]);
  REQUIRE(reader.has_value());
  std::string back;
  std::size_t chunks = 0;
  while (true) {
    auto chunk = reader->next();
    REQUIRE(chunk.has_value());
    if (chunk->empty()) {
      break;
    }
    CHECK(chunk->size() <= kChunkBytes);
    back.append(*chunk);
    ++chunks;
  }
  CHECK(chunks >= 3);
  CHECK(back == slurp(big));
  CHECK(store->get_blob(digests[0]).value() == slurp(small));
  auto stats = store->stats();
  CHECK(stats->blobs == 4);  // small, big, the log, the empty stderr
  CHECK(stats->blob_bytes == 1000 + 3 * kMiB + 17 + 4);
  CHECK(store->verify()->problems.empty());
}

TEST_CASE("trouble: an entry's small blobs past its memory budget go to files too") {
  TempDir d;
  const std::string dir = d.path() + "/cache";
  auto store = open_store(dir);
  std::vector<std::string> outputs;
  for (int i = 0; i < 20; ++i) {  // 20 x 1 MiB: over kEntryInlineMax (16 MiB)
    outputs.push_back(write_pattern(d, "o" + std::to_string(i), kMiB, static_cast<char>('a' + i)));
  }
  auto digests = put_files(*store, "k", outputs);
  int as_files = 0;
  for (const BlobDigest& digest : digests) {
    as_files += run_shell("test -f " + shell_quote(blob_file(dir, digest))).exit_code == 0;
  }
  CHECK(as_files == 4);  // the first 16 fit the budget
  for (std::size_t i = 0; i < digests.size(); ++i) {
    CHECK(store->get_blob(digests[i]).value() == slurp(outputs[i]));
  }
}

TEST_CASE("trouble: a damaged blob file is reported in place of its end, and removed") {
  TempDir d;
  const std::string dir = d.path() + "/cache";
  auto store = open_store(dir);
  const std::string big = write_pattern(d, "big", 2 * kMiB);
  auto digests = put_files(*store, "k", {big});
  const std::string file = blob_file(dir, digests[0]);
  flip_bytes_ok(dir, shell_quote(file), 12345, 1 << 30);
  auto report = store->verify();
  REQUIRE(report->problems.size() == 2);
  CHECK_THAT(report->problems[0], Catch::Contains("is damaged"));
  CHECK_THAT(report->problems[1], Catch::Contains("output out0 has no blob"));
  CHECK(run_shell("test -f " + shell_quote(file)).exit_code == 0);  // verify only reads
  auto reader = store->open_blob(digests[0]);
  REQUIRE(reader.has_value());
  Status ended;
  while (true) {
    auto chunk = reader->next();
    if (!chunk) {
      ended = tl::unexpected(chunk.error());
      break;
    }
    REQUIRE_FALSE(chunk->empty());  // never the end
  }
  CHECK_THAT(ended.error().message, Catch::Contains("is damaged"));
  CHECK(run_shell("test -e " + shell_quote(file)).exit_code != 0);
  CHECK_FALSE(store->open_blob(digests[0]).has_value());
  // Stored again, it is whole again.
  put_files(*store, "k2", {big});
  CHECK(slurp(file) == slurp(big));
}

TEST_CASE("trouble: a run's entry is not written when its blob file is gone by its session") {
  TempDir d;
  const std::string dir = d.path() + "/cache";
  auto holder = open_store(dir);  // the run's writer waits for the lock meanwhile
  Warnings warnings;
  auto run = open_run(dir, warnings);
  const std::string big = write_pattern(d, "big", 2 * kMiB);
  auto digests = put_files(*run, "k", {big});
  const std::string small = write_pattern(d, "small", 100);
  put_files(*run, "k2", {small});
  run_shell("rm " + shell_quote(blob_file(dir, digests[0])));  // as a prune would
  holder.reset();
  run->flush();
  CHECK(warnings.seen.empty());
  run.reset();
  auto reader = LocalStore::open_read_only(dir);
  REQUIRE(reader.has_value());
  CHECK_FALSE((*reader)->has("k"));
  CHECK((*reader)->has("k2"));
  CHECK((*reader)->verify()->problems.empty());
}

TEST_CASE("trouble: prune removes the blob files of pruned entries and old unnamed ones") {
  TempDir d;
  const std::string dir = d.path() + "/cache";
  auto store = open_store(dir);
  const std::string old_out = write_pattern(d, "old", 2 * kMiB, 'o');
  const std::string new_out = write_pattern(d, "new", 2 * kMiB, 'n');
  auto old_digests = put_files(*store, "old", {old_out});
  auto new_digests = put_files(*store, "new", {new_out});
  REQUIRE(store->get("new").has_value());  // touched last
  // Unnamed blob files: one written two hours ago, one just now (a run's entry on its way).
  EntryBlobs stray = store->entry_blobs();
  const auto stale = **stray.add_file(write_pattern(d, "stale", 2 * kMiB, 's'));
  const auto young = **stray.add_file(write_pattern(d, "young", 2 * kMiB, 'y'));
  REQUIRE(run_shell("touch -d '2 hours ago' " + shell_quote(blob_file(dir, stale))).exit_code == 0);
  auto removed = store->prune(5 * kMiB);
  REQUIRE(removed.has_value());
  CHECK(*removed == 1);
  CHECK_FALSE(store->get("old").has_value());
  CHECK(store->get("new").has_value());
  CHECK(run_shell("test -e " + shell_quote(blob_file(dir, old_digests[0]))).exit_code != 0);
  CHECK(run_shell("test -e " + shell_quote(blob_file(dir, stale))).exit_code != 0);
  CHECK(run_shell("test -f " + shell_quote(blob_file(dir, young))).exit_code == 0);
  CHECK(run_shell("test -f " + shell_quote(blob_file(dir, new_digests[0]))).exit_code == 0);
}

TEST_CASE("trouble: clearing removes a damaged cache's files without opening it, nothing else") {
  TempDir d;
  const std::string dir = damaged_later_cache(d);
  put_files(*open_store(dir), "big", {write_pattern(d, "big", 2 * kMiB)});
  d.write("cache/README.txt", "mine\n");
  flip_bytes_ok(dir, "*.sst", 0, 97);
  REQUIRE_FALSE(LocalStore::open(dir, std::chrono::milliseconds(0)).has_value());
  auto others = clear_cache_dir(dir, std::chrono::seconds(5));
  REQUIRE(others.has_value());
  CHECK(*others == 1);
  CHECK(run_shell("ls -A", dir).out == "LOCK\nREADME.txt\nripple.lock\n");
  auto fresh = open_store(dir);
  CHECK(fresh->stats()->entries == 0);
  CHECK(fresh->verify()->problems.empty());
}

TEST_CASE("trouble: clearing a directory that holds no cache touches nothing in it") {
  TempDir d;
  d.write("stuff/a.log", "not a cache's log\n");  // not RocksDB's: a number names its logs
  auto others = clear_cache_dir(d.path() + "/stuff", std::chrono::seconds(5));
  REQUIRE(others.has_value());
  CHECK(*others == 1);
  CHECK(run_shell("ls -A", d.path() + "/stuff").out == "a.log\n");
}

TEST_CASE("trouble: verify checks every table file, not only what its listing reached") {
  TempDir d;
  const std::string dir = damaged_later_cache(d);
  flip_bytes_ok(dir, "*.sst", 20, 1 << 30);  // the first data block of each table
  auto reader = LocalStore::open_read_only(dir);
  REQUIRE(reader.has_value());
  auto report = (*reader)->verify();
  REQUIRE(report.has_value());
  REQUIRE_FALSE(report->problems.empty());
  CHECK_THAT(report->problems[0], Catch::StartsWith("table files: Corruption"));
  CHECK_FALSE((*reader)->stats().has_value());  // no "0 entries" for a listing cut short
}

TEST_CASE("trouble: a run's store sets aside a cache it cannot open, once, and uses a fresh one") {
  TempDir d;
  const std::string dir = damaged_later_cache(d);
  flip_bytes_ok(dir, "*.sst", 0, 97);
  Warnings warnings;
  auto run = open_run(dir, warnings);
  REQUIRE(run != nullptr);
  REQUIRE(warnings.seen.size() == 1);
  CHECK_THAT(warnings.seen[0], Catch::StartsWith("the local cache at " + dir + " is damaged"));
  CHECK_THAT(warnings.seen[0], Catch::Contains("set it aside in " + dir + "/damaged-"));
  CHECK_FALSE(run->get("k").has_value());
  REQUIRE(run->put("k2", record_of({digest_of("x")}, digest_of("l")), {"x", "l", ""}).has_value());
  run->flush();
  run.reset();
  CHECK(warnings.seen.size() == 1);
  // RocksDB's files moved, CURRENT with them; LOCK stays.
  CHECK(run_shell("ls -d damaged-* | wc -l; ls damaged-*/CURRENT LOCK", dir).exit_code == 0);
  CHECK(run_shell("ls -d damaged-* | wc -l", dir).out == "1\n");
  auto fresh = LocalStore::open_read_only(dir);
  REQUIRE(fresh.has_value());
  CHECK((*fresh)->has("k2"));
  CHECK((*fresh)->verify()->problems.empty());
}

TEST_CASE("trouble: a run's store that reads damage sets the cache aside and misses from then on") {
  TempDir d;
  const std::string dir = damaged_later_cache(d);
  flip_bytes_ok(dir, "*.sst", 20,
                1 << 30);  // opens, but the blocks holding the entries are damaged
  Warnings warnings;
  auto run = open_run(dir, warnings);
  CHECK(warnings.seen.empty());
  auto got = run->get("k");
  REQUIRE_FALSE(got.has_value());
  CHECK(got.error().is_miss());  // a miss, not an error: the warning below says it all
  REQUIRE(warnings.seen.size() == 1);
  CHECK_THAT(warnings.seen[0], Catch::Contains("is damaged (Corruption"));
  CHECK_THAT(warnings.seen[0], Catch::Contains("going on with a fresh cache"));
  CHECK_FALSE(run->has("k"));
  REQUIRE(run->put("k2", record_of({digest_of("x")}, digest_of("l")), {"x", "l", ""}).has_value());
  run->flush();
  CHECK(warnings.seen.size() == 1);
  CHECK(run_shell("ls -d damaged-*", dir).exit_code == 0);
  CHECK(open_store(dir)->has("k2"));
}

TEST_CASE("trouble: a cache that cannot be set aside is one warning and no store for the run") {
  TempDir d;
  const std::string dir = damaged_later_cache(d);
  flip_bytes_ok(dir, "*.sst", 0, 97);
  // Nowhere to move it, even for root: the cache directory mounted read-only.
  const std::string q = shell_quote(dir);
  REQUIRE(
      run_shell("mount --bind " + q + " " + q + " && mount -o remount,bind,ro " + q).exit_code ==
      0);
  Warnings warnings;
  auto run = LocalStore::open_for_run(dir, std::chrono::seconds(5), {}, warnings.notify());
  run_shell("umount " + q);
  REQUIRE(run.has_value());
  CHECK(*run == nullptr);
  REQUIRE(warnings.seen.size() == 1);
  CHECK_THAT(warnings.seen[0], Catch::Contains("is damaged (Corruption"));
  CHECK_THAT(warnings.seen[0], Catch::Contains("and cannot be set aside"));
  CHECK_THAT(warnings.seen[0], Catch::Contains("this run goes on without the local cache"));
}

TEST_CASE("trouble: opening a cache on a full disk is an error, never an abort") {
  TmpfsMount disk(64 * kMiB);
  const std::string dir = disk.path() + "/cache";
  {
    auto store = open_store(dir);
    // In the log, to be flushed into a table by the next writable open.
    const std::string value(300000, 'v');
    for (int i = 0; i < 4; ++i) {
      const std::string out = value + std::to_string(i);
      REQUIRE(store
                  ->put("k" + std::to_string(i), record_of({digest_of(out)}, digest_of("l")),
                        {out, "l", ""})
                  .has_value());
    }
  }
  disk.fill_leaving("filler", 0);
  // RocksDB's info log, written here before, aborted the process on a failed write (an
  // assertion in RocksDB 7.8): now there is none, and a failed open is an error.
  for (int i = 0; i < 3; ++i) {
    auto store = LocalStore::open(dir, std::chrono::milliseconds(0));
    REQUIRE_FALSE(store.has_value());
    CHECK_THAT(store.error().message, Catch::Contains("No space left on device"));
  }
  CHECK(run_shell("ls " + shell_quote(dir) + " | grep -c '^LOG'").out == "0\n");
}

TEST_CASE("trouble: a run's store on a full disk warns once, stores nothing and leaves nothing") {
  TmpfsMount disk(48 * kMiB);
  const std::string dir = disk.path() + "/cache";
  TempDir d;
  const std::string big = write_pattern(d, "big", 20 * kMiB);  // fits, but not with the headroom
  const std::string small = write_pattern(d, "small", 1000);
  {
    Warnings warnings;
    auto run = open_run(dir, warnings);
    EntryBlobs blobs = run->entry_blobs();
    auto added = blobs.add_file(big);
    REQUIRE(added.has_value());
    CHECK_FALSE(added->has_value());  // not stored: the store stopped
    REQUIRE(warnings.seen.size() == 1);
    CHECK_THAT(warnings.seen[0], Catch::Contains("MiB free, not enough to store 20 MiB more"));
    CHECK_THAT(warnings.seen[0], Catch::EndsWith("this run stores no more results in it"));
    auto more = run->entry_blobs().add_file(small);
    REQUIRE(more.has_value());
    CHECK_FALSE(more->has_value());  // nothing more, and quietly
    CHECK(run->put("k", record_of({digest_of("x")}, digest_of("l")), {"x", "l", ""}).has_value());
    run->flush();
    CHECK(warnings.seen.size() == 1);
  }
  CHECK(run_shell("ls -A " + shell_quote(dir + "/blobs") + " 2>/dev/null").out.empty());
  CHECK_FALSE(LocalStore::open_read_only(dir).value()->has("k"));
  // Small entries, with the disk nearly full: refused before RocksDB writes anything.
  disk.fill_leaving("filler", 20 * kMiB);
  const std::string before = disk.footprint();
  for (int i = 0; i < 3; ++i) {
    Warnings warnings;
    auto run = open_run(dir, warnings);
    put_files(*run, "k" + std::to_string(i), {small});
    run->flush();
    CHECK(warnings.seen.size() == 1);
  }
  CHECK(disk.footprint() == before);
  // Room again: stored.
  REQUIRE(run_shell("rm filler", disk.path()).exit_code == 0);
  Warnings warnings;
  auto run = open_run(dir, warnings);
  put_files(*run, "k", {small});
  run->flush();
  CHECK(warnings.seen.empty());
  CHECK(LocalStore::open_read_only(dir).value()->has("k"));
}

TEST_CASE("trouble: no cache is created on a disk without room for one") {
  TmpfsMount disk(48 * kMiB);
  disk.fill_leaving("filler", 8 * kMiB);
  Warnings warnings;
  auto run = LocalStore::open_for_run(disk.path() + "/cache", std::chrono::seconds(5), {},
                                      warnings.notify());
  REQUIRE(run.has_value());
  CHECK(*run == nullptr);
  REQUIRE(warnings.seen.size() == 1);
  CHECK_THAT(warnings.seen[0], Catch::EndsWith("this run goes on without the local cache"));
  CHECK(run_shell("ls -A cache 2>/dev/null", disk.path()).out.empty());
}

TEST_CASE(
    "trouble: a write the disk fills up under is an error, never an abort, and the cache "
    "opens whole again once there is room") {
  TmpfsMount disk(48 * kMiB);
  const std::string dir = disk.path() + "/cache";
  {
    auto store = open_store(dir);
    REQUIRE(
        store->put("k", record_of({digest_of("x")}, digest_of("l")), {"x", "l", ""}).has_value());
  }
  {
    // Past the room check (a process racing ripple for the last bytes): RocksDB's own write
    // fails, and RocksDB keeps the instance in its background-error state until it is closed.
    auto db = LocalDb::open_writable(dir, std::chrono::milliseconds(0));
    REQUIRE(db.has_value());
    disk.fill_leaving("filler", 0);
    std::string big(4 * kMiB, '\0');
    for (std::size_t i = 0; i < big.size(); ++i) {
      big[i] = static_cast<char>(i * 131 + i / 977);
    }
    for (int i = 0; i < 3; ++i) {
      auto st = (*db)->write({{Family::cas, "big" + std::to_string(i), big}}, "storing entry k2");
      REQUIRE_FALSE(st.has_value());
      CHECK_THAT(st.error().message, Catch::Contains("storing entry k2"));
    }
  }  // closed in that state: no abort
  REQUIRE(run_shell("rm filler", disk.path()).exit_code == 0);
  auto store = open_store(dir);
  CHECK(store->has("k"));
  CHECK(store->verify()->problems.empty());
  REQUIRE(
      store->put("k2", record_of({digest_of("y")}, digest_of("l")), {"y", "l", ""}).has_value());
  CHECK(store->has("k2"));
}
