#include "cache/digest.h"

#include <openssl/evp.h>
#include <xxhash.h>

#include <cstring>

#include "graph/support/hex.h"

namespace ripple::cache {
namespace {

Digest128 to_digest(XXH128_hash_t h) {
  Digest128 d;
  XXH128_canonical_t canonical;
  XXH128_canonicalFromHash(&canonical, h);
  std::memcpy(d.bytes.data(), canonical.digest, d.bytes.size());
  return d;
}

}  // namespace

std::string Digest128::hex() const { return to_hex(bytes.data(), bytes.size()); }

Sha256Stream::Sha256Stream() : context_(EVP_MD_CTX_new()) {
  EVP_DigestInit_ex(static_cast<EVP_MD_CTX*>(context_), EVP_sha256(), nullptr);
}

Sha256Stream::~Sha256Stream() { EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(context_)); }

void Sha256Stream::update(std::string_view bytes) {
  EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(context_), bytes.data(), bytes.size());
}

std::string Sha256Stream::finish_hex() {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_DigestFinal_ex(static_cast<EVP_MD_CTX*>(context_), md, &n);
  return to_hex(md, n);
}

std::string sha256_hex(std::string_view bytes) {
  Sha256Stream stream;
  stream.update(bytes);
  return stream.finish_hex();
}

Digest128 xxh3_128(std::string_view bytes) {
  return to_digest(XXH3_128bits(bytes.data(), bytes.size()));
}

Xxh3Stream::Xxh3Stream() : state_(XXH3_createState()) {
  XXH3_128bits_reset(static_cast<XXH3_state_t*>(state_));
}
Xxh3Stream::~Xxh3Stream() { XXH3_freeState(static_cast<XXH3_state_t*>(state_)); }
void Xxh3Stream::update(const void* data, std::size_t size) {
  XXH3_128bits_update(static_cast<XXH3_state_t*>(state_), data, size);
}
Digest128 Xxh3Stream::finish() const {
  return to_digest(XXH3_128bits_digest(static_cast<XXH3_state_t*>(state_)));
}

// Fields are small (a tag, a length, a path) and many: they are gathered here and handed to
// xxh3 in larger pieces, which it takes faster than one call per few bytes. The digest of a
// stream does not depend on how it was cut.
struct DigestBuilder::State {
  XXH3_state_t* xxh = nullptr;
  std::size_t used = 0;
  unsigned char buf[1024];

  void flush() {
    if (used > 0) {
      XXH3_128bits_update(xxh, buf, used);
      used = 0;
    }
  }
};

DigestBuilder::DigestBuilder() : state_(std::make_unique<State>()) {
  state_->xxh = XXH3_createState();
  XXH3_128bits_reset(state_->xxh);
}

DigestBuilder::~DigestBuilder() { XXH3_freeState(state_->xxh); }

void DigestBuilder::update(const void* data, std::size_t size) {
  State& st = *state_;
  if (size > sizeof st.buf - st.used) {
    st.flush();
    if (size >= sizeof st.buf) {
      XXH3_128bits_update(st.xxh, data, size);
      return;
    }
  }
  std::memcpy(st.buf + st.used, data, size);
  st.used += size;
}

DigestBuilder& DigestBuilder::field(char tag, std::string_view value) {
  std::uint8_t header[9];
  header[0] = static_cast<std::uint8_t>(tag);
  std::uint64_t length = value.size();
  for (int i = 0; i < 8; ++i) {
    header[1 + i] = static_cast<std::uint8_t>(length >> (8 * i));  // little-endian, fixed width
  }
  update(header, sizeof header);
  update(value.data(), value.size());
  return *this;
}

DigestBuilder& DigestBuilder::field(char tag, std::uint64_t value) {
  char bytes[8];
  for (int i = 0; i < 8; ++i) {
    bytes[i] = static_cast<char>(value >> (8 * i));
  }
  return field(tag, std::string_view(bytes, sizeof bytes));
}

Digest128 DigestBuilder::finish() const {
  state_->flush();
  return to_digest(XXH3_128bits_digest(state_->xxh));
}

}  // namespace ripple::cache
