#pragma once

#include "neuvo/core/clock.hpp"

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <unordered_map>

namespace neuvo::core {

// How many failures a key (an account, a network address) may have before it is refused for a
// while, and for how long.
struct ThrottleRule {
    int max_failures = 5;
    // Failures count until this long passes without one; then the key starts afresh.
    std::chrono::seconds window{15 * 60};
    // The first refusal lasts this long; each one after it, while the key keeps failing, twice as
    // long as the one before, up to max_lockout: guessing gets slower the longer it goes on.
    std::chrono::seconds first_lockout{60};
    std::chrono::seconds max_lockout{60 * 60};
};

// Counts failed attempts (sign-ins, join codes) per key and refuses a key that failed too often,
// before the attempt is even looked at, so that a refusal costs nothing. Deterministic: time
// comes from the injected clock. Not thread-safe.
class AttemptThrottle {
public:
    AttemptThrottle(ThrottleRule rule, const Clock& clock);

    // Nothing while the key may try; otherwise how long until it may (at least one second).
    std::optional<std::chrono::seconds> refused(const std::string& key) const;
    // A failed attempt; the one that reaches max_failures starts a refusal.
    void failed(const std::string& key);
    // A successful attempt: the key's failures are forgotten.
    void succeeded(const std::string& key);
    // An attempt counted as failed when it began (so that attempts still being checked count
    // too) turned out to succeed: that one failure is taken back, the others stay.
    void withdraw_failure(const std::string& key);

    // Keys with failures or a refusal still remembered (tests, and the bound on memory).
    std::size_t remembered() const { return entries_.size(); }

private:
    struct Entry {
        int failures = 0; // since the last refusal began
        int lockouts = 0; // refusals so far, for the doubling
        TimePoint last_failure{};
        TimePoint locked_until{};
    };

    bool stale(const Entry& entry, TimePoint now) const;
    std::chrono::seconds lockout_length(int lockouts) const;
    void forget_stale(TimePoint now);

    ThrottleRule rule_;
    const Clock& clock_;
    std::unordered_map<std::string, Entry> entries_;
    // Stale entries are swept when the map has grown to this size, so that a stream of
    // one-off keys cannot grow it without bound and no timer is needed.
    std::size_t sweep_at_ = 1024;
};

} // namespace neuvo::core
