#include "neuvo/stats/tables.hpp"

#include <algorithm>
#include <cstddef>

namespace neuvo::stats {

TimeSummary summarise_times(std::vector<std::int64_t> seconds, std::int64_t floor) {
    TimeSummary summary;
    summary.rows = static_cast<std::int64_t>(seconds.size());
    if (summary.rows < floor || seconds.empty()) {
        return summary;
    }
    long double sum = 0;
    for (const std::int64_t value : seconds) {
        sum += static_cast<long double>(value);
    }
    summary.mean_seconds = static_cast<double>(sum / static_cast<long double>(seconds.size()));

    const std::size_t middle = seconds.size() / 2;
    std::nth_element(seconds.begin(), seconds.begin() + static_cast<std::ptrdiff_t>(middle),
                     seconds.end());
    const std::int64_t upper = seconds[middle];
    if (seconds.size() % 2 == 1) {
        summary.median_seconds = static_cast<double>(upper);
    } else {
        // The lower middle value is the largest of the half before the upper one.
        const std::int64_t lower = *std::max_element(
            seconds.begin(), seconds.begin() + static_cast<std::ptrdiff_t>(middle));
        summary.median_seconds = (static_cast<double>(lower) + static_cast<double>(upper)) / 2.0;
    }
    return summary;
}

} // namespace neuvo::stats
