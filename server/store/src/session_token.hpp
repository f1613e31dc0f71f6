#pragma once

#include <string>
#include <string_view>

namespace neuvo::store {

// A new sign-in token: 32 random bytes from libsodium, as 64 lowercase hex digits.
std::string new_session_token();

// What is stored in place of a token: its SHA-256, as 64 lowercase hex digits. A token has 256
// bits of entropy, so a plain (unsalted, fast) hash is enough to make a stolen file useless.
std::string session_token_digest(std::string_view token);

} // namespace neuvo::store
