#pragma once

// A remote cache's URL, taken apart (RFC 3986, by libcurl's URL parser): the scheme says which
// protocol speaks to it (http_store.h: Bazel's HTTP cache protocol for http:// and https://,
// Turborepo's remote cache API for turbo+http:// and turbo+https://), credentials in it become
// basic auth, and the form shown in messages has the password masked.

#include <string>

#include "graph/support/error.h"

namespace ripple::cache {

struct RemoteUrl {
  std::string scheme;         // "http" or "https" (what goes on the wire)
  bool turbo = false;         // written turbo+http:// or turbo+https://
  std::string base;           // http(s)://, without credentials, query or trailing '/'
  std::string shown;          // as given, the password replaced by "***"
  std::string user_password;  // "user:password" (decoded), empty when none
};

// An input error naming `where` (such as "ripple.yaml: cache.remote.url") for what is not a
// URL or has a scheme ripple does not speak (grpc:// is named as not supported yet).
Result<RemoteUrl> parse_remote_url(const std::string& text, const std::string& where);

// `text` with any password masked (turbo+ URLs too); `text` itself when it is not a URL.
std::string mask_url(const std::string& text);

}  // namespace ripple::cache
