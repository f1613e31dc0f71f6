#include "neuvo/store/database.hpp"

#include "statement.hpp"

#include <chrono>
#include <cstdint>
#include <cstdio>

namespace neuvo::store {
namespace {

// "2026-11-25T14:00Z". Floored again here, whatever the caller did: an exact time of contact
// together with a point and a language can be enough to identify a person.
std::string iso_hour(core::TimePoint time) {
    using namespace std::chrono;
    const auto hour = floor<hours>(time);
    const auto day = floor<days>(hour);
    const year_month_day date{day};
    char text[32];
    std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02d:00Z", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                  static_cast<int>((hour - day).count()));
    return text;
}

} // namespace

void Database::insert_visit(const core::VisitRecord& record) {
    Statement insert(db_, "INSERT INTO visits (outcome, point_id, advisor_point_id, channel, "
                          "language, home_municipality, tier, started_hour, wait_seconds, "
                          "duration_seconds, ended_by, transfers, transfer_from_point_id, "
                          "transfer_to_point_id, invited_advisors) "
                          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
                          "?15)");
    insert.bind(1, record.outcome)
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
        .bind(15, static_cast<std::int64_t>(record.invited_advisors));
    insert.run();
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
    return rows;
}

} // namespace neuvo::store
