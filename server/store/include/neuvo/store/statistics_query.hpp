#pragma once

#include "neuvo/core/clock.hpp"
#include "neuvo/stats/tables.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace neuvo::store {

// Which register rows a statistic counts. Months are "YYYY-MM" of started_hour (UTC), inclusive;
// empty means unbounded. `point_id` empty: every point. `outcome`: "served" (the default; the
// wrap-up dimensions exist only for served contacts), "unserved" or "all".
struct VisitFilter {
    std::string from_month;
    std::string to_month;
    std::string point_id;
    std::string outcome = "served";
};

// The dimensions a statistic can be broken down by, as the API names them:
//   point, language, channel, month, home (home municipality), outcome, tier, wrapup,
//   age_group, gender, residence, immigration_reason, citizenship, country, education,
//   labour_status, first_contact, interpreter, rating ("none" when not given),
//   topic and referral (multi-valued: a contact counts once per code it has).
// An unserved row's point is "none".
const std::vector<std::string>& statistics_dimensions();
bool is_statistics_dimension(const std::string& name);

// Rows, and for two dimensions columns, are every code found in the filtered rows, plus, for
// coded register fields, every code of the field (so a table has the same shape every month),
// in the field's form order; other dimensions sort by code.
struct CountRequest {
    std::vector<std::string> dimensions; // one or two, distinct, from statistics_dimensions()
    VisitFilter filter;
};

// Wait and duration seconds by one dimension (or of all rows when `dimension` is empty).
struct TimesRequest {
    std::string dimension;
    VisitFilter filter;
};
struct GroupTimes {
    std::string code; // "" for all rows
    std::vector<std::int64_t> wait_seconds;
    std::vector<std::int64_t> duration_seconds;
};

} // namespace neuvo::store
