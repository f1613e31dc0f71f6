#pragma once

#include <string>

namespace neuvo::store {

// A new sign-in token: 32 random bytes from libsodium, as 64 lowercase hex digits.
std::string new_session_token();

} // namespace neuvo::store
