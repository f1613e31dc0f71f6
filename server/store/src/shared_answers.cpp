#include "neuvo/store/database.hpp"

#include "statement.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <string_view>

namespace neuvo::store {
namespace {

constexpr std::string_view answer_columns =
    "id, language, title, body, url, updated_at, updated_by FROM shared_answers";

bool is_language_tag(std::string_view tag) {
    return !tag.empty() && tag.size() <= 35 && std::all_of(tag.begin(), tag.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '-';
    });
}

bool is_control(char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7F;
}

bool is_blank(std::string_view text) {
    return std::all_of(text.begin(), text.end(),
                       [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
}

std::string field(std::string_view name, std::string_view problem) {
    return "field \"" + std::string(name) + "\" " + std::string(problem);
}

std::int64_t unix_seconds(core::TimePoint time) {
    return std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
}

SharedAnswer read_answer(const Statement& row) {
    SharedAnswer answer;
    answer.id = row.column_int(0);
    answer.language = row.column_text(1);
    answer.title = row.column_text(2);
    answer.body = row.column_text(3);
    answer.url = row.column_text(4);
    answer.updated_at = row.column_int(5);
    answer.updated_by = row.column_text(6);
    return answer;
}

void check(const SharedAnswerText& text) {
    if (auto problem = shared_answer_problem(text)) {
        throw StoreError(*problem);
    }
}

} // namespace

std::optional<std::string> shared_answer_problem(const SharedAnswerText& text) {
    if (!is_language_tag(text.language)) {
        return field("language", "must be a language tag such as \"ar\"");
    }
    if (is_blank(text.title)) {
        return field("title", "must not be blank");
    }
    if (text.title.size() > max_answer_title_bytes) {
        return field("title", "must be at most 120 bytes");
    }
    // A title is one line in a list: a line break would only hide the rest of it.
    if (std::any_of(text.title.begin(), text.title.end(), is_control)) {
        return field("title", "must be one line without control characters");
    }
    if (is_blank(text.body)) {
        return field("body", "must not be blank");
    }
    if (text.body.size() > max_answer_body_bytes) {
        return field("body", "must be at most 2000 bytes");
    }
    if (std::any_of(text.body.begin(), text.body.end(),
                    [](char c) { return is_control(c) && c != '\n' && c != '\r' && c != '\t'; })) {
        return field("body", "must not contain control characters other than line breaks");
    }
    if (text.url.empty()) {
        return std::nullopt;
    }
    // Only https: a link an advisor hands to a client must not open a plain or script URL.
    if (!text.url.starts_with("https://") ||
        text.url.size() == std::string_view("https://").size()) {
        return field("url", "must start with https:// when given");
    }
    if (text.url.size() > max_answer_url_bytes) {
        return field("url", "must be at most 500 bytes");
    }
    if (std::any_of(text.url.begin(), text.url.end(),
                    [](char c) { return c == ' ' || is_control(c); })) {
        return field("url", "must not contain spaces or control characters");
    }
    return std::nullopt;
}

std::vector<SharedAnswer> Database::list_shared_answers(const std::string& language) {
    Statement query(db_, "SELECT " + std::string(answer_columns) +
                             " WHERE ?1 = '' OR language = ?1 ORDER BY language, title, id");
    query.bind(1, language);
    std::vector<SharedAnswer> answers;
    while (query.step()) {
        answers.push_back(read_answer(query));
    }
    return answers;
}

std::optional<SharedAnswer> Database::find_shared_answer(std::int64_t id) {
    Statement query(db_, "SELECT " + std::string(answer_columns) + " WHERE id = ?1");
    query.bind(1, id);
    if (!query.step()) {
        return std::nullopt;
    }
    return read_answer(query);
}

SharedAnswer Database::add_shared_answer(const SharedAnswerText& text, const std::string& author,
                                         core::TimePoint now) {
    check(text);
    Statement insert(db_, "INSERT INTO shared_answers (language, title, body, url, updated_at, "
                          "updated_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    insert.bind(1, text.language)
        .bind(2, text.title)
        .bind(3, text.body)
        .bind_or_null(4, text.url)
        .bind(5, unix_seconds(now))
        .bind(6, author);
    insert.run();
    return SharedAnswer{sqlite3_last_insert_rowid(db_),
                        text.language,
                        text.title,
                        text.body,
                        text.url,
                        unix_seconds(now),
                        author};
}

std::optional<SharedAnswer> Database::update_shared_answer(std::int64_t id,
                                                           const SharedAnswerText& text,
                                                           const std::string& author,
                                                           core::TimePoint now) {
    check(text);
    Statement update(db_, "UPDATE shared_answers SET language = ?2, title = ?3, body = ?4, "
                          "url = ?5, updated_at = ?6, updated_by = ?7 WHERE id = ?1");
    update.bind(1, id)
        .bind(2, text.language)
        .bind(3, text.title)
        .bind(4, text.body)
        .bind_or_null(5, text.url)
        .bind(6, unix_seconds(now))
        .bind(7, author);
    update.run();
    if (sqlite3_changes(db_) == 0) {
        return std::nullopt;
    }
    return SharedAnswer{id,       text.language,     text.title, text.body,
                        text.url, unix_seconds(now), author};
}

bool Database::delete_shared_answer(std::int64_t id) {
    Statement remove(db_, "DELETE FROM shared_answers WHERE id = ?1");
    remove.bind(1, id);
    remove.run();
    return sqlite3_changes(db_) > 0;
}

} // namespace neuvo::store
