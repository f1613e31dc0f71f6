#include "neuvo/core/attempt_throttle.hpp"

#include <algorithm>

namespace neuvo::core {

AttemptThrottle::AttemptThrottle(ThrottleRule rule, const Clock& clock)
    : rule_(rule), clock_(clock) {}

std::optional<std::chrono::seconds> AttemptThrottle::refused(const std::string& key) const {
    auto found = entries_.find(key);
    const TimePoint now = clock_.now();
    if (found == entries_.end() || found->second.locked_until <= now) {
        return std::nullopt;
    }
    // Rounded up: "try again in 0 seconds" would invite an attempt that is still refused.
    return std::max(std::chrono::seconds{1},
                    std::chrono::ceil<std::chrono::seconds>(found->second.locked_until - now));
}

void AttemptThrottle::failed(const std::string& key) {
    const TimePoint now = clock_.now();
    if (entries_.size() >= sweep_at_) {
        forget_stale(now);
        sweep_at_ = std::max<std::size_t>(1024, entries_.size() * 2);
    }
    Entry& entry = entries_[key];
    if (stale(entry, now)) {
        entry = Entry{};
    }
    if (entry.locked_until > now) {
        return; // refused attempts are not tried, so they do not count either
    }
    entry.last_failure = now;
    if (++entry.failures < rule_.max_failures) {
        return;
    }
    entry.failures = 0;
    entry.locked_until = now + lockout_length(entry.lockouts);
    ++entry.lockouts;
}

void AttemptThrottle::succeeded(const std::string& key) {
    entries_.erase(key);
}

void AttemptThrottle::withdraw_failure(const std::string& key) {
    if (auto found = entries_.find(key); found != entries_.end() && found->second.failures > 0) {
        --found->second.failures;
    }
}

bool AttemptThrottle::stale(const Entry& entry, TimePoint now) const {
    return entry.locked_until <= now && now - entry.last_failure >= rule_.window;
}

std::chrono::seconds AttemptThrottle::lockout_length(int lockouts) const {
    std::chrono::seconds length = rule_.first_lockout;
    for (int i = 0; i < lockouts && length < rule_.max_lockout; ++i) {
        length *= 2;
    }
    return std::min(length, rule_.max_lockout);
}

void AttemptThrottle::forget_stale(TimePoint now) {
    std::erase_if(entries_, [&](const auto& item) { return stale(item.second, now); });
}

} // namespace neuvo::core
