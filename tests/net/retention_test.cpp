#include "retention.hpp"

#include "core/fake_clock.hpp"

#include <catch2/catch.hpp>

using namespace std::chrono_literals;
using neuvo::core::testing::FakeClock;
using neuvo::core::testing::test_start;
using neuvo::net::retention_cutoff;

TEST_CASE("the retention cutoff is the clock's now less the retention, floored to the hour",
          "[retention]") {
    FakeClock clock; // 2026-11-25 14:03:07 UTC
    const auto cutoff = retention_cutoff(clock.now(), std::chrono::days(1826));
    // 1826 days before 2026-11-25 is 2021-11-25; the row of 14:00 that day is kept to the end.
    CHECK(cutoff == std::chrono::sys_days{std::chrono::year{2021} / 11 / 25} + 14h);

    SECTION("it moves with the clock, an hour at a time") {
        clock.advance(57min);
        CHECK(retention_cutoff(clock.now(), std::chrono::days(1826)) == cutoff + 1h);
        clock.advance(59min);
        CHECK(retention_cutoff(clock.now(), std::chrono::days(1826)) == cutoff + 1h);
    }
    SECTION("a shorter retention cuts later") {
        CHECK(retention_cutoff(test_start, std::chrono::days(31)) ==
              std::chrono::sys_days{std::chrono::year{2026} / 10 / 25} + 14h);
    }
}
