#include "cache/remote_url.h"

#include <curl/curl.h>

#include <memory>
#include <string_view>

namespace ripple::cache {
namespace {

struct UrlFree {
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
};
using UrlHandle = std::unique_ptr<CURLU, UrlFree>;

// A part of the URL, or empty when it has none.
std::string part(CURLU* u, CURLUPart which, unsigned flags = 0) {
  char* value = nullptr;
  if (curl_url_get(u, which, &value, flags) != CURLUE_OK || value == nullptr) {
    return {};
  }
  std::string out = value;
  curl_free(value);
  return out;
}

constexpr std::string_view kTurbo = "turbo+";

bool starts_turbo(const std::string& text) { return text.rfind(kTurbo, 0) == 0; }

}  // namespace

std::string mask_url(const std::string& text) {
  // libcurl does not parse a scheme it does not know: the password of a turbo+ URL is masked in
  // the http(s) URL behind the prefix.
  if (starts_turbo(text)) {
    return std::string(kTurbo) + mask_url(text.substr(kTurbo.size()));
  }
  UrlHandle u(curl_url());
  if (!u ||
      curl_url_set(u.get(), CURLUPART_URL, text.c_str(), CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK) {
    return text;
  }
  if (!part(u.get(), CURLUPART_PASSWORD).empty()) {
    curl_url_set(u.get(), CURLUPART_PASSWORD, "***", 0);
  }
  return part(u.get(), CURLUPART_URL);
}

Result<RemoteUrl> parse_remote_url(const std::string& text, const std::string& where) {
  const std::string fix =
      "; write it as http://host:port/path or https://user:password@host/path (turbo+http:// or "
      "turbo+https:// for a Turborepo remote cache)";
  if (text.rfind("grpc://", 0) == 0 || text.rfind("grpcs://", 0) == 0) {
    return input_error(where + ": '" + mask_url(text) +
                       "': REAPI over gRPC is not supported yet; point ripple at the server's "
                       "HTTP port (bazel-remote serves both)");
  }
  RemoteUrl url;
  url.turbo = starts_turbo(text);
  const std::string wire = url.turbo ? text.substr(kTurbo.size()) : text;
  UrlHandle u(curl_url());
  if (!u || curl_url_set(u.get(), CURLUPART_URL, wire.c_str(), 0) != CURLUE_OK) {
    return input_error(where + ": '" + mask_url(text) + "' is not a URL" + fix);
  }
  url.scheme = part(u.get(), CURLUPART_SCHEME);
  if (url.scheme != "http" && url.scheme != "https") {
    return input_error(where + ": '" + mask_url(text) + "': the scheme " +
                       (url.turbo ? "turbo+" : "") + url.scheme + ":// is not one ripple speaks" +
                       fix);
  }
  url.shown = mask_url(text);
  const std::string user = part(u.get(), CURLUPART_USER, CURLU_URLDECODE);
  const std::string password = part(u.get(), CURLUPART_PASSWORD, CURLU_URLDECODE);
  if (!user.empty() || !password.empty()) {
    url.user_password = user + ":" + password;
  }
  curl_url_set(u.get(), CURLUPART_USER, nullptr, 0);
  curl_url_set(u.get(), CURLUPART_PASSWORD, nullptr, 0);
  curl_url_set(u.get(), CURLUPART_QUERY, nullptr, 0);
  curl_url_set(u.get(), CURLUPART_FRAGMENT, nullptr, 0);
  url.base = part(u.get(), CURLUPART_URL);
  while (!url.base.empty() && url.base.back() == '/') {
    url.base.pop_back();
  }
  return url;
}

}  // namespace ripple::cache
