#pragma once

#include "neuvo/core/clock.hpp"

#include <string>

namespace neuvo::protocol {

// A time on the wire: RFC 3339 in UTC with milliseconds, e.g. 2026-11-25T12:00:00.000Z.
std::string format_timestamp(core::TimePoint time);

} // namespace neuvo::protocol
