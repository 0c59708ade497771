// Image references as the registry client reads them (orchestrator/images/registry_client.h):
// the registry host, the repository and the tag, Docker Hub's defaults.

#include "orchestrator/images/registry_client.h"

#include <catch2/catch.hpp>

using namespace ripple;

TEST_CASE("registry client: an image reference's registry, repository and tag") {
  auto own = parse_image_ref("registry.example.com/shop/api:r-0123");
  REQUIRE(own.has_value());
  CHECK(own->registry == "registry.example.com");
  CHECK(own->repository == "shop/api");
  CHECK(own->tag == "r-0123");
  auto port = parse_image_ref("127.0.0.1:5000/acme/web:r-1@sha256:ab");
  REQUIRE(port.has_value());
  CHECK(port->registry == "127.0.0.1:5000");
  CHECK(port->repository == "acme/web");
  CHECK(port->tag == "r-1");
  auto local = parse_image_ref("localhost/web:1");
  REQUIRE(local.has_value());
  CHECK(local->registry == "localhost");
  // No host: Docker Hub's, with `library/` for an official image's one-part name.
  auto hub = parse_image_ref("api:r-1");
  REQUIRE(hub.has_value());
  CHECK(hub->registry == "registry-1.docker.io");
  CHECK(hub->repository == "library/api");
  auto team = parse_image_ref("acme/api:r-1");
  REQUIRE(team.has_value());
  CHECK(team->registry == "registry-1.docker.io");
  CHECK(team->repository == "acme/api");
  CHECK_FALSE(parse_image_ref("registry.example.com:5000/api").has_value());
  CHECK_FALSE(parse_image_ref("api:").has_value());
}
