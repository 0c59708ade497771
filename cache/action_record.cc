#include "cache/action_record.h"

#include <optional>
#include <set>

#include "cache/proto/action_result.pb.h"

namespace ripple::cache {
namespace rex = build::bazel::remote::execution::v2;

namespace {

void to_proto(const BlobDigest& d, rex::Digest* out) {
  out->set_hash(d.hash);
  out->set_size_bytes(d.size);
}

BlobDigest from_proto(const rex::Digest& d) { return BlobDigest{d.hash(), d.size_bytes()}; }

void to_proto(std::int64_t ns, rex::Timestamp* out) {
  out->set_seconds(ns / 1'000'000'000);
  out->set_nanos(static_cast<std::int32_t>(ns % 1'000'000'000));
}

std::int64_t from_proto(const rex::Timestamp& t) { return t.seconds() * 1'000'000'000 + t.nanos(); }

constexpr const char* kPathEncoding = "ripple-path-encoding";

bool valid_utf8(std::string_view s) {
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  for (std::size_t i = 0; i < s.size();) {
    const unsigned char c = byte(i);
    std::size_t more = 0;
    unsigned char lo = 0x80;  // the range of the byte after the lead byte
    unsigned char hi = 0xBF;
    if (c < 0x80) {
      ++i;
      continue;
    } else if (c >= 0xC2 && c <= 0xDF) {
      more = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
      more = 2;
      lo = c == 0xE0 ? 0xA0 : 0x80;  // no overlong forms
      hi = c == 0xED ? 0x9F : 0xBF;  // no surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      more = 3;
      lo = c == 0xF0 ? 0x90 : 0x80;
      hi = c == 0xF4 ? 0x8F : 0xBF;
    } else {
      return false;
    }
    if (i + more >= s.size() || byte(i + 1) < lo || byte(i + 1) > hi) {
      return false;
    }
    for (std::size_t k = 2; k <= more; ++k) {
      if ((byte(i + k) & 0xC0) != 0x80) {
        return false;
      }
    }
    i += more + 1;
  }
  return true;
}

// '%' and every byte outside printable ASCII as %XX: lossless, and always UTF-8.
std::string percent_encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '%' || c < 0x20 || c >= 0x7F) {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    } else {
      out += ch;
    }
  }
  return out;
}

std::optional<std::string> percent_decode(std::string_view s) {
  auto hex = [](char c) -> int {
    return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
  };
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    if (i + 2 >= s.size()) {
      return std::nullopt;
    }
    int hi = hex(s[i + 1]);
    int lo = hex(s[i + 2]);
    if (hi < 0 || lo < 0) {
      return std::nullopt;
    }
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

}  // namespace

std::vector<BlobDigest> named_blobs(const ActionRecord& record) {
  std::vector<BlobDigest> named;
  std::set<std::string_view> seen;
  auto add = [&](const BlobDigest& d) {
    if (seen.insert(d.hash).second) {
      named.push_back(d);
    }
  };
  for (const OutputRecord& o : record.outputs) {
    add(o.digest);
  }
  add(record.stdout_digest);
  add(record.stderr_digest);
  return named;
}

BlobDigest digest_of(std::string_view bytes) {
  BlobHasher hasher;
  hasher.update(bytes);
  return hasher.finish();
}

void BlobHasher::update(std::string_view bytes) {
  sha256_.update(bytes);
  size_ += static_cast<std::int64_t>(bytes.size());
}

BlobDigest BlobHasher::finish() { return BlobDigest{sha256_.finish_hex(), size_}; }

std::string encode_action(const ActionRecord& record) {
  rex::ActionResult result;
  for (const OutputRecord& o : record.outputs) {
    rex::OutputFile* f = result.add_output_files();
    if (valid_utf8(o.path)) {
      f->set_path(o.path);
    } else {
      f->set_path(percent_encode(o.path));
      rex::NodeProperty* p = f->mutable_node_properties()->add_properties();
      p->set_name(kPathEncoding);
      p->set_value("percent");
    }
    to_proto(o.digest, f->mutable_digest());
    f->set_is_executable(o.executable);
    if (o.mode != 0) {
      f->mutable_node_properties()->mutable_unix_mode()->set_value(o.mode);
    }
  }
  result.set_exit_code(record.exit_code);
  to_proto(record.stdout_digest, result.mutable_stdout_digest());
  to_proto(record.stderr_digest, result.mutable_stderr_digest());
  rex::ExecutedActionMetadata* meta = result.mutable_execution_metadata();
  meta->set_worker(record.worker.empty() ? "ripple" : record.worker);
  to_proto(record.start_ns, meta->mutable_execution_start_timestamp());
  to_proto(record.end_ns, meta->mutable_execution_completed_timestamp());
  return result.SerializeAsString();
}

Result<ActionRecord> decode_action(std::string_view bytes) {
  rex::ActionResult result;
  if (!result.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return environment_error("a cache entry is not a valid ActionResult (corrupt entry)");
  }
  ActionRecord record;
  for (const rex::OutputFile& f : result.output_files()) {
    std::string path = f.path();
    for (const rex::NodeProperty& p : f.node_properties().properties()) {
      if (p.name() == kPathEncoding) {
        auto decoded = p.value() == "percent" ? percent_decode(path) : std::nullopt;
        if (!decoded) {
          return environment_error("a cache entry names an output path it cannot decode");
        }
        path = std::move(*decoded);
      }
    }
    record.outputs.push_back(OutputRecord{
        std::move(path), from_proto(f.digest()), f.is_executable(),
        f.node_properties().has_unix_mode() ? f.node_properties().unix_mode().value() : 0u});
  }
  record.exit_code = result.exit_code();
  record.stdout_digest = from_proto(result.stdout_digest());
  record.stderr_digest = from_proto(result.stderr_digest());
  record.worker = result.execution_metadata().worker();
  record.start_ns = from_proto(result.execution_metadata().execution_start_timestamp());
  record.end_ns = from_proto(result.execution_metadata().execution_completed_timestamp());
  return record;
}

}  // namespace ripple::cache
