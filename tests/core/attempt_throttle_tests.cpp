// Failed attempts per key (an account, a network address): refused for a while after too many,
// for longer each time, and forgotten after a quiet spell or a success.
#include "fake_clock.hpp"

#include "neuvo/core/attempt_throttle.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace neuvo::core;
using namespace neuvo::core::testing;
using namespace std::chrono_literals;

namespace {

const ThrottleRule five_in_fifteen{5, 15min, 60s, 8min};

void fail(AttemptThrottle& throttle, const std::string& key, int times) {
    for (int i = 0; i < times; ++i) {
        throttle.failed(key);
    }
}

} // namespace

TEST_CASE("a key is refused after its fifth failure, until the lockout has passed",
          "[core][throttle]") {
    FakeClock clock;
    AttemptThrottle throttle(five_in_fifteen, clock);
    fail(throttle, "aino", 4);
    CHECK_FALSE(throttle.refused("aino"));
    throttle.failed("aino");
    CHECK(throttle.refused("aino") == 60s);

    clock.advance(59s + 500ms);
    CHECK(throttle.refused("aino") == 1s); // rounded up, never "0 seconds"
    // Attempts while refused are not tried, so they do not count and do not lengthen it.
    fail(throttle, "aino", 10);
    clock.advance(500ms);
    CHECK_FALSE(throttle.refused("aino"));
    // Other keys were never touched.
    CHECK_FALSE(throttle.refused("veera"));
}

TEST_CASE("each lockout of a key that keeps failing is twice the one before, up to the maximum",
          "[core][throttle]") {
    FakeClock clock;
    AttemptThrottle throttle(five_in_fifteen, clock);
    for (auto expected : {60s, 120s, 240s, 480s, 480s}) {
        fail(throttle, "aino", 4);
        CHECK_FALSE(throttle.refused("aino"));
        throttle.failed("aino");
        CHECK(throttle.refused("aino") == expected);
        clock.advance(expected);
    }
}

TEST_CASE("failures are forgotten after a quiet window, and on success", "[core][throttle]") {
    FakeClock clock;
    AttemptThrottle throttle(five_in_fifteen, clock);

    SECTION("fifteen minutes without a failure start the count afresh") {
        fail(throttle, "aino", 4);
        clock.advance(15min);
        fail(throttle, "aino", 4);
        CHECK_FALSE(throttle.refused("aino"));
        throttle.failed("aino");
        CHECK(throttle.refused("aino") == 60s);
    }
    SECTION("a failure within the window keeps the count") {
        fail(throttle, "aino", 4);
        clock.advance(15min - 1s);
        throttle.failed("aino");
        CHECK(throttle.refused("aino") == 60s);
    }
    SECTION("a quiet window after a lockout also starts the doubling afresh") {
        fail(throttle, "aino", 5);
        clock.advance(15min);
        fail(throttle, "aino", 5);
        CHECK(throttle.refused("aino") == 60s);
    }
    SECTION("a success forgets the key's failures and its lockouts") {
        fail(throttle, "aino", 5);
        clock.advance(60s);
        throttle.succeeded("aino");
        CHECK(throttle.remembered() == 0);
        fail(throttle, "aino", 4);
        CHECK_FALSE(throttle.refused("aino"));
        throttle.failed("aino");
        CHECK(throttle.refused("aino") == 60s);
    }
}

TEST_CASE("keys that failed once long ago do not pile up", "[core][throttle]") {
    FakeClock clock;
    AttemptThrottle throttle(five_in_fifteen, clock);
    for (int i = 0; i < 3000; ++i) {
        throttle.failed("guess-" + std::to_string(i));
    }
    CHECK(throttle.remembered() == 3000);
    clock.advance(15min);
    // The map is swept whenever it has doubled since the last sweep (here at 4096 keys): the
    // stale ones go, the fresh ones and a locked one stay.
    fail(throttle, "veera", 5);
    for (int i = 0; i < 1100; ++i) {
        throttle.failed("fresh-" + std::to_string(i));
    }
    CHECK(throttle.remembered() == 1101);
    CHECK(throttle.refused("veera") == 60s);
}

TEST_CASE("a failure counted in advance is taken back when the attempt succeeds",
          "[core][throttle]") {
    FakeClock clock;
    AttemptThrottle throttle(five_in_fifteen, clock);
    fail(throttle, "office", 3);
    // Twenty colleagues behind one address sign in, each counted when it begins.
    for (int i = 0; i < 20; ++i) {
        throttle.failed("office");
        CHECK_FALSE(throttle.refused("office"));
        throttle.withdraw_failure("office");
    }
    // The three real failures are still there: two more make five.
    throttle.failed("office");
    CHECK_FALSE(throttle.refused("office"));
    throttle.failed("office");
    CHECK(throttle.refused("office") == 60s);
    // Nothing to take back from a key that is not there.
    throttle.withdraw_failure("elsewhere");
    CHECK(throttle.remembered() == 1);
}
