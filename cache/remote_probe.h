#pragma once

// `ripple cache doctor`'s checks of a remote cache (docs/remote-cache.md): can it be reached,
// are the credentials taken, can this run write (an empty blob written and read back), does it
// offer a status page (bazel-remote's /status). Each check is one line; nothing is changed on
// the server but the empty blob, which every cache may hold.

#include <string>
#include <vector>

#include "cache/http_store.h"

namespace ripple::cache {

struct ProbeLine {
  std::string name;    // "reach", "write", "status page"
  bool ok = true;      // false: a problem the line explains
  std::string detail;  // what was asked and answered
};

std::vector<ProbeLine> probe_remote(const RemoteOptions& options);

}  // namespace ripple::cache
