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
};

class SystemClock final : public Clock {
public:
    TimePoint now() const override { return std::chrono::system_clock::now(); }
};

} // namespace neuvo::core
