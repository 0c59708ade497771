#pragma once

// The `image` task a service with an `image:` gets (docs/images.md): its command, rendered from
// the workspace's builder, and its content tag. Pure.
//
// The command reads the image reference from $RIPPLE_IMAGE, which the executor sets from the
// task's key: so the key covers everything the command says (Dockerfile, context, build args,
// target, platforms) and the tag, `r-` + the key's first 24 hex digits, is the same on every
// runner for the same inputs. The `r-` keeps YAML and Helm from reading an all-digit tag as a
// number.

#include <optional>
#include <string>

#include "graph/config.h"
#include "graph/support/error.h"
#include "graph/workspace.h"

namespace ripple::graph {

inline constexpr const char* kImageTask = "image";

// The builders ripple knows by name; any other `images.builder` is a command template.
// A template must hold {ref}; it may hold {dockerfile}, {context}, {build_args}, {target},
// {platforms}, {name} (each shell-quoted where it is a value). So must `images.push`, when set.
Status check_builder(const ImagesConfig& images);

// The shell command that builds `image` with `images.builder`, run in the service directory.
std::string image_build_command(const ImagesConfig& images, const ImageSpec& image);

// The shell command that pushes `source` (the content-tagged reference the builder built) as
// `target` (the same reference, or one of its extra tags): `images.push` with {ref} (target) and
// {source} replaced, shell-quoted; else the named builder's own (docker and podman tag `source` as
// `target` first; buildah and podman push to a loopback registry without TLS, as docker does).
// An input error at images.builder when the builder is a template and `images.push` is unset.
Result<std::string> image_push_command(const ImagesConfig& images, const std::string& source,
                                       const std::string& target);

// The task a service with `image` gets when it defines no `image` task of its own: that command,
// after the service's own `build` (when it has one; the Workspace adds the image tasks of the
// services in `image.from`), reading the service's inputs and its Dockerfile and .dockerignore
// files; not cached (an image lives in the builder's store and the registry, which no restore
// brings back).
TaskSpec image_task_spec(const ImagesConfig& images, const ImageSpec& image,
                         const std::vector<std::string>& service_inputs, bool has_build);

// "r-" + the first 24 hex digits of the image task's key.
std::string content_tag(const std::string& task_key);

// "<registry>/<name>:<tag>", or "<name>:<tag>" without a registry or when `name` starts with
// "<registry>/" already.
std::string image_reference(const ImagesConfig& images, const std::string& name,
                            const std::string& tag);

}  // namespace ripple::graph
