#include "neuvo/stats/tables.hpp"

#include <catch2/catch.hpp>

using namespace neuvo::stats;

TEST_CASE("times of fewer contacts than the floor tell only how many", "[stats][times]") {
    const TimeSummary summary = summarise_times({60, 120, 30, 90});
    CHECK(summary.rows == 4);
    CHECK_FALSE(summary.mean_seconds);
    CHECK_FALSE(summary.median_seconds);

    const TimeSummary none = summarise_times({});
    CHECK(none.rows == 0);
    CHECK_FALSE(none.mean_seconds);
}

TEST_CASE("the median of an odd count is the middle value", "[stats][times]") {
    const TimeSummary summary = summarise_times({300, 10, 40, 20, 30});
    CHECK(summary.rows == 5);
    CHECK(summary.mean_seconds == Approx(80.0));
    CHECK(summary.median_seconds == Approx(30.0));
}

TEST_CASE("the median of an even count is the mean of the two middle values", "[stats][times]") {
    const TimeSummary summary = summarise_times({70, 10, 40, 20, 30, 1000});
    CHECK(summary.rows == 6);
    CHECK(summary.mean_seconds == Approx(195.0));
    CHECK(summary.median_seconds == Approx(35.0));
}

TEST_CASE("the floor of time summaries can be set", "[stats][times]") {
    const TimeSummary summary = summarise_times({5, 7, 9}, 3);
    CHECK(summary.mean_seconds == Approx(7.0));
    CHECK(summary.median_seconds == Approx(7.0));
    CHECK_FALSE(summarise_times({5, 7}, 3).median_seconds);
}
