// The pieces of the remote cache that need no server: URLs taken apart and masked, and signed
// entries.

#include <catch2/catch.hpp>

#include "cache/entry_signature.h"
#include "cache/remote_url.h"

using namespace ripple::cache;

TEST_CASE("remote url: credentials become basic auth and are masked in what is shown") {
  auto url = parse_remote_url("https://ci:s%40cret@cache.example.com:8443/ripple/?x=1#f", "here");
  REQUIRE(url.has_value());
  CHECK(url->scheme == "https");
  CHECK(url->base == "https://cache.example.com:8443/ripple");
  CHECK(url->user_password == "ci:s@cret");
  CHECK(url->shown.find("s%40cret") == std::string::npos);
  CHECK(url->shown.find("ci:***@cache.example.com") != std::string::npos);
  auto plain = parse_remote_url("http://127.0.0.1:8080/", "here");
  REQUIRE(plain.has_value());
  CHECK(plain->base == "http://127.0.0.1:8080");
  CHECK(plain->user_password.empty());
  CHECK(plain->shown == "http://127.0.0.1:8080/");
}

TEST_CASE("remote url: what ripple does not speak is an error naming where it was written") {
  auto grpc = parse_remote_url("grpcs://user:pw@cache:9092", "ripple.yaml:4: cache.remote.url");
  REQUIRE_FALSE(grpc.has_value());
  CHECK_THAT(grpc.error().message, Catch::StartsWith("ripple.yaml:4: cache.remote.url"));
  CHECK_THAT(grpc.error().message, Catch::Contains("not supported yet"));
  CHECK(grpc.error().message.find(":pw@") == std::string::npos);
  auto ftp = parse_remote_url("ftp://cache/x", "here");
  REQUIRE_FALSE(ftp.has_value());
  CHECK_THAT(ftp.error().message, Catch::Contains("the scheme ftp:// is not one ripple speaks"));
  CHECK_FALSE(parse_remote_url("not a url", "here").has_value());
}

TEST_CASE("entry signature: only the key and bytes it was made for, with the same secret, pass") {
  const std::string key(64, 'a');
  const std::string entry = "\x0a\x03out";
  const std::string signed_entry = sign_entry(key, entry, "secret");
  CHECK(signed_entry.size() == entry.size() + 35);
  auto ok = verify_entry(key, signed_entry, "secret");
  REQUIRE(ok.has_value());
  CHECK(*ok == entry);
  CHECK_THAT(verify_entry(key, signed_entry, "other").error().message,
             Catch::Contains("signed with another key"));
  CHECK_FALSE(verify_entry(std::string(64, 'b'), signed_entry, "secret").has_value());
  std::string changed = signed_entry;
  changed[1] = 'X';
  CHECK_FALSE(verify_entry(key, changed, "secret").has_value());
  CHECK_THAT(verify_entry(key, entry, "secret").error().message, Catch::Contains("not signed"));
}
