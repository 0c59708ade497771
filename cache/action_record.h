#pragma once

// What the cache remembers of one successful task run, in plain C++; encoded as the Remote
// Execution API's ActionResult protobuf (cache/proto/action_result.proto) so that the bytes are
// what REAPI caches such as bazel-remote store. Protobuf stays inside action_record.cc.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cache/digest.h"
#include "graph/support/error.h"

namespace ripple::cache {

struct BlobDigest {
  std::string hash;  // lowercase hex SHA-256 of the bytes
  std::int64_t size = 0;
  friend bool operator==(const BlobDigest&, const BlobDigest&) = default;
};

// The digest of `bytes`.
BlobDigest digest_of(std::string_view bytes);

// digest_of() for bytes handed in pieces (a file read in chunks). Not thread-safe.
class BlobHasher {
 public:
  void update(std::string_view bytes);
  // The digest of everything handed in; the hasher is spent.
  BlobDigest finish();

 private:
  Sha256Stream sha256_;
  std::int64_t size_ = 0;
};

struct OutputRecord {
  // Relative to the task's directory, '/'-separated, never absolute or "..". Any bytes a Linux
  // name may hold: a name that is not UTF-8 (which a protobuf string must be) is stored
  // percent-encoded, with a node property saying so, and decoded back to the same bytes.
  std::string path;
  BlobDigest digest;
  bool executable = false;
  // Permission bits (0777 and the sticky/set-id bits) as stored, restored less the umask; 0 for
  // an entry written without them (then 0755 or 0644 by `executable`). REAPI's
  // OutputFile.node_properties.unix_mode.
  unsigned mode = 0;
};

struct ActionRecord {
  std::vector<OutputRecord> outputs;
  int exit_code = 0;
  BlobDigest stdout_digest;
  BlobDigest stderr_digest;   // ripple captures one combined log; kept for other producers
  std::int64_t start_ns = 0;  // wall clock, for "time saved by the cache"
  std::int64_t end_ns = 0;
  std::string worker;  // who ran it (host name), informational
};

// Every blob `record` names, each once: its outputs' in order, then its stdout and stderr. A
// store holds an entry only while it holds all of these.
std::vector<BlobDigest> named_blobs(const ActionRecord& record);

std::string encode_action(const ActionRecord& record);
// An environment error (a corrupt entry) when `bytes` is not an ActionResult.
Result<ActionRecord> decode_action(std::string_view bytes);

}  // namespace ripple::cache
