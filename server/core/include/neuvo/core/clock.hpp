#pragma once

#include <chrono>

namespace neuvo::core {

using TimePoint = std::chrono::system_clock::time_point;

// Time is injected so that every rule of the core can be driven by a test that moves the clock
// by hand; the running server passes a SystemClock.
class Clock {
public:
    virtual ~Clock() = default;
    virtual TimePoint now() const = 0;
    // Offset of the service's local time from UTC at `at` (schedules are in local time, and
    // daylight saving moves it); the shell knows the time zone, the core does not.
    virtual std::chrono::minutes utc_offset(TimePoint at) const = 0;
};

// The real clock, in the process's local time zone (TZ).
class SystemClock final : public Clock {
public:
    TimePoint now() const override { return std::chrono::system_clock::now(); }
    std::chrono::minutes utc_offset(TimePoint at) const override;
};

} // namespace neuvo::core
