#include "rules/inferred_codec.h"

#include <cstdint>
#include <cstring>

namespace ripple::rules {
namespace {

constexpr std::string_view kTag = "inferred-2";

void put_u32(std::string& out, std::uint32_t v) {
  char bytes[4];
  std::memcpy(bytes, &v, 4);
  out.append(bytes, 4);
}

void put_string(std::string& out, std::string_view s) {
  put_u32(out, static_cast<std::uint32_t>(s.size()));
  out.append(s);
}

void put_provenance(std::string& out, const Provenance& p) {
  put_u32(out, static_cast<std::uint32_t>(p.pos.line));
  put_u32(out, static_cast<std::uint32_t>(p.pos.column));
  put_string(out, p.rule);
}

class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}
  bool ok() const { return ok_; }
  bool done() const { return at_ == bytes_.size(); }

  std::uint32_t u32() {
    if (!ok_ || bytes_.size() - at_ < 4) {
      ok_ = false;
      return 0;
    }
    std::uint32_t v;
    std::memcpy(&v, bytes_.data() + at_, 4);
    at_ += 4;
    return v;
  }
  std::string string() {
    const std::uint32_t n = u32();
    if (!ok_ || bytes_.size() - at_ < n) {
      ok_ = false;
      return {};
    }
    std::string s(bytes_.substr(at_, n));
    at_ += n;
    return s;
  }
  Provenance provenance(const std::string& file) {
    Provenance p;
    p.pos.file = file;
    p.pos.line = static_cast<int>(u32());
    p.pos.column = static_cast<int>(u32());
    p.rule = string();
    return p;
  }

 private:
  std::string_view bytes_;
  std::size_t at_ = 0;
  bool ok_ = true;
};

}  // namespace

std::string encode_inferred(const std::optional<InferredService>& found) {
  std::string out(kTag);
  put_u32(out, found ? 1 : 0);
  if (!found) {
    return out;
  }
  put_string(out, found->name);
  put_provenance(out, found->from);
  put_u32(out, static_cast<std::uint32_t>(found->edges.size()));
  for (const InferredEdge& e : found->edges) {
    put_string(out, e.target);
    put_provenance(out, e.from);
  }
  put_u32(out, static_cast<std::uint32_t>(found->inputs.size()));
  for (const auto& input : found->inputs) {
    put_string(out, input.value);
    put_u32(out, static_cast<std::uint32_t>(input.pos.line));
    put_u32(out, static_cast<std::uint32_t>(input.pos.column));
  }
  return out;
}

std::optional<std::optional<InferredService>> decode_inferred(std::string_view bytes,
                                                              const std::string& file,
                                                              const RepoPath& dir) {
  if (!bytes.starts_with(kTag)) {
    return std::nullopt;
  }
  Reader in(bytes.substr(kTag.size()));
  const std::uint32_t present = in.u32();
  if (in.ok() && present == 0 && in.done()) {
    return std::optional<InferredService>();
  }
  InferredService s;
  s.dir = dir;
  s.name = in.string();
  s.from = in.provenance(file);
  const std::uint32_t edges = in.u32();
  for (std::uint32_t i = 0; in.ok() && i < edges; ++i) {
    InferredEdge e;
    e.target = in.string();
    e.from = in.provenance(file);
    s.edges.push_back(std::move(e));
  }
  const std::uint32_t inputs = in.u32();
  for (std::uint32_t i = 0; in.ok() && i < inputs; ++i) {
    Located<std::string> input;
    input.value = in.string();
    input.pos.file = file;
    input.pos.line = static_cast<int>(in.u32());
    input.pos.column = static_cast<int>(in.u32());
    s.inputs.push_back(std::move(input));
  }
  if (!in.ok() || !in.done() || present != 1) {
    return std::nullopt;
  }
  return std::optional<InferredService>(std::move(s));
}

}  // namespace ripple::rules
