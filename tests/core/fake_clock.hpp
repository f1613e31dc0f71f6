#pragma once

#include "neuvo/core/clock.hpp"

#include <chrono>

namespace neuvo::core::testing {

using namespace std::chrono_literals;

// 2026-11-25 14:03:07 UTC: a weekday afternoon, minutes past the hour so that hour buckets show.
inline const TimePoint test_start =
    std::chrono::sys_days{std::chrono::year{2026} / std::chrono::November / 25} + 14h + 3min + 7s;

// A clock that moves only when a test moves it, in a time zone the test chooses (UTC unless
// told otherwise).
class FakeClock final : public Clock {
public:
    TimePoint now() const override { return now_; }
    std::chrono::minutes utc_offset(TimePoint) const override { return offset_; }
    void advance(std::chrono::nanoseconds step) { now_ += step; }
    void set(TimePoint at) { now_ = at; }
    void set_utc_offset(std::chrono::minutes offset) { offset_ = offset; }

private:
    TimePoint now_ = test_start;
    std::chrono::minutes offset_{0};
};

} // namespace neuvo::core::testing
