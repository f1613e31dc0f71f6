#pragma once

#include "neuvo/store/database.hpp"

#include <cstdint>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace neuvo::store {

// A failed SQLite call. Carries SQLite's extended result code so that a caller can turn a known
// case (a UNIQUE violation, say) into a message for people.
class SqliteError : public StoreError {
public:
    SqliteError(const std::string& message, int code) : StoreError(message), code_(code) {}
    int code() const { return code_; }

private:
    int code_;
};

// Throws SqliteError with `what` and SQLite's own explanation of the last failure on `db`.
[[noreturn]] void throw_sqlite_error(sqlite3* db, std::string_view what);

// One prepared statement. Values are always bound, never spliced into the SQL text, so nothing a
// person typed can change what a statement does.
class Statement {
public:
    Statement(sqlite3* db, std::string_view sql);
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    // Parameters are numbered from 1, as in SQL's `?1`.
    Statement& bind(int index, std::string_view text);
    Statement& bind(int index, std::int64_t value);
    Statement& bind_null(int index);
    // Empty text becomes NULL: for columns where "not applicable" is stored as NULL.
    Statement& bind_or_null(int index, std::string_view text);

    // True while a result row is ready to be read; false once the statement has finished.
    bool step();
    // For statements that return no rows.
    void run();
    // Back to before the first step, with every parameter unbound: ready to be used again.
    void reset() noexcept;

    int column_count() const;
    std::string column_name(int column) const;
    bool column_is_null(int column) const;
    std::string column_text(int column) const; // NULL reads as ""
    std::int64_t column_int(int column) const;

private:
    sqlite3* db_;
    sqlite3_stmt* statement_ = nullptr;
    std::string sql_;
};

// For fixed SQL without parameters (transaction control, pragmas, schema steps); the text may
// hold several statements.
void execute(sqlite3* db, std::string_view sql);

// Ends the open transaction, if any, without throwing: for cleanup paths, where the error that
// led there is the one worth reporting.
void rollback_quietly(sqlite3* db) noexcept;

} // namespace neuvo::store
