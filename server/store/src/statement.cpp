#include "statement.hpp"

#include <sqlite3.h>

namespace neuvo::store {

void throw_sqlite_error(sqlite3* db, std::string_view what) {
    throw SqliteError(std::string(what) + ": " + sqlite3_errmsg(db), sqlite3_extended_errcode(db));
}

Statement::Statement(sqlite3* db, std::string_view sql) : db_(db), sql_(sql) {
    if (sqlite3_prepare_v2(db_, sql_.data(), static_cast<int>(sql_.size()), &statement_, nullptr) !=
        SQLITE_OK) {
        throw_sqlite_error(db_, "cannot prepare `" + sql_ + "`");
    }
}

Statement::~Statement() {
    sqlite3_finalize(statement_);
}

Statement& Statement::bind(int index, std::string_view text) {
    // SQLITE_TRANSIENT: SQLite copies the text, so the caller's buffer may go away before step().
    if (sqlite3_bind_text(statement_, index, text.data(), static_cast<int>(text.size()),
                          SQLITE_TRANSIENT) != SQLITE_OK) {
        throw_sqlite_error(db_, "cannot bind parameter of `" + sql_ + "`");
    }
    return *this;
}

Statement& Statement::bind(int index, std::int64_t value) {
    if (sqlite3_bind_int64(statement_, index, value) != SQLITE_OK) {
        throw_sqlite_error(db_, "cannot bind parameter of `" + sql_ + "`");
    }
    return *this;
}

Statement& Statement::bind_null(int index) {
    if (sqlite3_bind_null(statement_, index) != SQLITE_OK) {
        throw_sqlite_error(db_, "cannot bind parameter of `" + sql_ + "`");
    }
    return *this;
}

Statement& Statement::bind_or_null(int index, std::string_view text) {
    return text.empty() ? bind_null(index) : bind(index, text);
}

bool Statement::step() {
    switch (sqlite3_step(statement_)) {
    case SQLITE_ROW:
        return true;
    case SQLITE_DONE:
        return false;
    default:
        throw_sqlite_error(db_, "cannot run `" + sql_ + "`");
    }
}

void Statement::run() {
    while (step()) {
    }
}

void Statement::reset() noexcept {
    // sqlite3_reset repeats the last step's error, which its caller has already had.
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
}

int Statement::column_count() const {
    return sqlite3_column_count(statement_);
}

std::string Statement::column_name(int column) const {
    return sqlite3_column_name(statement_, column);
}

bool Statement::column_is_null(int column) const {
    return sqlite3_column_type(statement_, column) == SQLITE_NULL;
}

std::string Statement::column_text(int column) const {
    const auto* text = sqlite3_column_text(statement_, column);
    if (text == nullptr) {
        return {};
    }
    // The byte count is asked after the text so that it refers to the same conversion.
    return std::string(reinterpret_cast<const char*>(text),
                       static_cast<std::size_t>(sqlite3_column_bytes(statement_, column)));
}

std::int64_t Statement::column_int(int column) const {
    return sqlite3_column_int64(statement_, column);
}

void execute(sqlite3* db, std::string_view sql) {
    const std::string text(sql);
    char* message = nullptr;
    if (sqlite3_exec(db, text.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
        const int code = sqlite3_extended_errcode(db);
        std::string explanation = message != nullptr ? message : sqlite3_errmsg(db);
        sqlite3_free(message);
        throw SqliteError("cannot run `" + text + "`: " + explanation, code);
    }
}

void rollback_quietly(sqlite3* db) noexcept {
    if (sqlite3_get_autocommit(db) == 0) {
        sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    }
}

} // namespace neuvo::store
