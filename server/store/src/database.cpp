#include "neuvo/store/database.hpp"

#include "migrations.hpp"
#include "statement.hpp"
#include "statement_cache.hpp"

#include <sqlite3.h>

namespace neuvo::store {
namespace {

// How long a statement waits for another connection's write lock (an admin command running
// beside the server) before it fails with "database is locked".
constexpr int busy_timeout_ms = 5000;

void enable_write_ahead_log(sqlite3* db) {
    // Readers and the writer stop blocking each other, and a commit needs one sync, not two.
    Statement pragma(db, "PRAGMA journal_mode = WAL");
    pragma.step();
    const std::string mode = pragma.column_text(0);
    if (mode != "wal") {
        throw StoreError("write-ahead logging is not available (journal mode stays " + mode + ")");
    }
}

void configure(sqlite3* db) {
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, busy_timeout_ms);
    enable_write_ahead_log(db);
    // FULL: a commit is synced to disk before it is acknowledged, so an advisor told "saved"
    // keeps the register row through a power cut too. The batch writer pays one sync per batch.
    execute(db, "PRAGMA synchronous = FULL");
    // Off by default in SQLite, per connection: without it REFERENCES clauses are decoration.
    execute(db, "PRAGMA foreign_keys = ON");
    // Deleted rows are overwritten with zeros rather than left in free pages: a conversation's
    // messages, kept while it is open, must not stay readable in the file once it has ended.
    execute(db, "PRAGMA secure_delete = ON");
    // Every open conversation appends to its own end of open_events, so the pages a busy server
    // touches are about one leaf per open conversation. SQLite's default cache (2 MiB) holds a few
    // hundred: past that each message would re-read its page and spill dirty ones into the log
    // mid-transaction. 64 MiB is a ceiling, taken only as pages are used.
    execute(db, "PRAGMA cache_size = -65536");
    migrate(db);
}

} // namespace

Database::Database(const std::string& path) {
    if (path.empty()) {
        throw StoreError("database path is empty");
    }
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
        const std::string reason = db_ != nullptr ? sqlite3_errmsg(db_) : "out of memory";
        sqlite3_close_v2(db_);
        throw StoreError("cannot open database " + path + ": " + reason);
    }
    try {
        configure(db_);
    } catch (const StoreError& error) {
        // SQLite opens lazily, so an unusable path often shows up only here.
        sqlite3_close_v2(db_);
        throw StoreError("cannot open database " + path + ": " + error.what());
    }
    statements_ = std::make_unique<StatementCache>(db_);
}

Database::~Database() {
    statements_.reset(); // finalized first: a connection closes only once its statements are gone
    sqlite3_close_v2(db_);
}

int Database::schema_version() const {
    Statement query(db_, "PRAGMA user_version");
    query.step();
    return static_cast<int>(query.column_int(0));
}

void Database::begin() {
    statements_->get("BEGIN IMMEDIATE")->run();
}

void Database::commit() {
    statements_->get("COMMIT")->run();
}

void Database::rollback() {
    rollback_quietly(db_);
}

bool Database::in_transaction() const {
    return sqlite3_get_autocommit(db_) == 0;
}

Database::Savepoint::Savepoint(Database& database) : database_(database) {
    database_.statements_->get("SAVEPOINT step")->run();
}

Database::Savepoint::~Savepoint() {
    // Some failures (disk full, I/O error) make SQLite drop the whole transaction by itself;
    // then there is nothing left to undo here.
    if (open_ && database_.in_transaction()) {
        sqlite3_exec(database_.db_, "ROLLBACK TO step; RELEASE step", nullptr, nullptr, nullptr);
    }
}

void Database::Savepoint::release() {
    database_.statements_->get("RELEASE step")->run();
    open_ = false;
}

} // namespace neuvo::store
