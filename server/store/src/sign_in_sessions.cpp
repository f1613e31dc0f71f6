#include "neuvo/store/database.hpp"

#include "advisor_row.hpp"
#include "neuvo/store/token_digest.hpp"
#include "session_token.hpp"
#include "statement.hpp"
#include "statement_cache.hpp"

#include <sqlite3.h>

#include <cstdint>

namespace neuvo::store {
namespace {

std::int64_t unix_seconds(core::TimePoint time) {
    return std::chrono::floor<std::chrono::seconds>(time).time_since_epoch().count();
}

} // namespace

std::string Database::create_session(std::int64_t advisor_id, core::TimePoint now,
                                     std::chrono::seconds lifetime) {
    if (lifetime <= std::chrono::seconds::zero()) {
        throw StoreError("session lifetime must be positive");
    }
    std::string token = new_session_token();
    Savepoint step(*this);
    // Sweeping here keeps the table small without a timer of its own.
    Statement sweep(db_, "DELETE FROM sessions WHERE expires_at <= ?1");
    sweep.bind(1, unix_seconds(now));
    sweep.run();

    Statement insert(db_, "INSERT INTO sessions (token_hash, advisor_id, created_at, expires_at, "
                          "last_used_at) VALUES (?1, ?2, ?3, ?4, ?3)");
    insert.bind(1, token_digest(token))
        .bind(2, advisor_id)
        .bind(3, unix_seconds(now))
        .bind(4, unix_seconds(now) + static_cast<std::int64_t>(lifetime.count()));
    try {
        insert.run();
    } catch (const SqliteError& error) {
        if (error.code() == SQLITE_CONSTRAINT_FOREIGNKEY) {
            throw StoreError("no advisor with id " + std::to_string(advisor_id));
        }
        throw;
    }
    step.release();
    return token;
}

std::optional<AdvisorAccount> Database::find_session(const std::string& token, core::TimePoint now,
                                                     std::optional<std::chrono::seconds> idle) {
    // Without an idle limit every last use is recent enough.
    const std::int64_t used_after =
        idle ? unix_seconds(now) - static_cast<std::int64_t>(idle->count()) : INT64_MIN;
    std::optional<AdvisorAccount> account;
    {
        Statement query(db_, "SELECT " + std::string(advisor_columns) +
                                 " FROM sessions s JOIN advisors a ON a.id = s.advisor_id"
                                 " WHERE s.token_hash = ?1 AND s.expires_at > ?2"
                                 " AND s.last_used_at > ?3 AND a.disabled = 0");
        query.bind(1, token_digest(token)).bind(2, unix_seconds(now)).bind(3, used_after);
        if (!query.step()) {
            return std::nullopt;
        }
        account = read_advisor(query);
    }
    touch_session(token, now);
    return account;
}

void Database::touch_session(const std::string& token, core::TimePoint now) {
    // Only forward: a late refresh must not make a session look older than it is.
    auto touch = statements_->get("UPDATE sessions SET last_used_at = ?2 "
                                  "WHERE token_hash = ?1 AND last_used_at < ?2");
    touch->bind(1, token_digest(token)).bind(2, unix_seconds(now));
    touch->run();
}

void Database::delete_session(const std::string& token) {
    Statement remove(db_, "DELETE FROM sessions WHERE token_hash = ?1");
    remove.bind(1, token_digest(token));
    remove.run();
}

} // namespace neuvo::store
