#pragma once

#include <string>
#include <vector>

namespace neuvo::testing {

// The columns of the register's `visits` table, in schema order. Adding a column to the register
// is a privacy decision: it must be added here on purpose. Shared by the store's and the
// integration tests, so that there is one list to change.
inline std::vector<std::string> allowed_visit_columns() {
    return {"id",
            "outcome",
            "point_id",
            "advisor_point_id",
            "channel",
            "language",
            "home_municipality",
            "tier",
            "started_hour",
            "wait_seconds",
            "duration_seconds",
            "ended_by",
            "transfers",
            "transfer_from_point_id",
            "transfer_to_point_id",
            "invited_advisors",
            "wrapup",
            "age_group",
            "gender",
            "residence",
            "immigration_reason",
            "citizenship",
            "education",
            "labour_status",
            "first_contact",
            "interpreter",
            "country",
            "rating"};
}

// What Database::visits() returns per row: the columns, and each row's topics and referrals
// from their own tables.
inline std::vector<std::string> allowed_visit_row_keys() {
    std::vector<std::string> keys = allowed_visit_columns();
    keys.push_back("topics");
    keys.push_back("referrals");
    return keys;
}

} // namespace neuvo::testing
