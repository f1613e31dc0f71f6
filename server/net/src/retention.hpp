#pragma once

#include "neuvo/core/clock.hpp"

#include <chrono>

namespace neuvo::net {

// How often the server deletes register rows past their retention (and once at start).
inline constexpr std::chrono::hours retention_interval{1};

// Rows that started before this are past retention. Rows carry the hour they started, floored;
// flooring the cutoff too keeps a row for its whole last hour rather than some minutes of it.
inline core::TimePoint retention_cutoff(core::TimePoint now, std::chrono::days retention) {
    return std::chrono::floor<std::chrono::hours>(now - retention);
}

} // namespace neuvo::net
