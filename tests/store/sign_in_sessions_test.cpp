#include "test_database.hpp"

#include "neuvo/store/token_digest.hpp"

#include <catch2/catch.hpp>
#include <openssl/evp.h>

#include <algorithm>
#include <cstdio>

using namespace neuvo;
using namespace neuvo::store;
using namespace neuvo::store::testing;
using namespace std::chrono_literals;

namespace {

const core::TimePoint noon = std::chrono::sys_days{std::chrono::year{2026} / 11 / 25} + 12h;

std::string sha256_hex(const std::string& text) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    REQUIRE(EVP_Digest(text.data(), text.size(), digest, &size, EVP_sha256(), nullptr) == 1);
    std::string hex;
    char pair[3];
    for (unsigned int i = 0; i < size; ++i) {
        std::snprintf(pair, sizeof pair, "%02x", digest[i]);
        hex += pair;
    }
    return hex;
}

bool is_lowercase_hex(const std::string& text) {
    return std::all_of(text.begin(), text.end(),
                       [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

} // namespace

TEST_CASE("a session is found until it expires", "[store][sessions]") {
    ScratchDirectory scratch;
    Database database(scratch.database_path());
    const auto id = database.add_advisor(sample_advisor("aino"));

    const std::string token = database.create_session(id, noon, 1h);
    CHECK(token.size() == 64);
    CHECK(is_lowercase_hex(token));

    const auto found = database.find_session(token, noon + 1s);
    REQUIRE(found.has_value());
    CHECK(found->id == id);
    CHECK(found->login == "aino");
    CHECK(found->languages == std::vector<std::string>{"fi", "sv", "ru"});

    CHECK(database.find_session(token, noon + 1h - 1s).has_value());
    CHECK_FALSE(database.find_session(token, noon + 1h).has_value());
    CHECK_FALSE(database.find_session(token, noon + 2h).has_value());
}

TEST_CASE("unknown and deleted tokens open nothing", "[store][sessions]") {
    ScratchDirectory scratch;
    Database database(scratch.database_path());
    const auto id = database.add_advisor(sample_advisor("aino"));
    const std::string token = database.create_session(id, noon, 1h);
    const std::string other = database.create_session(id, noon, 1h);
    CHECK(token != other);

    CHECK_FALSE(database.find_session("", noon).has_value());
    CHECK_FALSE(database.find_session(std::string(64, '0'), noon).has_value());
    CHECK_FALSE(database.find_session(sha256_hex(token), noon).has_value()); // the stored value

    database.delete_session(token);
    CHECK_FALSE(database.find_session(token, noon).has_value());
    CHECK(database.find_session(other, noon).has_value()); // only that one session ended
}

TEST_CASE("disabling an advisor ends their sessions for good", "[store][sessions]") {
    ScratchDirectory scratch;
    Database database(scratch.database_path());
    const auto id = database.add_advisor(sample_advisor("aino"));
    const std::string token = database.create_session(id, noon, 1h);

    REQUIRE(database.set_advisor_disabled("aino", true));
    CHECK_FALSE(database.find_session(token, noon).has_value());
    REQUIRE(database.set_advisor_disabled("aino", false));
    CHECK_FALSE(database.find_session(token, noon).has_value());
}

TEST_CASE("a session of a disabled advisor is not found", "[store][sessions]") {
    ScratchDirectory scratch;
    Database database(scratch.database_path());
    const auto id = database.add_advisor(sample_advisor("aino"));
    const std::string token = database.create_session(id, noon, 1h);
    // Behind the store's back, so that only the check at lookup stands in the way.
    RawConnection(scratch.database_path()).execute("UPDATE advisors SET disabled = 1");
    CHECK_FALSE(database.find_session(token, noon).has_value());
}

TEST_CASE("only the SHA-256 of a token is stored", "[store][sessions]") {
    ScratchDirectory scratch;
    Database database(scratch.database_path());
    const auto id = database.add_advisor(sample_advisor("aino"));
    const std::string token = database.create_session(id, noon, 1h);

    RawConnection raw(scratch.database_path());
    CHECK(raw.column("SELECT token_hash FROM sessions") ==
          std::vector<std::string>{sha256_hex(token)});
    CHECK(raw.value("SELECT expires_at - created_at FROM sessions") == "3600");

    const std::string bytes = database_bytes(scratch.database_path());
    CHECK(bytes.find(sha256_hex(token)) != std::string::npos); // the search sees the table
    CHECK(bytes.find(token) == std::string::npos);
}

TEST_CASE("a token's digest is its SHA-256 in lowercase hex, as the hub keeps resume tokens",
          "[store][sessions]") {
    // FIPS 180-2's example, so the digest does not depend on this file's own helper.
    CHECK(token_digest("abc") ==
          "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(token_digest("") == sha256_hex(""));
    CHECK(token_digest("0123456789abcdef0123456789abcdef") ==
          sha256_hex("0123456789abcdef0123456789abcdef"));
}

TEST_CASE("expired sessions are swept when a new one is created", "[store][sessions]") {
    ScratchDirectory scratch;
    Database database(scratch.database_path());
    const auto id = database.add_advisor(sample_advisor("aino"));
    database.create_session(id, noon, 1h);
    database.create_session(id, noon + 2h, 1h);
    CHECK(RawConnection(scratch.database_path()).value("SELECT count(*) FROM sessions") == "1");
}

TEST_CASE("sessions need a real advisor and a positive lifetime", "[store][sessions]") {
    ScratchDirectory scratch;
    Database database(scratch.database_path());
    CHECK_THROWS_WITH(database.create_session(42, noon, 1h), "no advisor with id 42");
    const auto id = database.add_advisor(sample_advisor("aino"));
    CHECK_THROWS_WITH(database.create_session(id, noon, 0s), "session lifetime must be positive");
}

TEST_CASE("a session unused for the idle limit is over; every use keeps it fresh",
          "[store][sessions]") {
    ScratchDirectory scratch;
    Database database(scratch.database_path());
    const auto id = database.add_advisor(sample_advisor("aino"));
    const std::string token = database.create_session(id, noon, 12h);

    // Each find is a use: used every 119 minutes, the session lives on.
    CHECK(database.find_session(token, noon + 119min, 2h).has_value());
    CHECK(database.find_session(token, noon + 238min, 2h).has_value());
    // A use by an open WebSocket counts the same.
    database.touch_session(token, noon + 357min);
    CHECK(database.find_session(token, noon + 476min, 2h).has_value());
    // Two hours unused: over, also when it is asked without the limit afterwards.
    CHECK_FALSE(database.find_session(token, noon + 476min + 2h, 2h).has_value());
    CHECK(database.find_session(token, noon + 476min + 2h).has_value()); // no idle limit asked
}

TEST_CASE("the idle limit ends a session, the lifetime ends it however busy", "[store][sessions]") {
    ScratchDirectory scratch;
    Database database(scratch.database_path());
    const auto id = database.add_advisor(sample_advisor("aino"));
    const std::string quiet = database.create_session(id, noon, 12h);
    const std::string busy = database.create_session(id, noon, 12h);

    CHECK(database.find_session(quiet, noon + 2h - 1s, 2h).has_value());
    CHECK_FALSE(database.find_session(quiet, noon + 4h - 1s, 2h).has_value());
    // The other session of the same advisor is its own.
    for (auto at = noon + 1h; at < noon + 12h; at += 1h) {
        CHECK(database.find_session(busy, at, 2h).has_value());
    }
    CHECK_FALSE(database.find_session(busy, noon + 12h, 2h).has_value());
}

TEST_CASE("a late refresh never makes a session look older, and an unknown one is nothing",
          "[store][sessions]") {
    ScratchDirectory scratch;
    Database database(scratch.database_path());
    const auto id = database.add_advisor(sample_advisor("aino"));
    const std::string token = database.create_session(id, noon, 12h);
    database.touch_session(token, noon + 90min);
    database.touch_session(token, noon + 10min); // arrives after the later one
    CHECK(database.find_session(token, noon + 90min + 2h - 1s, 2h).has_value());

    database.touch_session(std::string(64, '0'), noon);
    database.delete_session(token);
    database.touch_session(token, noon + 3h);
    CHECK_FALSE(database.find_session(token, noon + 3h, 2h).has_value());
}
