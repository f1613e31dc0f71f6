#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>

namespace neuvo::core {

// The lengths of a language's most recent conversations.
class ServiceHistory {
public:
    void add(std::int64_t seconds, int keep);
    // Mean length in seconds, or nothing before the first conversation.
    std::optional<double> mean_seconds() const;

private:
    std::deque<std::int64_t> recent_;
    std::int64_t sum_ = 0;
};

struct Staffing {
    int advisors_signed_in = 0; // speaking the language, in any presence, also while reconnecting
    int total_capacity = 0;     // of those advisors
};

// The estimated wait of the client at `position` (1 = next): the mean conversation length
// (`default_service` before any history) times the number of "rounds" the advisors must serve
// before this client, ceil(position / max(1, total capacity)), rounded to whole seconds. Nothing
// when no advisor speaking the language is signed in: then no estimate is honest.
std::optional<std::int64_t> estimate_wait(std::optional<double> mean_seconds,
                                          std::chrono::seconds default_service, Staffing staffing,
                                          int position);

} // namespace neuvo::core
