// Parts of a shared file named in `inputs:` (rules/file_parts.h): a YAML node by dotted path,
// canonical (layout, comments, key order and merges make no difference); dotenv variables by glob.

#include "rules/file_parts.h"

#include <catch2/catch.hpp>

using namespace ripple::rules;

TEST_CASE("file parts: a YAML node by its path, canonical") {
  const std::string compose = R"(x-common: &common
  restart: always
services:
  cart:
    <<: *common
    build: ./cart   # the cart
    image: shop/cart
  web:
    build: ./web
)";
  auto cart = file_parts(compose, "compose.yaml", "services.cart");
  REQUIRE(cart.has_value());
  REQUIRE(cart->size() == 1);
  const std::string text = cart->at("compose.yaml#services.cart");
  CHECK(text.find("restart: always") != std::string::npos);  // the merge resolved
  // Another layout, comment, quoting of the same content and key order: the same part.
  const std::string same = R"(services:
  web: { build: ./web2 }
  cart: {image: "shop/cart", build: ./cart, restart: always}
)";
  CHECK(file_parts(same, "compose.yaml", "services.cart")->at("compose.yaml#services.cart") ==
        text);
  CHECK(file_parts(same, "compose.yaml", "services.web")->at("compose.yaml#services.web") !=
        file_parts(compose, "compose.yaml", "services.web")->at("compose.yaml#services.web"));
  // A path that is not there: one empty part; a list index; no YAML: nothing.
  CHECK(
      file_parts(compose, "compose.yaml", "services.pay")->at("compose.yaml#services.pay").empty());
  CHECK(file_parts("a: [x, y]\n", "f.yaml", "a.1")->at("f.yaml#a.1") == "y");
  CHECK_FALSE(file_parts("a: [\n", "f.yaml", "a").has_value());
}

TEST_CASE("file parts: dotenv variables by glob, each a part") {
  CHECK(dotenv_file(".env"));
  CHECK(dotenv_file("deploy/prod.env"));
  CHECK(dotenv_file(".env.local"));
  CHECK_FALSE(dotenv_file("compose.yaml"));
  auto parts = file_parts("CART_TAG=1\nCART_PORT=80\nWEB_TAG=2\n", ".env", "CART_*");
  REQUIRE(parts.has_value());
  CHECK(*parts ==
        std::map<std::string, std::string>{{".env#CART_PORT", "=80"}, {".env#CART_TAG", "=1"}});
  CHECK(file_parts("WEB_TAG=2\n", ".env", "CART_*")->empty());
}
