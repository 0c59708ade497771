// The dockerfile rule's reading of real-shaped Dockerfiles: which context files each reads.

#include "rules/dockerfile.h"

#include <catch2/catch.hpp>

using namespace ripple;
using namespace ripple::rules;

namespace {

std::vector<std::string> sources(const DockerfileReads& r) {
  std::vector<std::string> out;
  for (const auto& s : r.sources) {
    out.push_back(s.value);
  }
  return out;
}

}  // namespace

TEST_CASE("dockerfile: COPY and ADD sources, multi-stage, heredocs, continuations, ARGs") {
  const std::string text = R"(# syntax=docker/dockerfile:1
ARG APP=pay
FROM golang:1.22 AS build
WORKDIR /src
COPY go.mod go.sum ./
COPY --chown=1000:1000 \
    # a comment inside a continuation
    pb/ ./pb/
COPY ["src/${APP}", "/src/app"]
RUN --mount=type=cache,target=/root/.cache \
    --mount=type=bind,source=tools/gen.sh,target=/gen.sh \
    --mount=type=bind,from=build,source=/x,target=/y \
    go build ./...
RUN <<EOF
COPY not/an/instruction /here
EOF
COPY <<EOT /etc/app.conf
inline = true
EOT
ADD https://example.com/file.tgz /tmp/
ADD ./vendor/*.tgz /vendor/
FROM alpine AS final
COPY --from=build /src/app /app
COPY --from=nginx:1.25 /etc/nginx /etc/nginx
)";
  const DockerfileReads r = dockerfile_reads(text, "src/pay/Dockerfile");
  CHECK_FALSE(r.whole_context);
  CHECK(sources(r) == std::vector<std::string>{"go.mod", "go.sum", "pb", "src/pay", "tools/gen.sh",
                                               "vendor/*.tgz"});
  REQUIRE(r.sources.size() == 6);
  CHECK(format_pos(r.sources[2].pos) == "src/pay/Dockerfile:6:1");
  CHECK(format_pos(r.sources[4].pos) == "src/pay/Dockerfile:10:1");

  const DockerfileReads other_app = dockerfile_reads(text, "Dockerfile", {{"APP", "cart"}});
  CHECK(sources(other_app)[3] == "src/cart");
}

TEST_CASE("dockerfile: COPY . copies the whole context, and so does a bind mount without source") {
  CHECK(dockerfile_reads("FROM node:20\nCOPY . .\n", "Dockerfile").whole_context);
  CHECK(dockerfile_reads("FROM node:20\ncopy ./ /app\n", "Dockerfile").whole_context);
  CHECK(dockerfile_reads("FROM x\nRUN --mount=type=bind,target=/src make\n", "Dockerfile")
            .whole_context);
  const DockerfileReads none = dockerfile_reads("FROM scratch\nCOPY --from=build /a /b\n", "D");
  CHECK_FALSE(none.whole_context);
  CHECK(none.sources.empty());
}

TEST_CASE("dockerfile: the images it builds on, without its own stages or scratch") {
  const std::string text = R"(ARG BASE_TAG=1.0
FROM --platform=$BUILDPLATFORM shop/base:${BASE_TAG} AS Build
COPY --from=build /a /b
COPY --from=0 /a /b
COPY --from=shop/protos:latest /pb /pb
RUN --mount=type=cache,target=/root/.cache --mount=from=shop/tools,target=/t make
FROM scratch
COPY --from=BUILD /app /app
FROM shop/base:2.0
)";
  const DockerfileReads r = dockerfile_reads(text, "src/app/Dockerfile");
  std::vector<std::string> images;
  for (const auto& i : r.images) {
    images.push_back(i.value + " @" + std::to_string(i.pos.line));
  }
  CHECK(images == std::vector<std::string>{"shop/base:1.0 @2", "shop/protos:latest @5",
                                           "shop/tools @6", "shop/base:2.0 @9"});
  CHECK(dockerfile_reads(text, "D", {{"BASE_TAG", "3"}}).images[0].value == "shop/base:3");
}

TEST_CASE("dockerfile: an image's repository is its reference without tag or digest") {
  CHECK(image_repository("shop/base:1.0") == "shop/base");
  CHECK(image_repository("reg:5000/shop/base:1.0@sha256:ab") == "reg:5000/shop/base");
  CHECK(image_repository("reg:5000/shop/base") == "reg:5000/shop/base");
  CHECK(image_repository("alpine") == "alpine");
}
