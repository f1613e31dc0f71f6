#include "neuvo/store/database.hpp"

#include <catch2/catch.hpp>

using namespace neuvo::store;

TEST_CASE("passwords are hashed with argon2id at OWASP strength", "[store][password]") {
    const std::string hash = hash_password("correct horse battery");
    CHECK_THAT(hash, Catch::StartsWith("$argon2id$v=19$m=19456,t=2,p=1$"));
    CHECK(hash.find("correct horse battery") == std::string::npos);
    CHECK(verify_password(hash, "correct horse battery"));
    CHECK_FALSE(verify_password(hash, "correct horse batterY"));
    CHECK_FALSE(verify_password(hash, ""));
}

TEST_CASE("each hash has its own salt", "[store][password]") {
    const std::string first = hash_password("same password");
    const std::string second = hash_password("same password");
    CHECK(first != second);
    CHECK(verify_password(first, "same password"));
    CHECK(verify_password(second, "same password"));
}

TEST_CASE("a malformed hash verifies nothing", "[store][password]") {
    CHECK_FALSE(verify_password("", ""));
    CHECK_FALSE(verify_password("not a hash", "not a hash"));
    CHECK_FALSE(verify_password("$argon2id$v=19$m=19456,t=2,p=1$", "x"));
}
