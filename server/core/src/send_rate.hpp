#pragma once

#include "neuvo/core/clock.hpp"
#include "neuvo/core/switchboard.hpp"

#include <algorithm>
#include <chrono>
#include <optional>

namespace neuvo::core {

// One sender's budget of chat and consult messages: a token bucket of policy.message_burst
// tokens, refilled at policy.messages_per_minute. Kept as the one time point at which the bucket
// would be full again (the "virtual scheduling" form of GCRA), which needs no timer and no
// fractions.
class SendRate {
public:
    // Takes a token. Nothing if there was one; otherwise how long until there is (rounded up to a
    // millisecond), and nothing is taken.
    std::optional<std::chrono::milliseconds> take(TimePoint now, const Policy& policy) {
        if (auto wait = wait_for_token(now, policy)) {
            return wait;
        }
        full_again_ = std::max(full_again_, now) + interval(policy);
        return std::nullopt;
    }

    // Whether a token is there, without taking it.
    bool has_token(TimePoint now, const Policy& policy) const {
        return !wait_for_token(now, policy).has_value();
    }

private:
    static TimePoint::duration interval(const Policy& policy) {
        return std::chrono::duration_cast<TimePoint::duration>(std::chrono::minutes{1}) /
               std::max(policy.messages_per_minute, 1);
    }

    std::optional<std::chrono::milliseconds> wait_for_token(TimePoint now,
                                                            const Policy& policy) const {
        // The bucket is empty when it would take longer than burst-1 intervals to fill.
        const TimePoint::duration allowance =
            interval(policy) * (std::max(policy.message_burst, 1) - 1);
        const TimePoint::duration ahead = std::max(full_again_, now) - now;
        if (ahead <= allowance) {
            return std::nullopt;
        }
        return std::chrono::ceil<std::chrono::milliseconds>(ahead - allowance);
    }

    TimePoint full_again_{};
};

} // namespace neuvo::core
