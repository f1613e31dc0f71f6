#include "statement_cache.hpp"
#include "test_database.hpp"

#include <catch2/catch.hpp>
#include <sqlite3.h>

using namespace neuvo::store;
using namespace neuvo::store::testing;

namespace {

// A connection of the test's own, on a real file, with one small table.
struct Connection {
    explicit Connection(const ScratchDirectory& directory) {
        REQUIRE(sqlite3_open(directory.database_path().c_str(), &db) == SQLITE_OK);
        execute(db, "PRAGMA journal_mode = WAL; CREATE TABLE words (word TEXT PRIMARY KEY)");
    }
    ~Connection() { sqlite3_close_v2(db); }
    sqlite3* db = nullptr;
};

constexpr const char* insert_word = "INSERT INTO words (word) VALUES (?1)";
constexpr const char* first_word = "SELECT word FROM words ORDER BY word";

} // namespace

TEST_CASE("a statement is prepared once and each use starts unbound", "[store][statements]") {
    ScratchDirectory directory;
    Connection connection(directory);
    StatementCache cache(connection.db);

    Statement* first = nullptr;
    {
        auto echo = cache.get("SELECT ?1");
        first = &*echo;
        echo->bind(1, "kept from the last use?");
        REQUIRE(echo->step());
        CHECK(echo->column_text(0) == "kept from the last use?");
    }
    auto echo = cache.get("SELECT ?1");
    CHECK(&*echo == first);
    REQUIRE(echo->step());
    CHECK(echo->column_is_null(0)); // the earlier binding went with the earlier use
}

TEST_CASE("a use that threw leaves its statement ready for the next one", "[store][statements]") {
    ScratchDirectory directory;
    Connection connection(directory);
    StatementCache cache(connection.db);

    cache.get(insert_word)->bind(1, "kela").run();
    try {
        auto insert = cache.get(insert_word);
        insert->bind(1, "kela");
        insert->run();
        FAIL("a duplicate key went in");
    } catch (const SqliteError& error) {
        CHECK(error.code() == SQLITE_CONSTRAINT_PRIMARYKEY);
    }
    cache.get(insert_word)->bind(1, "te-palvelut").run();

    // A read left half-way is reset with its use: it holds no read lock, so a checkpoint that
    // must truncate the log succeeds (it reports busy while any reader is still in the log).
    {
        auto words = cache.get(first_word);
        REQUIRE(words->step());
        CHECK(words->column_text(0) == "kela");
    }
    int log_frames = -1;
    int checkpointed = -1;
    CHECK(sqlite3_wal_checkpoint_v2(connection.db, nullptr, SQLITE_CHECKPOINT_TRUNCATE, &log_frames,
                                    &checkpointed) == SQLITE_OK);

    RawConnection outsider(directory.database_path());
    CHECK(outsider.column("SELECT word FROM words ORDER BY word") ==
          std::vector<std::string>{"kela", "te-palvelut"});
}

TEST_CASE("the same statement used inside its own open use gets one of its own",
          "[store][statements]") {
    ScratchDirectory directory;
    Connection connection(directory);
    StatementCache cache(connection.db);
    cache.get(insert_word)->bind(1, "kela").run();
    cache.get(insert_word)->bind(1, "verotoimisto").run();

    std::vector<std::string> pairs;
    auto outer = cache.get(first_word);
    while (outer->step()) {
        auto inner = cache.get(first_word);
        CHECK(&*inner != &*outer);
        while (inner->step())
            pairs.push_back(outer->column_text(0) + "+" + inner->column_text(0));
    }
    CHECK(pairs == std::vector<std::string>{"kela+kela", "kela+verotoimisto", "verotoimisto+kela",
                                            "verotoimisto+verotoimisto"});
}

TEST_CASE("SQL that does not prepare throws and leaves the cache as it was",
          "[store][statements]") {
    ScratchDirectory directory;
    Connection connection(directory);
    StatementCache cache(connection.db);

    CHECK_THROWS_WITH(cache.get("INSERT INTO nowhere VALUES (1)"),
                      Catch::Contains("cannot prepare") && Catch::Contains("no such table"));
    // Asked again, it is prepared again (and fails again) rather than found half-made.
    CHECK_THROWS_AS(cache.get("INSERT INTO nowhere VALUES (1)"), SqliteError);
    cache.get(insert_word)->bind(1, "kela").run();
    RawConnection outsider(directory.database_path());
    CHECK(outsider.value("SELECT count(*) FROM words") == "1");
}
