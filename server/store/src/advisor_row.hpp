#pragma once

#include "neuvo/store/database.hpp"
#include "statement.hpp"

#include <string_view>

namespace neuvo::store {

// The columns read_advisor() expects at the start of a row, for tables aliased as `a`.
constexpr std::string_view advisor_columns =
    "a.id, a.login, a.display_name, a.point_id, a.languages, a.role, a.disabled, "
    "a.organisation, a.national";

AdvisorAccount read_advisor(const Statement& row);

} // namespace neuvo::store
