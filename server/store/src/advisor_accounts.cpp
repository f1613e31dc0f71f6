#include "neuvo/store/database.hpp"

#include "advisor_row.hpp"
#include "new_advisor_rules.hpp"
#include "statement.hpp"

#include <sqlite3.h>

#include <chrono>

namespace neuvo::store {
namespace {

std::string join_languages(const std::vector<std::string>& languages) {
    std::string joined;
    for (const auto& language : languages) {
        if (!joined.empty()) {
            joined += ' ';
        }
        joined += language;
    }
    return joined;
}

std::vector<std::string> split_languages(const std::string& joined) {
    std::vector<std::string> languages;
    std::size_t start = 0;
    while (start < joined.size()) {
        std::size_t end = joined.find(' ', start);
        if (end == std::string::npos) {
            end = joined.size();
        }
        if (end > start) {
            languages.push_back(joined.substr(start, end - start));
        }
        start = end + 1;
    }
    return languages;
}

std::string with_advisor_columns(std::string_view before, std::string_view after) {
    return std::string(before) + std::string(advisor_columns) + std::string(after);
}

} // namespace

AdvisorAccount read_advisor(const Statement& row) {
    AdvisorAccount account;
    account.id = row.column_int(0);
    account.login = row.column_text(1);
    account.display_name = row.column_text(2);
    account.point_id = row.column_text(3);
    account.languages = split_languages(row.column_text(4));
    account.role = row.column_text(5);
    account.disabled = row.column_int(6) != 0;
    account.organisation = row.column_text(7);
    account.national = row.column_int(8) != 0;
    return account;
}

std::int64_t Database::add_advisor(const NewAdvisor& advisor) {
    check_new_advisor(advisor);
    const auto created_at = std::chrono::duration_cast<std::chrono::seconds>(
                                std::chrono::system_clock::now().time_since_epoch())
                                .count();
    Statement insert(db_, "INSERT INTO advisors (login, display_name, point_id, languages, role, "
                          "password_hash, disabled, created_at, organisation, national) "
                          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, ?7, ?8, ?9)");
    insert.bind(1, advisor.login)
        .bind(2, advisor.display_name)
        .bind(3, advisor.point_id)
        .bind(4, join_languages(advisor.languages))
        .bind(5, advisor.role)
        .bind(6, hash_password(advisor.password))
        .bind(7, static_cast<std::int64_t>(created_at))
        .bind_or_null(8, advisor.organisation)
        .bind(9, static_cast<std::int64_t>(advisor.national ? 1 : 0));
    try {
        insert.run();
    } catch (const SqliteError& error) {
        if (error.code() == SQLITE_CONSTRAINT_UNIQUE) {
            throw StoreError("an advisor with login \"" + advisor.login + "\" already exists");
        }
        throw;
    }
    return sqlite3_last_insert_rowid(db_);
}

std::vector<AdvisorAccount> Database::list_advisors() {
    Statement query(db_, with_advisor_columns("SELECT ", " FROM advisors a ORDER BY a.login"));
    std::vector<AdvisorAccount> accounts;
    while (query.step()) {
        accounts.push_back(read_advisor(query));
    }
    return accounts;
}

std::optional<AdvisorAccount> Database::find_advisor(const std::string& login) {
    Statement query(db_, with_advisor_columns("SELECT ", " FROM advisors a WHERE a.login = ?1"));
    query.bind(1, login);
    if (!query.step()) {
        return std::nullopt;
    }
    return read_advisor(query);
}

bool Database::set_advisor_disabled(const std::string& login, bool disabled) {
    Savepoint step(*this);
    Statement update(db_, "UPDATE advisors SET disabled = ?2 WHERE login = ?1");
    update.bind(1, login).bind(2, std::int64_t{disabled ? 1 : 0});
    update.run();
    const bool found = sqlite3_changes(db_) > 0;
    if (disabled) {
        // Otherwise enabling the account again would bring its old sessions back to life.
        Statement end_sessions(
            db_,
            "DELETE FROM sessions WHERE advisor_id IN (SELECT id FROM advisors WHERE login = ?1)");
        end_sessions.bind(1, login);
        end_sessions.run();
    }
    step.release();
    return found;
}

std::optional<std::string> Database::password_hash(const std::string& login) {
    Statement query(db_, "SELECT password_hash FROM advisors WHERE login = ?1 AND disabled = 0");
    query.bind(1, login);
    if (!query.step()) {
        return std::nullopt;
    }
    return query.column_text(0);
}

} // namespace neuvo::store
