#pragma once

// Asks container registries (the registry v2 API) whether they hold an image tag
// (docs/images.md, `ripple images --check-registry`): `HEAD /v2/<name>/manifests/<tag>` with the
// Accept header for OCI and Docker manifests and indexes (some registries answer 404 without it).
//
// Credentials, per registry host: RIPPLE_REGISTRY_USER and RIPPLE_REGISTRY_PASSWORD when set,
// else the `auths` entry of the Docker config ($DOCKER_CONFIG/config.json, else
// ~/.docker/config.json), else none. A 401 that names a Bearer realm is answered by the token
// flow (the realm asked for a pull token for the repository, with the credentials when there are
// any), then the request again with the token. Plain HTTP for localhost and 127.0.0.0/8, as
// Docker does; HTTPS everywhere else.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "graph/support/error.h"
#include "orchestrator/platform/env_lookup.h"
#include "orchestrator/platform/filesystem.h"
#include "orchestrator/reporter.h"

namespace ripple {

// "reg.example.com:5000/shop/api:r-1" → {reg.example.com:5000, shop/api, r-1}; a reference
// without a registry host is Docker Hub's ("api:1" → registry-1.docker.io, library/api).
struct ImageRef {
  std::string registry;
  std::string repository;
  std::string tag;
};
Result<ImageRef> parse_image_ref(const std::string& reference);

struct RegistryAnswer {
  enum class State { present, absent, error };
  State state = State::error;
  std::string digest;  // present: the manifest's Docker-Content-Digest
  std::string error;   // error: what went wrong, naming the registry and the status
};

// HEADs of every reference's manifest, up to 8 at once; the answers in the references' order.
// `env` reads the environment (credentials, $HOME, $DOCKER_CONFIG).
std::vector<RegistryAnswer> check_registry(const std::vector<ImageRef>& refs, const EnvLookup& env,
                                           const Filesystem& fs);

// check_registry over full references, for a command that cannot go on without every answer:
// each error is reported on `reporter`, then an environment error (exit 3) says `trouble`; a
// reference that does not parse is an input error.
Result<std::vector<RegistryAnswer>> ask_registry(const std::vector<std::string>& references,
                                                 const EnvLookup& env, const Filesystem& fs,
                                                 Reporter& reporter, const std::string& trouble);

}  // namespace ripple
