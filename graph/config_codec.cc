#include "graph/config_codec.h"

#include <cstring>

namespace ripple::graph {
namespace {

class Writer {
 public:
  explicit Writer(const std::string& file) : file_(file) {}

  void u32(std::uint32_t v) {
    char buf[4];
    std::memcpy(buf, &v, 4);
    out_.append(buf, 4);
  }
  void flag(bool v) { out_.push_back(v ? '\1' : '\0'); }
  void str(std::string_view s) {
    u32(static_cast<std::uint32_t>(s.size()));
    out_.append(s);
  }
  void pos(const SourcePos& p) {
    ok_ = ok_ && p.file == file_ && p.line >= 0 && p.column >= 0;
    u32(static_cast<std::uint32_t>(p.line));
    u32(static_cast<std::uint32_t>(p.column));
  }
  void located(const LocatedString& s) {
    str(s.value);
    pos(s.pos);
  }
  void list(const LocatedStrings& l) {
    u32(static_cast<std::uint32_t>(l.size()));
    for (const auto& s : l) {
      located(s);
    }
  }
  template <typename T, typename F>
  void maybe(const std::optional<T>& v, F write) {
    flag(v.has_value());
    if (v) {
      write(*v);
    }
  }

  std::optional<std::string> finish() {
    return ok_ ? std::optional<std::string>(std::move(out_)) : std::nullopt;
  }

 private:
  const std::string& file_;
  std::string out_;
  bool ok_ = true;
};

class Reader {
 public:
  Reader(std::string_view in, std::string_view file) : in_(in), file_(file) {}

  bool u32(std::uint32_t& v) {
    if (in_.size() < 4) {
      return false;
    }
    std::memcpy(&v, in_.data(), 4);
    in_.remove_prefix(4);
    return true;
  }
  bool flag(bool& v) {
    if (in_.empty() || static_cast<unsigned char>(in_[0]) > 1) {
      return false;
    }
    v = in_[0] == '\1';
    in_.remove_prefix(1);
    return true;
  }
  bool str(std::string& s) {
    std::uint32_t n = 0;
    if (!u32(n) || in_.size() < n) {
      return false;
    }
    s.assign(in_.data(), n);
    in_.remove_prefix(n);
    return true;
  }
  bool pos(SourcePos& p) {
    std::uint32_t line = 0;
    std::uint32_t column = 0;
    if (!u32(line) || !u32(column) || line > 0x7fffffff || column > 0x7fffffff) {
      return false;
    }
    p = SourcePos{std::string(file_), static_cast<int>(line), static_cast<int>(column)};
    return true;
  }
  bool located(LocatedString& s) { return str(s.value) && pos(s.pos); }
  bool list(LocatedStrings& l) {
    std::uint32_t n = 0;
    if (!u32(n) || n > in_.size()) {  // every item takes bytes: a bound against garbage counts
      return false;
    }
    l.resize(n);
    for (auto& s : l) {
      if (!located(s)) {
        return false;
      }
    }
    return true;
  }
  template <typename T, typename F>
  bool maybe(std::optional<T>& v, F read) {
    bool present = false;
    if (!flag(present)) {
      return false;
    }
    if (!present) {
      v.reset();
      return true;
    }
    v.emplace();
    return read(*v);
  }
  bool done() const { return in_.empty(); }

 private:
  std::string_view in_;
  std::string_view file_;
};

void write_task(Writer& w, const TaskConfig& t) {
  w.pos(t.pos);
  w.maybe(t.run, [&](const LocatedString& s) { w.located(s); });
  for (const auto* l : {&t.deps, &t.outputs, &t.inputs, &t.env}) {
    w.maybe(*l, [&](const LocatedStrings& v) { w.list(v); });
  }
  w.maybe(t.timeout_seconds, [&](int v) { w.u32(static_cast<std::uint32_t>(v)); });
  w.maybe(t.cache, [&](bool v) { w.flag(v); });
  w.flag(t.disabled);
  w.maybe(t.where, [&](const LocatedStrings& v) { w.list(v); });
}

bool read_task(Reader& r, TaskConfig& t) {
  if (!r.pos(t.pos) || !r.maybe(t.run, [&](LocatedString& s) { return r.located(s); })) {
    return false;
  }
  for (auto* l : {&t.deps, &t.outputs, &t.inputs, &t.env}) {
    if (!r.maybe(*l, [&](LocatedStrings& v) { return r.list(v); })) {
      return false;
    }
  }
  return r.maybe(t.timeout_seconds,
                 [&](int& v) {
                   std::uint32_t u = 0;
                   v = r.u32(u) ? static_cast<int>(u) : 0;
                   return v > 0;
                 }) &&
         r.maybe(t.cache, [&](bool& v) { return r.flag(v); }) && r.flag(t.disabled) &&
         r.maybe(t.where, [&](LocatedStrings& v) { return r.list(v); });
}

}  // namespace

std::optional<std::string> encode_service_config(const ServiceConfig& config) {
  Writer w(config.file);
  w.u32(kServiceConfigCodecVersion);
  w.maybe(config.name, [&](const LocatedString& s) { w.located(s); });
  w.list(config.deps);
  w.maybe(config.inputs, [&](const LocatedStrings& v) { w.list(v); });
  w.list(config.env);
  w.u32(static_cast<std::uint32_t>(config.tasks.size()));
  for (const auto& [name, task] : config.tasks) {
    w.str(name);
    write_task(w, task);
  }
  w.maybe(config.image, [&](const ImageConfig& image) {
    w.pos(image.pos);
    w.str(image.dockerfile);
    w.str(image.context);
    w.maybe(image.name, [&](const std::string& s) { w.str(s); });
    w.u32(static_cast<std::uint32_t>(image.build_args.size()));
    for (const auto& [arg, value] : image.build_args) {
      w.str(arg);
      w.str(value);
    }
    w.maybe(image.target, [&](const std::string& s) { w.str(s); });
    for (const auto* list : {&image.platforms, &image.extra_tags}) {
      w.u32(static_cast<std::uint32_t>(list->size()));
      for (const std::string& item : *list) {
        w.str(item);
      }
    }
  });
  w.maybe(config.discover, [&](const LocatedStrings& v) { w.list(v); });
  return w.finish();
}

std::optional<ServiceConfig> decode_service_config(std::string_view bytes, std::string_view file) {
  Reader r(bytes, file);
  ServiceConfig config;
  config.file = std::string(file);
  std::uint32_t version = 0;
  std::uint32_t tasks = 0;
  if (!r.u32(version) || version != kServiceConfigCodecVersion ||
      !r.maybe(config.name, [&](LocatedString& s) { return r.located(s); }) ||
      !r.list(config.deps) ||
      !r.maybe(config.inputs, [&](LocatedStrings& v) { return r.list(v); }) ||
      !r.list(config.env) || !r.u32(tasks) || tasks > bytes.size()) {
    return std::nullopt;
  }
  for (std::uint32_t i = 0; i < tasks; ++i) {
    std::string name;
    TaskConfig task;
    if (!r.str(name) || !read_task(r, task) ||
        !config.tasks.emplace(name, std::move(task)).second) {
      return std::nullopt;
    }
  }
  bool ok = r.maybe(config.image, [&](ImageConfig& image) {
    std::uint32_t args = 0;
    if (!r.pos(image.pos) || !r.str(image.dockerfile) || !r.str(image.context) ||
        !r.maybe(image.name, [&](std::string& s) { return r.str(s); }) || !r.u32(args) ||
        args > bytes.size()) {
      return false;
    }
    for (std::uint32_t i = 0; i < args; ++i) {
      std::string arg;
      std::string value;
      if (!r.str(arg) || !r.str(value)) {
        return false;
      }
      image.build_args[arg] = std::move(value);
    }
    if (!r.maybe(image.target, [&](std::string& s) { return r.str(s); })) {
      return false;
    }
    for (auto* list : {&image.platforms, &image.extra_tags}) {
      std::uint32_t n = 0;
      if (!r.u32(n) || n > bytes.size()) {
        return false;
      }
      list->resize(n);
      for (std::string& item : *list) {
        if (!r.str(item)) {
          return false;
        }
      }
    }
    return true;
  });
  ok = ok && r.maybe(config.discover, [&](LocatedStrings& v) { return r.list(v); });
  if (!ok || !r.done()) {
    return std::nullopt;
  }
  return config;
}

}  // namespace ripple::graph
