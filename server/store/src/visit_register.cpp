#include "neuvo/store/database.hpp"

#include "register_hour.hpp"
#include "statement.hpp"
#include "statement_cache.hpp"

#include <sqlite3.h>

#include <cstdint>

namespace neuvo::store {

std::int64_t Database::insert_visit(const core::VisitRecord& record) {
    // One savepoint: a row is written with its topics and referrals or not at all.
    Savepoint whole(*this);
    auto insert =
        statements_->get("INSERT INTO visits (outcome, point_id, advisor_point_id, channel, "
                         "language, home_municipality, tier, started_hour, wait_seconds, "
                         "duration_seconds, ended_by, transfers, transfer_from_point_id, "
                         "transfer_to_point_id, invited_advisors, wrapup, age_group, gender, "
                         "residence, immigration_reason, citizenship, country, education, "
                         "labour_status, first_contact, interpreter, rating) "
                         "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
                         "?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27)");
    const core::Wrapup& wrapup = record.wrapup;
    insert->bind(1, record.outcome)
        .bind_or_null(2, record.point_id)
        .bind_or_null(3, record.advisor_point_id)
        .bind(4, record.channel)
        .bind(5, record.language)
        .bind(6, record.home_municipality)
        .bind_or_null(7, record.tier)
        .bind(8, iso_hour(record.started_hour))
        .bind(9, record.wait_seconds)
        .bind(10, record.duration_seconds)
        .bind(11, record.ended_by)
        .bind(12, static_cast<std::int64_t>(record.transfers))
        .bind_or_null(13, record.transfer_from_point_id)
        .bind_or_null(14, record.transfer_to_point_id)
        .bind(15, static_cast<std::int64_t>(record.invited_advisors))
        .bind(16, record.wrapup_state)
        .bind(17, wrapup.age_group)
        .bind(18, wrapup.gender)
        .bind(19, wrapup.residence)
        .bind(20, wrapup.immigration_reason)
        .bind(21, wrapup.citizenship)
        .bind(22, wrapup.country)
        .bind(23, wrapup.education)
        .bind(24, wrapup.labour_status)
        .bind(25, wrapup.first_contact)
        .bind(26, wrapup.interpreter);
    if (record.rating) {
        insert->bind(27, static_cast<std::int64_t>(*record.rating));
    } else {
        insert->bind_or_null(27, std::string{});
    }
    insert->run();
    const std::int64_t id = sqlite3_last_insert_rowid(db_);
    for (const std::string& topic : wrapup.topics) {
        auto add = statements_->get("INSERT INTO visit_topics (visit_id, topic) VALUES (?1, ?2)");
        add->bind(1, id).bind(2, topic);
        add->run();
    }
    for (const std::string& referral : wrapup.referrals) {
        auto add =
            statements_->get("INSERT INTO visit_referrals (visit_id, referral) VALUES (?1, ?2)");
        add->bind(1, id).bind(2, referral);
        add->run();
    }
    // The copy kept while the row waited for its wrap-up goes with the row's writing, so that
    // a crash leaves one or the other, never both.
    if (!record.conversation.empty()) {
        forget_open_visit(record.conversation);
    }
    whole.release();
    return id;
}

bool Database::set_visit_rating(std::int64_t visit_id, int rating) {
    // A rating is given once: a second one for the same row changes nothing.
    auto update =
        statements_->get("UPDATE visits SET rating = ?1 WHERE id = ?2 AND rating IS NULL");
    update->bind(1, static_cast<std::int64_t>(rating)).bind(2, visit_id);
    update->run();
    return sqlite3_changes(db_) == 1;
}

std::vector<VisitRow> Database::visits() {
    // SELECT *: columns added by later migrations show up without touching this.
    Statement query(db_, "SELECT * FROM visits ORDER BY id");
    std::vector<VisitRow> rows;
    while (query.step()) {
        VisitRow row;
        for (int column = 0; column < query.column_count(); ++column) {
            row[query.column_name(column)] = query.column_text(column);
        }
        rows.push_back(std::move(row));
    }
    const std::pair<const char*, const char*> lists[] = {
        {"topics", "SELECT topic FROM visit_topics WHERE visit_id = ?1 ORDER BY topic"},
        {"referrals", "SELECT referral FROM visit_referrals WHERE visit_id = ?1 ORDER BY referral"},
    };
    for (VisitRow& row : rows) {
        for (const auto& [name, sql] : lists) {
            Statement codes(db_, sql);
            codes.bind(1, static_cast<std::int64_t>(std::stoll(row.at("id"))));
            std::string joined;
            while (codes.step()) {
                joined += (joined.empty() ? "" : " ") + codes.column_text(0);
            }
            row[name] = joined;
        }
    }
    return rows;
}

} // namespace neuvo::store
