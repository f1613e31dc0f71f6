#include "neuvo/store/database.hpp"

#include "sodium_ready.hpp"

#include <sodium.h>

namespace neuvo::store {
namespace {

// OWASP's minimum for argon2id: 19 MiB of memory, 2 passes, 1 lane (libsodium always uses 1).
constexpr unsigned long long hash_passes = 2;
constexpr std::size_t hash_memory_bytes = 19456 * 1024;

} // namespace

std::string hash_password(const std::string& password) {
    make_sodium_ready();
    char hash[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(hash, password.data(), password.size(), hash_passes,
                              hash_memory_bytes, crypto_pwhash_ALG_ARGON2ID13) != 0) {
        // The only documented cause; the password itself must never appear in an error.
        throw StoreError("password hashing failed: out of memory");
    }
    return hash;
}

bool verify_password(const std::string& hash, const std::string& password) {
    make_sodium_ready();
    // The hash string carries its own algorithm and parameters, so older hashes keep verifying
    // after the parameters are raised.
    return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

} // namespace neuvo::store
