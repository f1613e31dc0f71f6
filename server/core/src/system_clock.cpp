#include "neuvo/core/clock.hpp"

#include <ctime>

namespace neuvo::core {

std::chrono::minutes SystemClock::utc_offset(TimePoint at) const {
    // localtime_r applies the process's TZ rules, daylight saving included, for that instant.
    std::time_t seconds = std::chrono::system_clock::to_time_t(at);
    std::tm local{};
    if (localtime_r(&seconds, &local) == nullptr) {
        return std::chrono::minutes{0};
    }
    return std::chrono::duration_cast<std::chrono::minutes>(std::chrono::seconds{local.tm_gmtoff});
}

} // namespace neuvo::core
