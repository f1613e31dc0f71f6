#pragma once

#include <string>
#include <string_view>

namespace neuvo::store {

// What is kept in place of a secret token (an advisor's sign-in cookie, a client's resume
// token): its SHA-256, as 64 lowercase hex digits. The tokens carry 128 or more random bits, so
// a plain (unsalted, fast) hash is enough to make a copy of the database useless for taking a
// session or a conversation over.
std::string token_digest(std::string_view token);

} // namespace neuvo::store
