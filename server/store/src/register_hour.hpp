#pragma once

#include "neuvo/core/clock.hpp"

#include <string>

namespace neuvo::store {

// "2026-11-25T14:00Z": the hour `time` falls in, as the register's started_hour stores it.
// Floored here whatever the caller did: an exact time of contact together with a point and a
// language can be enough to identify a person.
std::string iso_hour(core::TimePoint time);

} // namespace neuvo::store
