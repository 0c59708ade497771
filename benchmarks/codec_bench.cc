// Issue 13 §5: the config codec (graph/config_codec.cc) and the snapshot file
// (orchestrator/platform/stat_snapshot.cc) against protobuf messages of the same content
// (benchmarks/proto/config_bench.proto), in one process.
//
//   codec_bench ROOT SNAPSHOT [ROUNDS]
//
// ROOT: a workspace whose packages/*/service.yaml are parsed once (parse_service_config).
// SNAPSHOT: a service-configs.snapshot written by ripple for that workspace (ROOT/.ripple/state/
// after a warm run). Rounds alternate which side goes first.
//
// Codec: encode every config, then decode every encoding, with ripple's codec and with
// protobuf; the protobuf side includes converting ServiceConfig to and from the message, as a
// protobuf codec in ripple would have to (the model is not a generated class). The program checks
// that protobuf gives back configs equal to the originals (by the codec's bytes).
//
// Snapshot: what every warm command does with it: read the file, check it (ripple: the xxh3-128
// trailer), index the entries and look every key up with its stat data. The protobuf file holds
// the same header and entries, values as bytes, and keeps the same xxh3-128 trailer (protobuf has
// no checksum of its own). The program checks that both find every entry. protobuf's decodes
// are also timed on an arena (one per config; one for the snapshot), its own answer to allocation.

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "benchmarks/proto/config_bench.pb.h"
#include "cache/digest.h"
#include "cache/file_stat.h"
#include "cache/raw_bytes.h"
#include "graph/config_codec.h"
#include "graph/config_parser.h"
#include "orchestrator/platform/stat_snapshot.h"

namespace {

using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;
namespace g = ripple::graph;
namespace pb = ripple::bench;

// ---- ServiceConfig <-> message ----

void to(const g::LocatedString& s, pb::LocatedString* m) {
  m->set_value(s.value);
  m->set_line(static_cast<std::uint32_t>(s.pos.line));
  m->set_column(static_cast<std::uint32_t>(s.pos.column));
}
void to(const g::LocatedStrings& l, google::protobuf::RepeatedPtrField<pb::LocatedString>* m) {
  m->Reserve(static_cast<int>(l.size()));
  for (const auto& s : l) {
    to(s, m->Add());
  }
}

void to_message(const g::ServiceConfig& c, pb::ServiceConfig& m) {
  m.set_version(g::kServiceConfigCodecVersion);
  if (c.name) {
    to(*c.name, m.mutable_name());
  }
  to(c.deps, m.mutable_deps());
  if (c.inputs) {
    to(*c.inputs, m.mutable_inputs()->mutable_items());
  }
  to(c.env, m.mutable_env());
  for (const auto& [name, t] : c.tasks) {
    pb::Task* mt = m.add_tasks();
    mt->set_name(name);
    mt->set_line(static_cast<std::uint32_t>(t.pos.line));
    mt->set_column(static_cast<std::uint32_t>(t.pos.column));
    mt->set_disabled(t.disabled);
    if (t.run) {
      to(*t.run, mt->mutable_run());
    }
    if (t.deps) {
      to(*t.deps, mt->mutable_deps()->mutable_items());
    }
    if (t.outputs) {
      to(*t.outputs, mt->mutable_outputs()->mutable_items());
    }
    if (t.inputs) {
      to(*t.inputs, mt->mutable_inputs()->mutable_items());
    }
    if (t.env) {
      to(*t.env, mt->mutable_env()->mutable_items());
    }
    if (t.where) {
      to(*t.where, mt->mutable_where()->mutable_items());
    }
    if (t.timeout_seconds) {
      mt->set_timeout_seconds(*t.timeout_seconds);
    }
    if (t.cache) {
      mt->set_cache(*t.cache);
    }
  }
  if (c.image) {
    pb::Image* mi = m.mutable_image();
    mi->set_line(static_cast<std::uint32_t>(c.image->pos.line));
    mi->set_column(static_cast<std::uint32_t>(c.image->pos.column));
    mi->set_dockerfile(c.image->dockerfile);
    mi->set_context(c.image->context);
    if (c.image->name) {
      mi->set_name(*c.image->name);
    }
  }
}

g::LocatedString from(const pb::LocatedString& m, std::string_view file) {
  return g::LocatedString{m.value(),
                          ripple::SourcePos{std::string(file), static_cast<int>(m.line()),
                                            static_cast<int>(m.column())}};
}
g::LocatedStrings from(const google::protobuf::RepeatedPtrField<pb::LocatedString>& m,
                       std::string_view file) {
  g::LocatedStrings out;
  out.reserve(static_cast<std::size_t>(m.size()));
  for (const auto& s : m) {
    out.push_back(from(s, file));
  }
  return out;
}

std::optional<g::ServiceConfig> from_message(const pb::ServiceConfig& m, std::string_view file) {
  if (m.version() != g::kServiceConfigCodecVersion) {
    return std::nullopt;
  }
  g::ServiceConfig c;
  c.file = std::string(file);
  if (m.has_name()) {
    c.name = from(m.name(), file);
  }
  c.deps = from(m.deps(), file);
  if (m.has_inputs()) {
    c.inputs = from(m.inputs().items(), file);
  }
  c.env = from(m.env(), file);
  for (const auto& mt : m.tasks()) {
    g::TaskConfig t;
    t.pos = ripple::SourcePos{std::string(file), static_cast<int>(mt.line()),
                              static_cast<int>(mt.column())};
    t.disabled = mt.disabled();
    if (mt.has_run()) {
      t.run = from(mt.run(), file);
    }
    if (mt.has_deps()) {
      t.deps = from(mt.deps().items(), file);
    }
    if (mt.has_outputs()) {
      t.outputs = from(mt.outputs().items(), file);
    }
    if (mt.has_inputs()) {
      t.inputs = from(mt.inputs().items(), file);
    }
    if (mt.has_env()) {
      t.env = from(mt.env().items(), file);
    }
    if (mt.has_where()) {
      t.where = from(mt.where().items(), file);
    }
    if (mt.has_timeout_seconds()) {
      t.timeout_seconds = mt.timeout_seconds();
    }
    if (mt.has_cache()) {
      t.cache = mt.cache();
    }
    if (!c.tasks.emplace(mt.name(), std::move(t)).second) {
      return std::nullopt;
    }
  }
  if (m.has_image()) {
    g::ImageConfig image;
    image.pos = ripple::SourcePos{std::string(file), static_cast<int>(m.image().line()),
                                  static_cast<int>(m.image().column())};
    image.dockerfile = m.image().dockerfile();
    image.context = m.image().context();
    if (m.image().has_name()) {
      image.name = m.image().name();
    }
    c.image = std::move(image);
  }
  return c;
}

// ---- the snapshot, as protobuf ----

struct Entry {
  std::string key;
  ripple::cache::FileStat stat;
  std::int64_t read_at = 0;
  std::string value;
};

// Reads ripple's snapshot file format (stat_snapshot.cc) without checking its trailer.
bool read_ripple_snapshot(const std::string& bytes, std::uint32_t& payload,
                          std::vector<Entry>& out) {
  using ripple::cache::read_raw;
  if (bytes.size() < 8 + 12 + 16) {
    return false;
  }
  std::string_view in(bytes.data() + 8, bytes.size() - 8 - 16);
  std::uint32_t format = 0;
  std::uint32_t count = 0;
  if (!read_raw(in, format) || !read_raw(in, payload) || !read_raw(in, count)) {
    return false;
  }
  auto get = [&](std::string& s) {
    std::uint32_t n = 0;
    if (!read_raw(in, n) || in.size() < n) {
      return false;
    }
    s.assign(in.data(), n);
    in.remove_prefix(n);
    return true;
  };
  for (std::uint32_t i = 0; i < count; ++i) {
    Entry e;
    if (!get(e.key) || !read_raw(in, e.stat.size) || !read_raw(in, e.stat.mtime_ns) ||
        !read_raw(in, e.stat.ctime_ns) || !read_raw(in, e.stat.inode) ||
        !read_raw(in, e.stat.mode) || !read_raw(in, e.read_at) || !get(e.value)) {
      return false;
    }
    out.push_back(std::move(e));
  }
  return in.empty();
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// As stat_snapshot.cc reads it: open, fstat, one read.
bool read_whole(const std::string& path, std::string& out) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return false;
  }
  off_t size = lseek(fd, 0, SEEK_END);
  out.resize(static_cast<std::size_t>(size));
  bool ok = pread(fd, out.data(), out.size(), 0) == static_cast<ssize_t>(out.size());
  close(fd);
  return ok;
}

// What StatSnapshot's constructor and lookup() do, over the protobuf file. Returns the number of
// entries found by lookup.
std::size_t proto_snapshot_load_and_lookup(const std::string& path, std::uint32_t payload,
                                           const std::vector<Entry>& keys, bool use_arena) {
  std::string buffer;
  if (!read_whole(path, buffer) || buffer.size() < 16) {
    return 0;
  }
  std::string_view body(buffer.data(), buffer.size() - 16);
  auto sum = ripple::cache::xxh3_128(body);
  if (std::memcmp(sum.bytes.data(), buffer.data() + body.size(), 16) != 0) {
    return 0;
  }
  google::protobuf::Arena arena;
  pb::Snapshot heap_snap;
  pb::Snapshot& snap =
      use_arena ? *google::protobuf::Arena::CreateMessage<pb::Snapshot>(&arena) : heap_snap;
  if (!snap.ParseFromArray(body.data(), static_cast<int>(body.size())) || snap.format() != 1 ||
      snap.payload_version() != payload) {
    return 0;
  }
  std::unordered_map<std::string_view, const pb::SnapshotEntry*> index;
  index.reserve(static_cast<std::size_t>(snap.entries_size()));
  for (const auto& e : snap.entries()) {
    index.insert_or_assign(std::string_view(e.key()), &e);
  }
  std::size_t found = 0;
  for (const auto& k : keys) {
    auto it = index.find(k.key);
    if (it == index.end()) {
      continue;
    }
    const pb::SnapshotEntry& e = *it->second;
    ripple::cache::FileStat st{e.size(), e.mtime_ns(), e.ctime_ns(), e.inode(), e.mode()};
    if (st == k.stat && ripple::cache::settled(st, e.read_at())) {
      found += e.value().size() > 0 ? 1 : 0;
    }
  }
  return found;
}

std::size_t ripple_snapshot_load_and_lookup(const std::string& path, std::uint32_t payload,
                                            const std::vector<Entry>& keys) {
  ripple::StatSnapshot snap(path, payload);
  std::size_t found = 0;
  for (const auto& k : keys) {
    auto v = snap.lookup(k.key, k.stat);
    found += v && !v->empty() ? 1 : 0;
  }
  return found;
}

// ---- timing ----

struct Stat {
  std::vector<double> ms;
  double mean() const {
    double m = 0;
    for (double x : ms) {
      m += x;
    }
    return m / static_cast<double>(ms.size());
  }
  void print(const char* name) const {
    double m = mean();
    double var = 0;
    for (double x : ms) {
      var += (x - m) * (x - m);
    }
    double sd = ms.size() > 1 ? std::sqrt(var / static_cast<double>(ms.size() - 1)) : 0;
    auto v = ms;
    std::sort(v.begin(), v.end());
    std::printf("  %-44s %8.3f ± %6.3f ms (median %8.3f, min %8.3f)\n", name, m, sd,
                v[v.size() / 2], v.front());
  }
};

template <typename F>
void timed(Stat& s, F f) {
  auto t0 = Clock::now();
  f();
  s.ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: codec_bench ROOT SNAPSHOT [ROUNDS]\n");
    return 2;
  }
  fs::path root = argv[1];
  std::string snapshot_path = argv[2];
  int rounds = argc > 3 ? std::atoi(argv[3]) : 30;

  std::vector<g::ServiceConfig> configs;
  for (const auto& dir : fs::directory_iterator(root / "packages")) {
    fs::path p = dir.path() / "service.yaml";
    if (!fs::exists(p)) {
      continue;
    }
    std::string file = fs::relative(p, root).string();
    auto c = g::parse_service_config(read_file(p.string()), file);
    if (!c) {
      std::fprintf(stderr, "codec_bench: %s: %s\n", file.c_str(), c.error().message.c_str());
      return 2;
    }
    configs.push_back(std::move(*c));
  }
  std::sort(configs.begin(), configs.end(),
            [](const auto& a, const auto& b) { return a.file < b.file; });
  const std::size_t n = configs.size();

  // Check that both round-trip every config, and measure their sizes.
  std::size_t codec_bytes = 0;
  std::size_t proto_bytes = 0;
  for (const auto& c : configs) {
    auto bytes = g::encode_service_config(c);
    pb::ServiceConfig m;
    to_message(c, m);
    std::string pbytes = m.SerializeAsString();
    pb::ServiceConfig m2;
    auto back = m2.ParseFromString(pbytes) ? from_message(m2, c.file) : std::nullopt;
    auto back_codec = bytes ? g::decode_service_config(*bytes, c.file) : std::nullopt;
    if (!bytes || !back || !back_codec || g::encode_service_config(*back) != bytes ||
        g::encode_service_config(*back_codec) != bytes) {
      std::fprintf(stderr, "codec_bench: %s does not round-trip\n", c.file.c_str());
      return 1;
    }
    codec_bytes += bytes->size();
    proto_bytes += pbytes.size();
  }
  std::printf("%zu configs: codec %zu bytes, protobuf %zu bytes; both round-trip every one\n", n,
              codec_bytes, proto_bytes);

  // Snapshot files: ripple's as written by ripple, and the same entries as protobuf.
  std::string ripple_file = read_file(snapshot_path);
  std::uint32_t payload = 0;
  std::vector<Entry> entries;
  if (!read_ripple_snapshot(ripple_file, payload, entries) || entries.empty()) {
    std::fprintf(stderr, "codec_bench: %s is not a snapshot with entries\n", snapshot_path.c_str());
    return 2;
  }
  pb::Snapshot snap;
  snap.set_format(1);
  snap.set_payload_version(payload);
  for (const auto& e : entries) {
    pb::SnapshotEntry* m = snap.add_entries();
    m->set_key(e.key);
    m->set_size(e.stat.size);
    m->set_mtime_ns(e.stat.mtime_ns);
    m->set_ctime_ns(e.stat.ctime_ns);
    m->set_inode(e.stat.inode);
    m->set_mode(e.stat.mode);
    m->set_read_at(e.read_at);
    m->set_value(e.value);
  }
  std::string proto_file = snap.SerializeAsString();
  auto sum = ripple::cache::xxh3_128(proto_file);
  proto_file.append(reinterpret_cast<const char*>(sum.bytes.data()), sum.bytes.size());
  std::string proto_path = (fs::temp_directory_path() / "codec_bench.snapshot.pb").string();
  std::ofstream(proto_path, std::ios::binary) << proto_file;
  std::size_t found_ripple = ripple_snapshot_load_and_lookup(snapshot_path, payload, entries);
  std::size_t found_proto = proto_snapshot_load_and_lookup(proto_path, payload, entries, false);
  std::printf(
      "snapshot: %zu entries; ripple's file %zu bytes, protobuf's %zu bytes; found %zu / %zu\n",
      entries.size(), ripple_file.size(), proto_file.size(), found_ripple, found_proto);
  if (found_ripple != found_proto || found_ripple == 0) {
    std::fprintf(stderr,
                 "codec_bench: the snapshots do not find the same entries (the file must "
                 "be older than ripple's racy window, and match the work tree)\n");
    return 1;
  }

  Stat enc_codec, dec_codec, enc_proto, dec_proto, dec_arena, snap_ripple, snap_proto, snap_arena;
  std::vector<std::string> codec_out(n);
  std::vector<std::string> proto_out(n);
  std::size_t sink = 0;
  auto codec_side = [&] {
    timed(enc_codec, [&] {
      for (std::size_t i = 0; i < n; ++i) {
        codec_out[i] = *g::encode_service_config(configs[i]);
      }
    });
    timed(dec_codec, [&] {
      for (std::size_t i = 0; i < n; ++i) {
        sink += g::decode_service_config(codec_out[i], configs[i].file)->deps.size();
      }
    });
  };
  auto proto_side = [&] {
    timed(enc_proto, [&] {
      for (std::size_t i = 0; i < n; ++i) {
        pb::ServiceConfig m;
        to_message(configs[i], m);
        proto_out[i] = m.SerializeAsString();
      }
    });
    timed(dec_proto, [&] {
      for (std::size_t i = 0; i < n; ++i) {
        pb::ServiceConfig m;
        m.ParseFromString(proto_out[i]);
        sink += from_message(m, configs[i].file)->deps.size();
      }
    });
    timed(dec_arena, [&] {
      for (std::size_t i = 0; i < n; ++i) {
        google::protobuf::Arena arena;
        auto* m = google::protobuf::Arena::CreateMessage<pb::ServiceConfig>(&arena);
        m->ParseFromString(proto_out[i]);
        sink += from_message(*m, configs[i].file)->deps.size();
      }
    });
  };
  for (int r = 0; r < rounds; ++r) {
    if (r % 2 == 0) {
      codec_side();
      proto_side();
      timed(snap_ripple,
            [&] { sink += ripple_snapshot_load_and_lookup(snapshot_path, payload, entries); });
      timed(snap_proto,
            [&] { sink += proto_snapshot_load_and_lookup(proto_path, payload, entries, false); });
      timed(snap_arena,
            [&] { sink += proto_snapshot_load_and_lookup(proto_path, payload, entries, true); });
    } else {
      proto_side();
      codec_side();
      timed(snap_arena,
            [&] { sink += proto_snapshot_load_and_lookup(proto_path, payload, entries, true); });
      timed(snap_proto,
            [&] { sink += proto_snapshot_load_and_lookup(proto_path, payload, entries, false); });
      timed(snap_ripple,
            [&] { sink += ripple_snapshot_load_and_lookup(snapshot_path, payload, entries); });
    }
  }
  std::printf("%d rounds, all %zu configs per pass (sink %zu):\n", rounds, n, sink);
  enc_codec.print("encode, ripple's codec");
  enc_proto.print("encode, protobuf (incl. building the message)");
  dec_codec.print("decode, ripple's codec");
  dec_proto.print("decode, protobuf (incl. building ServiceConfig)");
  dec_arena.print("decode, protobuf on an arena per config");
  snap_ripple.print("snapshot load + lookups, ripple's format");
  snap_proto.print("snapshot load + lookups, protobuf");
  snap_arena.print("snapshot load + lookups, protobuf on an arena");
  std::printf(
      "  protobuf / ripple: encode %.2fx, decode %.2fx (arena %.2fx), encode+decode "
      "%.2fx, snapshot %.2fx (arena %.2fx)\n",
      enc_proto.mean() / enc_codec.mean(), dec_proto.mean() / dec_codec.mean(),
      dec_arena.mean() / dec_codec.mean(),
      (enc_proto.mean() + dec_proto.mean()) / (enc_codec.mean() + dec_codec.mean()),
      snap_proto.mean() / snap_ripple.mean(), snap_arena.mean() / snap_ripple.mean());
  std::remove(proto_path.c_str());
  return 0;
}
