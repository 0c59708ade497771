#pragma once

// buildah with an image store of its own in a temporary directory, for tests that build real
// images offline (FROM scratch, `--isolation chroot`, vfs storage: no daemon, no root features).
// Either run as `command()` in a builder template, or, for ripple's named `buildah` builder, chosen
// through the environment the tasks inherit (`env()`).

#include <string>

#include "tests/support/process.h"

namespace ripple::testing {

class BuildahStore {
 public:
  // Throws when buildah (and, with `with_skopeo`, skopeo) is not installed: scripts/setup.sh
  // installs them, so a missing one is a setup failure, not a skip.
  explicit BuildahStore(bool with_skopeo = false);

  // "buildah --root … --runroot … --storage-driver vfs".
  std::string command() const;
  // `command() bud --isolation chroot --quiet`, for a builder template to go on with
  // `--file {dockerfile} … {context}`.
  std::string bud() const;
  // Variables that make a plain `buildah` use this store, chroot isolation and vfs; with
  // `insecure_registry` (host:port), that plain-HTTP registry may be pulled from too.
  std::string env(const std::string& insecure_registry = "") const;
  const std::string& path() const { return dir_.path(); }

 private:
  TempDir dir_;
};

}  // namespace ripple::testing
