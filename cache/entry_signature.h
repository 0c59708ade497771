#pragma once

// Signed action-cache entries, for a remote cache that more than the trusted writers can write
// (docs/remote-cache.md#signing): with a secret shared by the runners, each entry carries an
// HMAC-SHA256 (OpenSSL) over the task key followed by the entry's bytes. The signature rides in
// the ActionResult as an extra length-delimited field (number 1000) appended at the end, so a
// signed entry is still an ActionResult to any server that checks, and to a reader without the
// secret.

#include <string>
#include <string_view>

#include "graph/support/error.h"

namespace ripple::cache {

// `entry` (encoded ActionResult bytes) with its signature appended.
std::string sign_entry(std::string_view key, std::string_view entry, std::string_view secret);

// The entry's bytes without the signature, when `signed_entry` carries a signature made with
// `secret` for `key`; otherwise an input error saying whether it is unsigned or signed otherwise.
Result<std::string_view> verify_entry(std::string_view key, std::string_view signed_entry,
                                      std::string_view secret);

}  // namespace ripple::cache
