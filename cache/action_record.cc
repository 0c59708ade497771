#include "cache/action_record.h"

#include <openssl/evp.h>

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

}  // namespace

BlobDigest digest_of(std::string_view bytes) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(bytes.data(), bytes.size(), md, &n, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < n; ++i) {
    hex.push_back(kHex[md[i] >> 4]);
    hex.push_back(kHex[md[i] & 0xf]);
  }
  return BlobDigest{hex, static_cast<std::int64_t>(bytes.size())};
}

std::string encode_action(const ActionRecord& record) {
  rex::ActionResult result;
  for (const OutputRecord& o : record.outputs) {
    rex::OutputFile* f = result.add_output_files();
    f->set_path(o.path);
    to_proto(o.digest, f->mutable_digest());
    f->set_is_executable(o.executable);
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
    record.outputs.push_back(OutputRecord{f.path(), from_proto(f.digest()), f.is_executable()});
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
