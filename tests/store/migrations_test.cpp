#include "test_database.hpp"

#include <catch2/catch.hpp>
#include <openssl/evp.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

using namespace neuvo;
using namespace neuvo::store;
using namespace neuvo::store::testing;

namespace {

// The schema exactly as migration 1 left it, as a file in the field may still have it.
constexpr const char* schema_version_1 = R"sql(
CREATE TABLE advisors (
    id            INTEGER PRIMARY KEY,
    login         TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    point_id      TEXT NOT NULL,
    languages     TEXT NOT NULL, -- BCP-47 tags separated by single spaces, in the advisor's order
    role          TEXT NOT NULL
                  CHECK (role IN ('advisor', 'supervisor', 'clerk', 'statistician', 'admin')),
    password_hash TEXT NOT NULL, -- argon2id string; the password itself is never stored
    disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at    INTEGER NOT NULL -- Unix seconds
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY, -- SHA-256 of the token, hex: a copied file opens no session
    advisor_id INTEGER NOT NULL REFERENCES advisors (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL, -- Unix seconds
    expires_at INTEGER NOT NULL  -- Unix seconds; the session is over from this second on
) WITHOUT ROWID;

CREATE INDEX sessions_by_advisor ON sessions (advisor_id);

-- The register: one row per contact, codes and numbers only. No names, addresses, message
-- content or free text: the checks refuse anything but short codes, so a bug elsewhere cannot
-- leak a conversation into it.
CREATE TABLE visits (
    id                INTEGER PRIMARY KEY,
    outcome           TEXT NOT NULL
                      CONSTRAINT visit_outcome_known CHECK (outcome IN ('served', 'unserved')),
    point_id          TEXT -- NULL when unserved
                      CONSTRAINT visit_point_is_code
                      CHECK (point_id NOT GLOB '*[^a-z0-9_-]*' AND length(point_id) <= 64),
    advisor_point_id  TEXT -- NULL when unserved
                      CONSTRAINT visit_advisor_point_is_code
                      CHECK (advisor_point_id NOT GLOB '*[^a-z0-9_-]*'
                             AND length(advisor_point_id) <= 64),
    channel           TEXT NOT NULL
                      CONSTRAINT visit_channel_known
                      CHECK (channel IN ('chat', 'kiosk', 'video', 'language-support')),
    language          TEXT NOT NULL
                      CONSTRAINT visit_language_is_tag
                      CHECK (language NOT GLOB '*[^A-Za-z0-9-]*' AND length(language) <= 35),
    home_municipality TEXT NOT NULL
                      CONSTRAINT visit_home_is_code
                      CHECK (home_municipality NOT GLOB '*[^a-z0-9_-]*'
                             AND length(home_municipality) <= 64),
    tier              TEXT -- NULL when unserved
                      CONSTRAINT visit_tier_is_code
                      CHECK (tier NOT GLOB '*[^a-z0-9_-]*' AND length(tier) <= 32),
    started_hour      TEXT NOT NULL -- ISO 8601 UTC hour, e.g. 2026-11-25T14:00Z: no exact times
                      CONSTRAINT visit_started_is_hour
                      CHECK (started_hour GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:00Z'),
    wait_seconds      INTEGER NOT NULL CONSTRAINT visit_wait_not_negative CHECK (wait_seconds >= 0),
    duration_seconds  INTEGER NOT NULL
                      CONSTRAINT visit_duration_not_negative CHECK (duration_seconds >= 0),
    ended_by          TEXT NOT NULL
                      CONSTRAINT visit_ended_by_is_code
                      CHECK (ended_by NOT GLOB '*[^a-z0-9_-]*' AND length(ended_by) <= 32)
);
)sql";

core::VisitRecord unserved_visit(const std::string& language, const std::string& home) {
    core::VisitRecord record;
    record.outcome = "unserved";
    record.language = language;
    record.home_municipality = home;
    record.ended_by = "client_left_queue";
    return record;
}

} // namespace

TEST_CASE("opening a new file creates it and applies every migration", "[store][migrations]") {
    ScratchDirectory scratch;
    REQUIRE_FALSE(std::filesystem::exists(scratch.database_path()));
    {
        Database database(scratch.database_path());
        CHECK(database.schema_version() == latest_schema_version());
    }
    CHECK(std::filesystem::exists(scratch.database_path()));

    RawConnection raw(scratch.database_path());
    CHECK(raw.value("PRAGMA user_version") == std::to_string(latest_schema_version()));
    CHECK(raw.column("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name") ==
          std::vector<std::string>{"advisors", "open_advisors", "open_clients", "open_events",
                                   "open_visits", "sessions", "shared_answers", "visit_referrals",
                                   "visit_topics", "visits"});
}

TEST_CASE("the shared answers came with schema version 2", "[store][migrations]") {
    CHECK(latest_schema_version() >= 2);
}

TEST_CASE("the file is in write-ahead-log mode", "[store][migrations]") {
    ScratchDirectory scratch;
    Database database(scratch.database_path());
    database.insert_visit(unserved_visit("ar", "unknown"));

    // The journal mode is stored in the file, so a second connection sees it.
    RawConnection raw(scratch.database_path());
    CHECK(raw.value("PRAGMA journal_mode") == "wal");
    CHECK(std::filesystem::exists(scratch.database_path() + "-wal"));
}

TEST_CASE("reopening keeps the data and the schema version", "[store][migrations]") {
    ScratchDirectory scratch;
    std::int64_t id = 0;
    {
        Database database(scratch.database_path());
        id = database.add_advisor(sample_advisor("aino"));
        database.insert_visit(unserved_visit("so", "092"));
    }
    Database reopened(scratch.database_path());
    CHECK(reopened.schema_version() == latest_schema_version());
    const auto advisor = reopened.find_advisor("aino");
    REQUIRE(advisor.has_value());
    CHECK(advisor->id == id);
    REQUIRE(reopened.visits().size() == 1);
    CHECK(reopened.visits()[0].at("language") == "so");
}

TEST_CASE("a database at schema version 1 is migrated and keeps its data", "[store][migrations]") {
    ScratchDirectory scratch;
    std::ofstream(scratch.database_path()).close(); // an empty file is an empty database
    {
        RawConnection raw(scratch.database_path());
        raw.execute(schema_version_1);
        raw.execute("PRAGMA user_version = 1");
        raw.execute("INSERT INTO advisors (login, display_name, point_id, languages, role, "
                    "password_hash, created_at) "
                    "VALUES ('aino', 'Aino', '091-virka', 'fi ar', 'advisor', 'x', 0)");
        raw.execute("INSERT INTO visits (outcome, channel, language, home_municipality, "
                    "started_hour, wait_seconds, duration_seconds, ended_by) "
                    "VALUES ('unserved', 'chat', 'so', '092', '2026-11-25T14:00Z', 30, 0, "
                    "'client_left_queue')");
    }

    Database migrated(scratch.database_path());
    CHECK(migrated.schema_version() == latest_schema_version());
    const auto advisor = migrated.find_advisor("aino");
    REQUIRE(advisor.has_value());
    CHECK(advisor->languages == std::vector<std::string>{"fi", "ar"});
    REQUIRE(migrated.visits().size() == 1);
    CHECK(migrated.visits()[0].at("language") == "so");
    CHECK(migrated.list_shared_answers().empty());
    const auto answer = migrated.add_shared_answer(
        {"so", "Kaarka Kela", "Kaarka Kela waxaad ka heli kartaa xafiiska Kela.", ""}, "aino",
        std::chrono::system_clock::now());
    CHECK(migrated.find_shared_answer(answer.id).has_value());
}

namespace {

// What the sessions table keeps of a token: its SHA-256 in lower-case hex.
std::string token_digest(const std::string& token) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    REQUIRE(EVP_Digest(token.data(), token.size(), digest, &size, EVP_sha256(), nullptr) == 1);
    std::string hex;
    char pair[3];
    for (unsigned int i = 0; i < size; ++i) {
        std::snprintf(pair, sizeof pair, "%02x", digest[i]);
        hex += pair;
    }
    return hex;
}

} // namespace

TEST_CASE("sessions opened before the idle limit count as used when they were opened",
          "[store][migrations]") {
    using namespace std::chrono_literals;
    ScratchDirectory scratch;
    std::ofstream(scratch.database_path()).close();
    const auto opened = std::chrono::sys_days{std::chrono::year{2026} / 11 / 25} + 8h;
    const auto opened_at =
        std::chrono::duration_cast<std::chrono::seconds>(opened.time_since_epoch()).count();
    const std::string token(64, 'a');
    {
        RawConnection raw(scratch.database_path());
        raw.execute(schema_version_1);
        raw.execute("PRAGMA user_version = 1");
        raw.execute("INSERT INTO advisors (login, display_name, point_id, languages, role, "
                    "password_hash, created_at) "
                    "VALUES ('aino', 'Aino', '091-virka', 'fi ar', 'advisor', 'x', 0)");
        raw.execute("INSERT INTO sessions (token_hash, advisor_id, created_at, expires_at) VALUES "
                    "('" +
                    token_digest(token) + "', 1, " + std::to_string(opened_at) + ", " +
                    std::to_string(opened_at + 12 * 3600) + ")");
    }
    Database migrated(scratch.database_path());
    CHECK(migrated.find_session(token, opened + 2h - 1s, 2h).has_value());
    CHECK_FALSE(migrated.find_session(token, opened + 6h, 2h).has_value());
}

TEST_CASE("a database from a newer program is refused", "[store][migrations]") {
    ScratchDirectory scratch;
    { Database database(scratch.database_path()); }
    RawConnection(scratch.database_path()).execute("PRAGMA user_version = 99");

    try {
        Database database(scratch.database_path());
        FAIL("opened a database of schema version 99");
    } catch (const StoreError& error) {
        const std::string message = error.what();
        CHECK_THAT(message, Catch::Contains(scratch.database_path()));
        CHECK_THAT(message, Catch::Contains("schema version 99 is newer"));
    }
    // Refusing must not have touched it.
    CHECK(RawConnection(scratch.database_path()).value("PRAGMA user_version") == "99");
}

TEST_CASE("a file that cannot be opened is an error naming the path", "[store][migrations]") {
    ScratchDirectory scratch;
    const std::string path = (scratch.path() / "no-such-directory" / "neuvo.db").string();
    try {
        Database database(path);
        FAIL("opened " + path);
    } catch (const StoreError& error) {
        CHECK_THAT(std::string(error.what()), Catch::StartsWith("cannot open database " + path));
    }
    CHECK_THROWS_AS(Database(""), StoreError);
}
