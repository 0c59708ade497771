#include "graph/image_task.h"

#include <array>

namespace ripple::graph {
namespace {

constexpr std::array<const char*, 3> kBuilders = {"docker", "buildah", "podman"};

std::string quoted(const std::string& value) {
  std::string out = "'";
  for (char c : value) {
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  }
  return out + "'";
}

std::string joined(const std::vector<std::string>& items, const char* separator) {
  std::string out;
  for (const std::string& item : items) {
    out += (out.empty() ? "" : separator) + item;
  }
  return out;
}

std::string build_arg_flags(const ImageSpec& image) {
  std::vector<std::string> flags;
  for (const auto& [name, value] : image.build_args) {
    flags.push_back("--build-arg " + quoted(name + "=" + value));
  }
  return joined(flags, " ");
}

void replace_all(std::string& text, const std::string& from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

bool named_builder(const ImagesConfig& images) {
  for (const char* known : kBuilders) {
    if (images.builder == known) {
      return true;
    }
  }
  return false;
}

// A registry reached over plain HTTP: localhost and 127.0.0.0/8, as docker allows.
bool loopback_registry(const std::string& reference) {
  return reference.starts_with("localhost:") || reference.starts_with("localhost/") ||
         reference.starts_with("127.");
}

// `path` (relative to the service directory) joined to `name`.
std::string beside(const std::string& dir, const std::string& name) {
  return dir.empty() || dir == "." ? name : dir + "/" + name;
}

}  // namespace

Status check_builder(const ImagesConfig& images) {
  if (images.push && images.push->find("{ref}") == std::string::npos) {
    return input_error(
        at(images.push_pos, "images.push '" + *images.push +
                                "' needs {ref} (the reference to push to), such as 'skopeo copy "
                                "containers-storage:{source} docker://{ref}'"));
  }
  if (named_builder(images) || images.builder.find("{ref}") != std::string::npos) {
    return {};
  }
  return input_error(at(images.builder_pos,
                        "images.builder '" + images.builder +
                            "' is neither docker, buildah nor podman, nor a command template "
                            "with {ref} (the image reference to build), such as 'kaniko "
                            "--dockerfile {dockerfile} --context {context} --destination {ref}'"));
}

std::string image_build_command(const ImagesConfig& images, const ImageSpec& image) {
  const std::string ref = "\"$RIPPLE_IMAGE\"";
  const std::string target = image.target ? quoted(*image.target) : std::string();
  const std::string platforms =
      image.platforms.empty() ? std::string() : quoted(joined(image.platforms, ","));
  if (!named_builder(images)) {
    std::string command = images.builder;
    replace_all(command, "{ref}", ref);
    replace_all(command, "{dockerfile}", quoted(image.dockerfile));
    replace_all(command, "{context}", quoted(image.context));
    replace_all(command, "{build_args}", build_arg_flags(image));
    replace_all(command, "{target}", target);
    replace_all(command, "{platforms}", platforms);
    replace_all(command, "{name}", quoted(image.name));
    return command;
  }
  std::string command = images.builder + (images.builder == "buildah" ? " bud" : " build") +
                        " --file " + quoted(image.dockerfile) + " --tag " + ref;
  if (const std::string args = build_arg_flags(image); !args.empty()) {
    command += " " + args;
  }
  if (!target.empty()) {
    command += " --target " + target;
  }
  if (!platforms.empty()) {
    command += " --platform " + platforms;
  }
  return command + " " + quoted(image.context);
}

TaskSpec image_task_spec(const ImagesConfig& images, const ImageSpec& image,
                         const std::vector<std::string>& service_inputs, bool has_build) {
  TaskSpec task;
  task.name = kImageTask;
  task.run = image_build_command(images, image);
  task.pos = image.pos;
  // The image is the result, and it lives in the builder's store and the registry, not in
  // outputs the cache could restore: the registry, not the task cache, says what exists.
  task.cache = false;
  if (has_build) {
    task.deps.push_back(TaskDep{TaskDep::Kind::self, "", "build", image.pos});
  }
  // The Dockerfile and .dockerignore files count wherever they are; outside the service
  // directory they are added to its inputs (inside, its inputs hold them already).
  const std::array<std::string, 3> files = {image.dockerfile, image.dockerfile + ".dockerignore",
                                            beside(image.context, ".dockerignore")};
  for (const std::string& file : files) {
    if (file.starts_with("../")) {
      if (task.inputs.empty()) {
        task.inputs = service_inputs.empty() ? std::vector<std::string>{"**"} : service_inputs;
      }
      task.inputs.push_back(file);
    }
  }
  return task;
}

Result<std::string> image_push_command(const ImagesConfig& images, const std::string& source,
                                       const std::string& target) {
  if (images.push) {
    std::string command = *images.push;
    replace_all(command, "{ref}", quoted(target));
    replace_all(command, "{source}", quoted(source));
    return command;
  }
  if (!named_builder(images)) {
    return input_error(at(images.builder_pos,
                          "images.builder is a command template, so ripple cannot tell how to push "
                          "what it builds; add `images.push`, a template with {ref} (and "
                          "{source}), such as 'skopeo copy containers-storage:{source} "
                          "docker://{ref}'"));
  }
  const std::string& tool = images.builder;
  const std::string tls =
      tool != "docker" && loopback_registry(target) ? " --tls-verify=false" : "";
  if (tool == "buildah") {
    return "buildah push" + tls + " " + quoted(source) + " " + quoted(target);
  }
  std::string command;
  if (source != target) {
    command = tool + " tag " + quoted(source) + " " + quoted(target) + " && ";
  }
  return command + tool + " push" + tls + " " + quoted(target);
}

std::string content_tag(const std::string& task_key) { return "r-" + task_key.substr(0, 24); }

std::string image_reference(const ImagesConfig& images, const std::string& name,
                            const std::string& tag) {
  // A name that holds the registry already (a Compose `image:`) is not prefixed again.
  const bool prefixed =
      images.registry && !images.registry->empty() && !name.starts_with(*images.registry + "/");
  const std::string repository = prefixed ? *images.registry + "/" + name : name;
  return repository + ":" + tag;
}

}  // namespace ripple::graph
