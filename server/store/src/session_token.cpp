#include "session_token.hpp"

#include "neuvo/store/database.hpp"
#include "neuvo/store/token_digest.hpp"
#include "sodium_ready.hpp"

#include <openssl/evp.h>
#include <sodium.h>

#include <array>

namespace neuvo::store {
namespace {

std::string to_hex(const unsigned char* bytes, std::size_t size) {
    std::string hex(size * 2 + 1, '\0'); // sodium_bin2hex writes a terminating NUL
    sodium_bin2hex(hex.data(), hex.size(), bytes, size);
    hex.pop_back();
    return hex;
}

} // namespace

std::string new_session_token() {
    make_sodium_ready();
    std::array<unsigned char, 32> bytes{};
    randombytes_buf(bytes.data(), bytes.size());
    return to_hex(bytes.data(), bytes.size());
}

std::string token_digest(std::string_view token) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int digest_size = 0;
    if (EVP_Digest(token.data(), token.size(), digest.data(), &digest_size, EVP_sha256(),
                   nullptr) != 1) {
        throw StoreError("SHA-256 of a token failed");
    }
    return to_hex(digest.data(), digest_size);
}

} // namespace neuvo::store
