#include "orchestrator/images/registry_client.h"

#include <openssl/evp.h>

#include <atomic>
#include <nlohmann/json.hpp>
#include <thread>

#include "cache/http_client.h"

namespace ripple {
namespace {

constexpr const char* kDockerHub = "registry-1.docker.io";
constexpr std::size_t kConcurrent = 8;  // requests at once
constexpr const char* kAccept =
    "Accept: application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json, "
    "application/vnd.docker.distribution.manifest.list.v2+json, "
    "application/vnd.docker.distribution.manifest.v2+json";

std::string base64(const std::string& bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()),
                                static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

// Plain HTTP for loopback registries, as Docker allows them without TLS.
std::string scheme_for(const std::string& host) {
  const std::string name = host.substr(
      0, host.rfind(':') == std::string::npos || host.starts_with('[') ? host.size()
                                                                       : host.rfind(':'));
  const bool loopback =
      name == "localhost" || name.starts_with("127.") || name == "[::1]" || host == "[::1]";
  return loopback ? "http://" : "https://";
}

// "Basic <base64>" credentials for `host`, or nothing.
std::optional<std::string> credentials(const std::string& host, const EnvLookup& env,
                                       const Filesystem& fs) {
  auto user = env("RIPPLE_REGISTRY_USER");
  auto password = env("RIPPLE_REGISTRY_PASSWORD");
  if (user && password) {
    return base64(*user + ":" + *password);
  }
  std::string config;
  if (auto dir = env("DOCKER_CONFIG")) {
    config = *dir + "/config.json";
  } else if (auto home = env("HOME")) {
    config = *home + "/.docker/config.json";
  } else {
    return std::nullopt;
  }
  auto text = fs.read_file(config);
  if (!text) {
    return std::nullopt;
  }
  const nlohmann::json doc = nlohmann::json::parse(*text, nullptr, false);
  if (!doc.is_object() || !doc.contains("auths") || !doc["auths"].is_object()) {
    return std::nullopt;
  }
  const nlohmann::json& auths = doc["auths"];
  for (const std::string& key :
       {host, "https://" + host, "http://" + host,
        host == kDockerHub ? std::string("https://index.docker.io/v1/") : std::string()}) {
    if (!key.empty() && auths.contains(key) && auths[key].is_object() &&
        auths[key].contains("auth") && auths[key]["auth"].is_string()) {
      return auths[key]["auth"].get<std::string>();
    }
  }
  return std::nullopt;
}

// The parameters of a `WWW-Authenticate: Bearer realm="…",service="…",scope="…"` challenge.
std::optional<std::map<std::string, std::string>> bearer_challenge(const std::string& header) {
  if (header.size() < 7 || header.substr(0, 7) != "Bearer ") {
    return std::nullopt;
  }
  std::map<std::string, std::string> out;
  std::size_t i = 7;
  while (i < header.size()) {
    while (i < header.size() && (header[i] == ' ' || header[i] == ',')) {
      ++i;
    }
    const std::size_t eq = header.find('=', i);
    if (eq == std::string::npos) {
      break;
    }
    const std::string key = header.substr(i, eq - i);
    std::string value;
    i = eq + 1;
    if (i < header.size() && header[i] == '"') {
      const std::size_t end = header.find('"', i + 1);
      value = header.substr(i + 1, end == std::string::npos ? std::string::npos : end - i - 1);
      i = end == std::string::npos ? header.size() : end + 1;
    } else {
      const std::size_t end = header.find(',', i);
      value = header.substr(i, end == std::string::npos ? std::string::npos : end - i);
      i = end == std::string::npos ? header.size() : end;
    }
    out[key] = value;
  }
  if (out.count("realm") == 0) {
    return std::nullopt;
  }
  return out;
}

std::string url_encoded(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

std::string status_text(const cache::HttpResponse& r) {
  return r.status == 0 ? r.error : "HTTP " + std::to_string(r.status);
}

RegistryAnswer check_one(cache::HttpClient& http, const ImageRef& ref, const EnvLookup& env,
                         const Filesystem& fs) {
  const std::string url =
      scheme_for(ref.registry) + ref.registry + "/v2/" + ref.repository + "/manifests/" + ref.tag;
  const std::optional<std::string> basic = credentials(ref.registry, env, fs);
  std::vector<std::string> headers = {kAccept};
  if (basic) {
    headers.push_back("Authorization: Basic " + *basic);
  }
  const std::vector<std::string> wanted = {"Docker-Content-Digest", "WWW-Authenticate"};
  cache::HttpResponse r = http.request("HEAD", url, headers, wanted);
  if (r.status == 401 && r.headers.count("WWW-Authenticate") > 0) {
    if (auto challenge = bearer_challenge(r.headers.at("WWW-Authenticate"))) {
      std::string token_url =
          (*challenge)["realm"] + "?scope=" + url_encoded("repository:" + ref.repository + ":pull");
      if (challenge->count("service") > 0) {
        token_url += "&service=" + url_encoded(challenge->at("service"));
      }
      std::vector<std::string> token_headers;
      if (basic) {
        token_headers.push_back("Authorization: Basic " + *basic);
      }
      cache::HttpResponse t = http.request("GET", token_url, token_headers, {});
      if (!t.ok()) {
        return RegistryAnswer{RegistryAnswer::State::error, "",
                              "registry " + ref.registry + ": its token service (" +
                                  (*challenge)["realm"] + ") answered " + status_text(t)};
      }
      const nlohmann::json doc = nlohmann::json::parse(t.body, nullptr, false);
      std::string token;
      for (const char* field : {"token", "access_token"}) {
        if (doc.is_object() && doc.contains(field) && doc[field].is_string()) {
          token = doc[field].get<std::string>();
          break;
        }
      }
      if (token.empty()) {
        return RegistryAnswer{RegistryAnswer::State::error, "",
                              "registry " + ref.registry + ": its token service (" +
                                  (*challenge)["realm"] + ") gave no token"};
      }
      r = http.request("HEAD", url, {kAccept, "Authorization: Bearer " + token}, wanted);
    }
  }
  if (r.status == 200) {
    auto digest = r.headers.find("Docker-Content-Digest");
    return RegistryAnswer{RegistryAnswer::State::present,
                          digest == r.headers.end() ? std::string() : digest->second, ""};
  }
  if (r.status == 404) {
    return RegistryAnswer{RegistryAnswer::State::absent, "", ""};
  }
  std::string what = "registry " + ref.registry + " answered " + status_text(r) + " for " +
                     ref.repository + ":" + ref.tag;
  if (r.status == 401 || r.status == 403) {
    what += basic ? " (the credentials were refused)"
                  : " (set RIPPLE_REGISTRY_USER and RIPPLE_REGISTRY_PASSWORD, or docker login)";
  }
  return RegistryAnswer{RegistryAnswer::State::error, "", what};
}

}  // namespace

Result<ImageRef> parse_image_ref(const std::string& reference) {
  std::string rest = reference;
  if (const std::size_t at = rest.find('@'); at != std::string::npos) {
    rest.resize(at);  // a digest: the tag decides here
  }
  ImageRef ref;
  const std::size_t slash = rest.find('/');
  const std::string first = slash == std::string::npos ? std::string() : rest.substr(0, slash);
  if (!first.empty() && (first.find_first_of(".:") != std::string::npos || first == "localhost")) {
    ref.registry = first;
    rest = rest.substr(slash + 1);
  } else {
    ref.registry = kDockerHub;
    if (rest.find('/') == std::string::npos) {
      rest = "library/" + rest;
    }
  }
  const std::size_t colon = rest.rfind(':');
  if (colon == std::string::npos || colon + 1 == rest.size() || colon == 0) {
    return input_error("image reference '" + reference + "' has no tag");
  }
  ref.repository = rest.substr(0, colon);
  ref.tag = rest.substr(colon + 1);
  return ref;
}

std::vector<RegistryAnswer> check_registry(const std::vector<ImageRef>& refs, const EnvLookup& env,
                                           const Filesystem& fs) {
  cache::HttpOptions options;
  options.timeout = std::chrono::seconds(30);
  cache::HttpClient http(options);
  std::vector<RegistryAnswer> out(refs.size());
  // Threads of its own, not TBB's (as many as cores): the requests wait on the network.
  std::atomic<std::size_t> next{0};
  std::vector<std::thread> threads;
  const std::size_t n = std::min<std::size_t>(refs.size(), kConcurrent);
  for (std::size_t t = 0; t < n; ++t) {
    threads.emplace_back([&] {
      for (std::size_t i = next++; i < refs.size(); i = next++) {
        out[i] = check_one(http, refs[i], env, fs);
      }
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  return out;
}

Result<std::vector<RegistryAnswer>> ask_registry(const std::vector<std::string>& references,
                                                 const EnvLookup& env, const Filesystem& fs,
                                                 Reporter& reporter, const std::string& trouble) {
  std::vector<ImageRef> refs;
  for (const std::string& reference : references) {
    auto ref = parse_image_ref(reference);
    if (!ref) {
      return tl::unexpected(ref.error());
    }
    refs.push_back(std::move(*ref));
  }
  std::vector<RegistryAnswer> answers = check_registry(refs, env, fs);
  bool failed = false;
  for (const RegistryAnswer& answer : answers) {
    if (answer.state == RegistryAnswer::State::error) {
      reporter.error(answer.error);
      failed = true;
    }
  }
  if (failed) {
    return tl::unexpected(Error{ErrorKind::environment, trouble});
  }
  return answers;
}

}  // namespace ripple
