#include "test_database.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

using namespace neuvo;
using namespace neuvo::store;
using namespace neuvo::store::testing;

namespace {

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
        CHECK(database.schema_version() == 1);
    }
    CHECK(std::filesystem::exists(scratch.database_path()));

    RawConnection raw(scratch.database_path());
    CHECK(raw.value("PRAGMA user_version") == "1");
    CHECK(raw.column("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name") ==
          std::vector<std::string>{"advisors", "sessions", "visits"});
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
    CHECK(reopened.schema_version() == 1);
    const auto advisor = reopened.find_advisor("aino");
    REQUIRE(advisor.has_value());
    CHECK(advisor->id == id);
    REQUIRE(reopened.visits().size() == 1);
    CHECK(reopened.visits()[0].at("language") == "so");
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
