#include "cache/local_store.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "tests/support/process.h"

using namespace ripple;
using namespace ripple::cache;
using ripple::testing::TempDir;

namespace {

std::unique_ptr<LocalStore> open_store(const std::string& dir) {
  auto store = LocalStore::open(dir, std::chrono::milliseconds(0));
  REQUIRE(store.has_value());
  return std::move(*store);
}

ActionRecord sample(const std::string& out, const std::string& log) {
  ActionRecord r;
  r.outputs.push_back(OutputRecord{"dist/app", digest_of(out), true});
  r.stdout_digest = digest_of(log);
  r.stderr_digest = digest_of("");
  r.start_ns = 1'000'000'000;
  r.end_ns = 3'500'000'000;
  return r;
}

}  // namespace

TEST_CASE("an action record survives encoding with the REAPI field numbers") {
  ActionRecord r = sample("binary", "built\n");
  r.exit_code = 3;
  std::string bytes = encode_action(r);
  // exit_code is field 4 (varint): tag 0x20; output_files field 2 (length-delimited): tag 0x12.
  CHECK(bytes.find(std::string("\x20\x03", 2)) != std::string::npos);
  CHECK(bytes.front() == '\x12');
  auto back = decode_action(bytes);
  REQUIRE(back.has_value());
  REQUIRE(back->outputs.size() == 1);
  CHECK(back->outputs[0].path == "dist/app");
  CHECK(back->outputs[0].executable);
  CHECK(back->outputs[0].digest == digest_of("binary"));
  CHECK(back->end_ns - back->start_ns == 2'500'000'000);
  CHECK_FALSE(decode_action("\xff\xff\xff").has_value());
}

TEST_CASE("a stored entry comes back with its blobs, verified") {
  TempDir d;
  auto store = open_store(d.path() + "/cache");
  ActionRecord r = sample("binary", "built\n");
  REQUIRE(store->put("key1", r, {"binary", "built\n", ""}).has_value());
  auto got = store->get("key1");
  REQUIRE(got.has_value());
  CHECK(got->tier == Tier::local);
  CHECK(got->record.outputs[0].digest == digest_of("binary"));
  CHECK(store->get_blob(digest_of("binary")).value() == "binary");
  CHECK_FALSE(store->get("other").has_value());
  auto stats = store->stats();
  CHECK(stats->entries == 1);
  CHECK(stats->blobs == 3);
}

TEST_CASE("an entry whose blobs were not handed in is not stored at all") {
  TempDir d;
  auto store = open_store(d.path() + "/cache");
  ActionRecord r = sample("binary", "built\n");
  CHECK_FALSE(store->put("key1", r, {"built\n", ""}).has_value());
  CHECK_FALSE(store->get("key1").has_value());
  CHECK(store->stats()->blobs == 0);  // all or nothing
}

TEST_CASE("entries persist across reopening") {
  TempDir d;
  {
    auto store = open_store(d.path() + "/cache");
    REQUIRE(store->put("k", sample("x", "y"), {"x", "y", ""}).has_value());
  }
  auto store = open_store(d.path() + "/cache");
  CHECK(store->get("k").has_value());
}

TEST_CASE("verify finds a corrupt entry and an entry whose blob is missing") {
  TempDir d;
  auto store = open_store(d.path() + "/cache");
  REQUIRE(store->put("good", sample("x", "y"), {"x", "y", ""}).has_value());
  CHECK(store->verify()->problems.empty());
  REQUIRE(store->put_raw_entry_for_test("garbage", "\xff\xff").has_value());
  REQUIRE(
      store->put_raw_entry_for_test("dangling", encode_action(sample("gone", "y"))).has_value());
  auto report = store->verify();
  REQUIRE(report.has_value());
  CHECK(report->entries_checked == 3);
  REQUIRE(report->problems.size() == 2);
  CHECK_THAT(report->problems[0], Catch::Contains("dangling"));
  CHECK_THAT(report->problems[1], Catch::Contains("garbage"));
  CHECK_FALSE(store->get("garbage").has_value());  // a corrupt entry is a miss
}

TEST_CASE("prune removes least recently used entries and their blobs") {
  TempDir d;
  auto store = open_store(d.path() + "/cache");
  std::string big_a(10000, 'a');
  std::string big_b(10000, 'b');
  REQUIRE(store->put("old", sample(big_a, "l"), {big_a, "l", ""}).has_value());
  REQUIRE(store->put("new", sample(big_b, "l"), {big_b, "l", ""}).has_value());
  REQUIRE(store->get("new").has_value());  // touched last
  auto removed = store->prune(15000);
  REQUIRE(removed.has_value());
  CHECK(*removed == 1);
  CHECK_FALSE(store->get("old").has_value());
  CHECK(store->get("new").has_value());
  CHECK_FALSE(store->get_blob(digest_of(big_a)).has_value());
  CHECK(store->stats()->blob_bytes <= 15000);
}

TEST_CASE("clear empties the cache") {
  TempDir d;
  auto store = open_store(d.path() + "/cache");
  REQUIRE(store->put("k", sample("x", "y"), {"x", "y", ""}).has_value());
  REQUIRE(store->clear().has_value());
  CHECK(store->stats()->entries == 0);
  CHECK(store->stats()->blobs == 0);
}

TEST_CASE("a second opener waits for the lock, then gives up with a clear error") {
  TempDir d;
  auto first = open_store(d.path() + "/cache");
  std::vector<std::string> waits;
  auto second = LocalStore::open(d.path() + "/cache", std::chrono::milliseconds(300),
                                 [&](const std::string& m) { waits.push_back(m); });
  REQUIRE_FALSE(second.has_value());
  CHECK(second.error().kind == ErrorKind::environment);
  CHECK_THAT(second.error().message, Catch::Contains("another ripple is using it"));
  CHECK(waits.size() == 1);
}

TEST_CASE("a second opener gets the cache once the first lets go") {
  TempDir d;
  auto first = open_store(d.path() + "/cache");
  std::thread release([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    first.reset();
  });
  auto second = LocalStore::open(d.path() + "/cache", std::chrono::seconds(5));
  release.join();
  CHECK(second.has_value());
}

TEST_CASE("notes and the latest key of a task are kept with an entry, and found by prefix") {
  TempDir d;
  auto store = open_store(d.path() + "/cache");
  const std::string k1 = "aaaa1111" + std::string(56, '0');
  const std::string k2 = "aaaa2222" + std::string(56, '0');
  REQUIRE(store->put(k1, sample("x", "y"), {"x", "y", ""}, "app#build", "notes-1").has_value());
  CHECK(**store->latest_key("app#build") == k1);
  REQUIRE(store->put(k2, sample("x", "y"), {"x", "y", ""}, "app#build", "notes-2").has_value());
  CHECK(**store->latest_key("app#build") == k2);
  CHECK(**store->notes(k1) == "notes-1");
  CHECK_FALSE(store->latest_key("web#build")->has_value());

  // A hit makes its key the task's latest again.
  REQUIRE(store->get(k1, "app#build").has_value());
  CHECK(**store->latest_key("app#build") == k1);

  CHECK(*store->keys_with_prefix("aaaa1", 2) == std::vector<std::string>{k1});
  CHECK(store->keys_with_prefix("aaaa", 2)->size() == 2);
  CHECK(store->keys_with_prefix("b", 2)->empty());

  // Prune takes an entry's notes with it.
  REQUIRE(store->clear().has_value());
  CHECK_FALSE(store->notes(k1)->has_value());
  CHECK_FALSE(store->latest_key("app#build")->has_value());
}

TEST_CASE("prune drops unnamed blobs first and keeps blobs other entries still name") {
  TempDir d;
  auto store = open_store(d.path() + "/cache");
  std::string shared(6000, 's');
  std::string only_old(6000, 'o');
  ActionRecord old_record = sample(shared, "l");
  old_record.outputs.push_back(OutputRecord{"dist/extra", digest_of(only_old), false});
  REQUIRE(store->put("old", old_record, {shared, only_old, "l", ""}, "t#old", "n").has_value());
  REQUIRE(store->put("new", sample(shared, "l"), {shared, "l", ""}).has_value());
  REQUIRE(store->get("new").has_value());
  auto removed = store->prune(7000);
  REQUIRE(removed.has_value());
  CHECK(*removed == 1);
  CHECK_FALSE(store->notes("old")->has_value());
  CHECK(store->get_blob(digest_of(shared)).has_value());  // "new" still names it
  CHECK_FALSE(store->get_blob(digest_of(only_old)).has_value());
  CHECK(store->get("new").has_value());
}

TEST_CASE("an entry keeps output modes and any name Linux allows, byte for byte") {
  using ripple::cache::ActionRecord;
  using ripple::cache::OutputRecord;
  ActionRecord record;
  const std::string latin1 = "caf\xe9.txt";  // not UTF-8
  const std::string long_name(250, 'n');
  const std::string odd = "100%\x01 done";
  record.outputs = {OutputRecord{latin1, ripple::cache::digest_of("a"), false, 0600},
                    OutputRecord{"bin/" + long_name, ripple::cache::digest_of("b"), true, 0755},
                    OutputRecord{odd, ripple::cache::digest_of("c"), false, 0},
                    OutputRecord{"plain/%41.txt", ripple::cache::digest_of("d"), false, 0644}};
  auto decoded = ripple::cache::decode_action(ripple::cache::encode_action(record));
  REQUIRE(decoded.has_value());
  REQUIRE(decoded->outputs.size() == 4);
  CHECK(decoded->outputs[0].path == latin1);
  CHECK(decoded->outputs[0].mode == 0600);
  CHECK(decoded->outputs[1].path == "bin/" + long_name);
  CHECK(decoded->outputs[1].executable);
  CHECK(decoded->outputs[1].mode == 0755);
  CHECK(decoded->outputs[2].path == odd);
  CHECK(decoded->outputs[2].mode == 0);
  CHECK(decoded->outputs[3].path == "plain/%41.txt");  // valid UTF-8 stays as it is
}

// A run's store (open_for_run): lookups without the lock, entries written in short sessions.

namespace {

// Messages a store hands to its callbacks, from its writer thread.
struct Messages {
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<std::string> waits;
  std::vector<std::string> warnings;

  LocalStore::Notify on_wait() {
    return [this](const std::string& m) {
      std::lock_guard lock(mutex);
      waits.push_back(m);
      changed.notify_all();
    };
  }
  LocalStore::Notify on_warning() {
    return [this](const std::string& m) {
      std::lock_guard lock(mutex);
      warnings.push_back(m);
      changed.notify_all();
    };
  }
  // Whether a wait was reported within a minute (the bound is only there to fail, not to time).
  bool saw_wait() {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, std::chrono::minutes(1), [&] { return !waits.empty(); });
  }
  std::size_t warning_count() {
    std::lock_guard lock(mutex);
    return warnings.size();
  }
};

std::unique_ptr<LocalStore> open_run_store(const std::string& dir,
                                           std::chrono::milliseconds lock_timeout,
                                           Messages* messages = nullptr) {
  auto store = messages == nullptr
                   ? LocalStore::open_for_run(dir, lock_timeout)
                   : LocalStore::open_for_run(dir, lock_timeout, messages->on_wait(),
                                              messages->on_warning());
  REQUIRE(store.has_value());
  return std::move(*store);
}

std::unique_ptr<LocalStore> open_reader(const std::string& dir) {
  auto store = LocalStore::open_read_only(dir);
  REQUIRE(store.has_value());
  return std::move(*store);
}

}  // namespace

TEST_CASE("a run's store creates a missing cache and holds the lock only while it writes") {
  TempDir d;
  const std::string dir = d.path() + "/cache";
  auto run = open_run_store(dir, std::chrono::seconds(5));
  CHECK(LocalStore::open(dir, std::chrono::milliseconds(0)).has_value());  // free before a put
  REQUIRE(run->put("k1", sample("x", "y"), {"x", "y", ""}).has_value());
  run->flush();
  // The run's store is still open, yet the lock is free and its entry is in, whole.
  auto exclusive = LocalStore::open(dir, std::chrono::milliseconds(0));
  REQUIRE(exclusive.has_value());
  CHECK((*exclusive)->get("k1").has_value());
  CHECK((*exclusive)->get_blob(digest_of("x")).has_value());
}

TEST_CASE("a run's store keeps its entries queued while another holds the lock, then writes them") {
  TempDir d;
  const std::string dir = d.path() + "/cache";
  auto holder = open_store(dir);
  Messages messages;
  auto run = open_run_store(dir, std::chrono::minutes(1), &messages);
  const std::string big(10000, 'b');  // a BlobDB blob file, not an inline value
  REQUIRE(run->put("queued", sample(big, "log"), {big, "log", ""}, "a#build", "n").has_value());
  REQUIRE(messages.saw_wait());
  // The holder writes while the run's entry waits, and lets go only then.
  REQUIRE(holder->put("held", sample("h", "l"), {"h", "l", ""}).has_value());
  holder.reset();
  run->flush();
  CHECK(messages.warning_count() == 0);
  CHECK(messages.waits.size() == 1);
  auto reader = open_reader(dir);
  CHECK(reader->get("queued").has_value());
  CHECK(reader->get_blob(digest_of(big)).has_value());
  CHECK(**reader->latest_key("a#build") == "queued");
  CHECK(reader->get("held").has_value());
  CHECK(reader->verify()->problems.empty());
}

TEST_CASE("two run stores on one cache store every entry of both, each whole") {
  TempDir d;
  const std::string dir = d.path() + "/cache";
  auto first = open_run_store(dir, std::chrono::minutes(1));
  auto second = open_run_store(dir, std::chrono::minutes(1));
  // Returns how many puts failed: Catch2's assertions are not thread-safe (ThreadSanitizer saw
  // two threads write its run state), so only the main thread asserts.
  auto fill = [](LocalStore& store, const std::string& prefix) {
    int failed = 0;
    for (int i = 0; i < 20; ++i) {
      const std::string out(5000 + i, prefix[0]);
      const std::string key = prefix + std::to_string(i);
      failed += store.put(key, sample(out, key), {out, key, ""}).has_value() ? 0 : 1;
    }
    store.flush();
    return failed;
  };
  int other_failed = 0;
  std::thread other([&] { other_failed = fill(*second, "s"); });
  CHECK(fill(*first, "f") == 0);
  other.join();
  CHECK(other_failed == 0);
  auto reader = open_reader(dir);
  for (const std::string prefix : {"f", "s"}) {
    for (int i = 0; i < 20; ++i) {
      INFO(prefix << i);
      CHECK(reader->get(prefix + std::to_string(i)).has_value());
    }
  }
  auto report = reader->verify();
  CHECK(report->entries_checked == 40);
  CHECK(report->problems.empty());
}

TEST_CASE("a run's store that cannot get the lock warns once, stores nothing and goes on") {
  TempDir d;
  const std::string dir = d.path() + "/cache";
  auto holder = open_store(dir);
  Messages messages;
  auto run = open_run_store(dir, std::chrono::milliseconds(300), &messages);
  REQUIRE(run->put("k1", sample("x", "y"), {"x", "y", ""}).has_value());
  run->flush();
  REQUIRE(messages.warning_count() == 1);
  CHECK_THAT(messages.warnings[0], Catch::Contains("another ripple is using it"));
  CHECK_THAT(messages.warnings[0], Catch::Contains("this run stores no more results"));
  REQUIRE(run->put("k2", sample("x", "y"), {"x", "y", ""}).has_value());
  run->flush();
  CHECK(messages.warning_count() == 1);
  auto k0 = run->get("k0");  // lookups still work: a plain miss, not trouble
  CHECK((!k0 && k0.error().is_miss()));
  holder.reset();
  run.reset();
  auto reader = open_reader(dir);
  CHECK_FALSE(reader->has("k1"));
  CHECK_FALSE(reader->has("k2"));
}

TEST_CASE("a run's store checks an entry when it is put, not when it is written") {
  TempDir d;
  const std::string dir = d.path() + "/cache";
  auto run = open_run_store(dir, std::chrono::seconds(5));
  CHECK_FALSE(run->put("k", sample("x", "y"), {"y", ""}).has_value());
  run->flush();
  CHECK_FALSE(open_reader(dir)->has("k"));
}

TEST_CASE("a run's touches are written when the lock is free at the end, dropped when not") {
  TempDir d;
  const std::string dir = d.path() + "/cache";
  {
    auto store = open_store(dir);
    REQUIRE(store->put("k1", sample("x", "y"), {"x", "y", ""}, "a#build", "n1").has_value());
    REQUIRE(store->put("k2", sample("x", "y"), {"x", "y", ""}, "a#build", "n2").has_value());
  }
  {
    // Taken: flush() tries once and drops them; it does not wait for the lock.
    auto holder = open_store(dir);
    auto run = open_run_store(dir, std::chrono::minutes(10));
    REQUIRE(run->get("k1", "a#build").has_value());  // k2 is the latest: a touch
    std::mutex mutex;
    std::condition_variable changed;
    bool flushed = false;
    std::thread watchdog([&] {
      // Lets go of the lock if flush() waits for it, so the test fails instead of hanging.
      std::unique_lock lock(mutex);
      changed.wait_for(lock, std::chrono::seconds(10), [&] { return flushed; });
      holder.reset();
    });
    run->flush();
    {
      std::lock_guard lock(mutex);
      flushed = true;
    }
    changed.notify_all();
    watchdog.join();
  }
  CHECK(**open_reader(dir)->latest_key("a#build") == "k2");
  {
    // Free: written.
    auto run = open_run_store(dir, std::chrono::minutes(10));
    REQUIRE(run->get("k1", "a#build").has_value());
    run->flush();
  }
  CHECK(**open_reader(dir)->latest_key("a#build") == "k1");
  {
    // With an entry to store: written in its session.
    auto run = open_run_store(dir, std::chrono::minutes(10));
    REQUIRE(run->get("k2", "a#build").has_value());
    REQUIRE(run->put("k3", sample("z", "y"), {"z", "y", ""}, "b#build", "n3").has_value());
  }
  auto reader = open_reader(dir);
  CHECK(**reader->latest_key("a#build") == "k2");
  CHECK(**reader->latest_key("b#build") == "k3");
}

TEST_CASE("a run's store answers every entry written before it opened, beside another's sessions") {
  // Issue 18: a store opened while another run's writer opened the cache (whose recovery moves
  // the newest log into a table and deletes the log) could read the manifest from before that
  // and then find the log gone: the entry in it, stored before this store opened, went
  // unanswered. Here a writer stores an entry per session while run stores keep opening; each
  // must answer every entry whose session ended before it opened.
  TempDir d;
  const std::string dir = d.path() + "/cache";
  constexpr int kEntries = 120;
  auto run = open_run_store(dir, std::chrono::minutes(1));
  std::atomic<int> written{0};
  std::atomic<bool> put_failed{false};
  std::thread writer([&] {  // no Catch2 assertion off the test's thread
    for (int i = 0; i < kEntries; ++i) {
      const std::string key = "key-" + std::to_string(i);
      put_failed = put_failed || !run->put(key, sample("x", "y"), {"x", "y", ""}, "t" + key, "n");
      run->flush();  // its session has ended: the entry is in
      written = i + 1;
    }
  });
  int opens = 0;
  std::string unanswered;
  while (written < kEntries && unanswered.empty()) {
    const int before = written;
    auto other = LocalStore::open_for_run(dir, std::chrono::minutes(1));
    if (!other || !*other) {
      unanswered = "a store that did not open";  // no REQUIRE: the writer must be joined
      break;
    }
    ++opens;
    for (int i = 0; i < before && unanswered.empty(); ++i) {
      if (!(*other)->has("key-" + std::to_string(i))) {
        unanswered = "key-" + std::to_string(i) + " of " + std::to_string(before);
      }
    }
  }
  writer.join();
  INFO("stores opened: " << opens);
  CHECK_FALSE(put_failed);
  CHECK(unanswered == "");
  CHECK(opens >= 5);  // the stores did open beside the sessions
}
