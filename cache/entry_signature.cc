#include "cache/entry_signature.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace ripple::cache {
namespace {

// Field 1000, wire type 2 (length-delimited), as a varint (0xC2 0x3E), then the length 32.
constexpr std::string_view kTrailer("\xC2\x3E\x20", 3);
constexpr std::size_t kMacBytes = 32;

std::string mac_of(std::string_view key, std::string_view entry, std::string_view secret) {
  std::string message;
  message.reserve(key.size() + entry.size());
  message.append(key).append(entry);
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), out, &length);
  return std::string(reinterpret_cast<const char*>(out), length);
}

}  // namespace

std::string sign_entry(std::string_view key, std::string_view entry, std::string_view secret) {
  std::string out(entry);
  out.append(kTrailer).append(mac_of(key, entry, secret));
  return out;
}

Result<std::string_view> verify_entry(std::string_view key, std::string_view signed_entry,
                                      std::string_view secret) {
  const std::size_t tail = kTrailer.size() + kMacBytes;
  if (signed_entry.size() < tail ||
      signed_entry.substr(signed_entry.size() - tail, kTrailer.size()) != kTrailer) {
    return input_error("its entry for " + std::string(key) + " is not signed");
  }
  const std::string_view entry = signed_entry.substr(0, signed_entry.size() - tail);
  const std::string want = mac_of(key, entry, secret);
  if (CRYPTO_memcmp(want.data(), signed_entry.data() + signed_entry.size() - kMacBytes,
                    kMacBytes) != 0) {
    return input_error("its entry for " + std::string(key) +
                       " is signed with another key, or was changed");
  }
  return entry;
}

}  // namespace ripple::cache
