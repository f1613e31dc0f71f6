#include "wait_estimate.hpp"

#include <algorithm>
#include <cmath>

namespace neuvo::core {

void ServiceHistory::add(std::int64_t seconds, int keep) {
    recent_.push_back(seconds);
    sum_ += seconds;
    while (static_cast<int>(recent_.size()) > std::max(keep, 1)) {
        sum_ -= recent_.front();
        recent_.pop_front();
    }
}

std::optional<double> ServiceHistory::mean_seconds() const {
    if (recent_.empty()) {
        return std::nullopt;
    }
    return static_cast<double>(sum_) / static_cast<double>(recent_.size());
}

std::optional<std::int64_t> estimate_wait(std::optional<double> mean_seconds,
                                          std::chrono::seconds default_service, Staffing staffing,
                                          int position) {
    if (staffing.advisors_signed_in == 0) {
        return std::nullopt;
    }
    double mean = mean_seconds.value_or(static_cast<double>(default_service.count()));
    int per_round = std::max(1, staffing.total_capacity);
    int rounds = (std::max(position, 1) + per_round - 1) / per_round;
    return std::llround(mean * rounds);
}

} // namespace neuvo::core
