#include "tests/support/buildah_store.h"

#include <stdexcept>

namespace ripple::testing {

BuildahStore::BuildahStore(bool with_skopeo) {
  const std::string tools = with_skopeo ? "buildah and skopeo" : "buildah";
  if (run_shell(std::string("command -v buildah") + (with_skopeo ? " && command -v skopeo" : ""))
          .exit_code != 0) {
    throw std::runtime_error(tools + ": not installed; scripts/setup.sh installs them");
  }
  dir_.write("storage.conf", "[storage]\ndriver = \"vfs\"\ngraphroot = \"" + dir_.path() +
                                 "/root\"\nrunroot = \"" + dir_.path() + "/run\"\n");
}

std::string BuildahStore::command() const {
  return "buildah --root " + shell_quote(dir_.path() + "/root") + " --runroot " +
         shell_quote(dir_.path() + "/run") + " --storage-driver vfs";
}

std::string BuildahStore::bud() const { return command() + " bud --isolation chroot --quiet"; }

std::string BuildahStore::env(const std::string& insecure_registry) const {
  std::string out = "CONTAINERS_STORAGE_CONF=" + shell_quote(dir_.path() + "/storage.conf") +
                    " BUILDAH_ISOLATION=chroot STORAGE_DRIVER=vfs";
  if (!insecure_registry.empty()) {
    dir_.write("registries.conf",
               "[[registry]]\nlocation = \"" + insecure_registry + "\"\ninsecure = true\n");
    out += " CONTAINERS_REGISTRIES_CONF=" + shell_quote(dir_.path() + "/registries.conf");
  }
  return out;
}

}  // namespace ripple::testing
