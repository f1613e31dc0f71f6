#include "switchboard_fixture.hpp"

#include <catch2/catch.hpp>

using namespace neuvo::core;
using namespace neuvo::core::testing;

namespace {

constexpr int hour = 60;

// Oulu10 serves one language a day (local time): Chinese on Mondays, Arabic on Tuesdays and Thai
// on Wednesday evenings into Thursday night; Chinese also on Sunday nights into Monday.
ServiceNetwork scheduled_network() {
    ServiceNetwork network = demo_network();
    for (Point& point : network.points) {
        if (point.id == "564-oulu10") {
            point.languages = {
                LanguageOffer{"zh", {{1, 9 * hour, 16 * hour}, {7, 23 * hour, 1 * hour}}},
                LanguageOffer{"ar", {{2, 9 * hour, 16 * hour}}},
                LanguageOffer{"th", {{3, 22 * hour, 2 * hour}}},
            };
        }
    }
    return network;
}

// Finland in winter: UTC+2. The test starts on Wednesday 2026-11-25 at 16:03:07 local time.
struct ScheduleFixture : SwitchboardFixture {
    // Long waits are another test's subject: here they would only add deadlines.
    ScheduleFixture() : SwitchboardFixture(scheduled_network(), Policy{.long_wait = 24h}) {
        clock.set_utc_offset(std::chrono::hours{2});
        auto_accept = false;
    }

    // Oona at Oulu10 speaks Arabic, Chinese and Thai, and Finnish (not offered at Oulu10).
    void oona_follows_schedule(bool follow) {
        board.advisor_connected(10, profile(5, "Oona", "564-oulu10", {"ar", "zh", "th", "fi"}));
        board.set_presence(10, Presence::available, 3, "p", follow);
    }

    // Local wall time on a date of the test's week (2026-11-23 is a Monday).
    static TimePoint local(int day, std::chrono::minutes time) {
        return std::chrono::sys_days{std::chrono::year{2026} / 11 / day} + time - 2h;
    }
};

} // namespace

TEST_CASE("an advisor who does not follow the schedule serves every language they speak",
          "[core][schedule]") {
    ScheduleFixture f;
    f.oona_follows_schedule(false);
    CHECK(text(f.client(1, "zh", "564"))[0] ==
          "to 10: offer c-1 zh home=564 tier=own-point expires=+20s");
    CHECK(text(f.client(2, "fi", "564"))[0] ==
          "to 10: offer c-2 fi home=564 tier=own-point expires=+20s");
    CHECK(f.board.next_deadline() == test_start + 20s);
}

TEST_CASE("an advisor who follows the schedule serves only what the point offers now",
          "[core][schedule]") {
    ScheduleFixture f;
    f.oona_follows_schedule(true);
    // Wednesday afternoon: no Chinese, no Thai yet, and Oulu10 never offers Finnish.
    CHECK(text(f.client(1, "zh", "564")) ==
          Lines{"to 1: queued r-1 zh position=1 advisors=1 wait=600"});
    CHECK(text(f.client(2, "th", "564")) ==
          Lines{"to 2: queued r-2 th position=1 advisors=1 wait=600"});
    CHECK(text(f.client(3, "fi", "564")) ==
          Lines{"to 3: queued r-3 fi position=1 advisors=1 wait=600"});

    // The shell wakes the switchboard when the Thai slot opens at 22:00 local, 20:00 UTC.
    const TimePoint thai_opens = ScheduleFixture::local(25, 22h);
    CHECK(f.board.next_deadline() == thai_opens);
    f.clock.set(thai_opens - 1s);
    CHECK(f.board.tick().empty());
    f.clock.set(thai_opens);
    CHECK(text(f.board.tick()) == Lines{"to 10: offer c-1 th home=564 tier=own-point "
                                        "expires=+21433s",
                                        "to 10: presence available capacity=3 active=1 "
                                        "follow_schedule"});
    CHECK(f.board.tick().empty());
    f.board.accept_offer(10, "c-1", "a");

    // Past midnight into Thursday the Thai slot is still open ...
    f.clock.set(ScheduleFixture::local(26, 1h + 59min));
    CHECK(text(f.client(4, "th", "564"))[0].starts_with("to 10: offer c-2 th"));
    f.board.accept_offer(10, "c-2", "a");
    // ... and at 02:00 it closes.
    f.clock.set(ScheduleFixture::local(26, 2h));
    CHECK(text(f.client(5, "th", "564"))[0] ==
          "to 5: queued r-5 th position=1 advisors=1 wait=600");
    CHECK(f.board.queue_length("zh") == 1);
    CHECK(f.board.queue_length("fi") == 1);
}

TEST_CASE("a slot on Sunday night runs into Monday", "[core][schedule]") {
    ScheduleFixture f;
    f.clock.set(ScheduleFixture::local(29, 22h + 59min)); // Sunday
    f.oona_follows_schedule(true);
    CHECK(text(f.client(1, "zh", "564"))[0] ==
          "to 1: queued r-1 zh position=1 advisors=1 wait=600");
    CHECK(f.board.next_deadline() == ScheduleFixture::local(29, 23h));
    f.clock.set(ScheduleFixture::local(30, 30min)); // Monday 00:30
    CHECK(text(f.board.tick())[0].starts_with("to 10: offer c-1 zh"));
    f.board.accept_offer(10, "c-1", "a");
    f.clock.set(ScheduleFixture::local(30, 1h)); // Monday 01:00: closed until 09:00
    CHECK(text(f.client(2, "zh", "564"))[0] ==
          "to 2: queued r-2 zh position=1 advisors=1 wait=600");
    f.clock.set(ScheduleFixture::local(30, 9h));
    CHECK(text(f.board.tick())[0].starts_with("to 10: offer c-2 zh"));
}

TEST_CASE("one language a day at Oulu10", "[core][schedule]") {
    ScheduleFixture f;
    f.clock.set(ScheduleFixture::local(24, 10h)); // Tuesday
    f.oona_follows_schedule(true);
    f.client(1, "zh", "564");
    CHECK(text(f.client(2, "ar", "564"))[0].starts_with("to 10: offer c-1 ar home=564"));
    f.board.accept_offer(10, "c-1", "a");
    f.clock.set(ScheduleFixture::local(30, 10h)); // the next Monday
    CHECK(text(f.board.tick())[0].starts_with("to 10: offer c-2 zh home=564"));
}

TEST_CASE("a language without a schedule is open whenever its advisors are", "[core][schedule]") {
    ScheduleFixture f;
    f.clock.set(ScheduleFixture::local(29, 3h)); // Sunday night
    f.board.advisor_connected(10, aino());
    f.board.set_presence(10, Presence::available, 2, "p", true);
    CHECK(text(f.client(1, "fi", "091"))[0].starts_with("to 10: offer c-1 fi home=091"));
    // Schedules matter only to those who follow them: the presence says so.
    CHECK(text(f.board.set_presence(10, Presence::available, std::nullopt, "p"))[0] ==
          "to 10: presence available capacity=2 active=1 follow_schedule");
    CHECK(text(f.board.set_presence(10, Presence::available, std::nullopt, "p", false))[0] ==
          "to 10: presence available capacity=2 active=1");
}

TEST_CASE("the local time follows the clock's offset", "[core][schedule]") {
    ScheduleFixture f;
    f.clock.set_utc_offset(std::chrono::hours{3}); // summer time
    // 21:00 UTC on Wednesday is 00:00 Thursday local: Thai is on.
    f.clock.set(std::chrono::sys_days{std::chrono::year{2026} / 11 / 25} + 21h);
    f.oona_follows_schedule(true);
    CHECK(text(f.client(1, "th", "564"))[0].starts_with("to 10: offer c-1 th"));
}

TEST_CASE("an advisor who stops following the schedule, or signs out, leaves no slot deadline",
          "[core][schedule]") {
    ScheduleFixture f;
    f.oona_follows_schedule(true);
    // Wednesday afternoon, a free seat: the switchboard wants waking when the Thai slot opens.
    CHECK(f.board.next_deadline() == ScheduleFixture::local(25, 22h));

    f.board.set_presence(10, Presence::available, 3, "p2", false);
    CHECK_FALSE(f.board.next_deadline());
    f.board.set_presence(10, Presence::available, 3, "p3", true);
    CHECK(f.board.next_deadline() == ScheduleFixture::local(25, 22h));

    // A follower's second sign-in replaces the first and starts without the schedule.
    f.board.advisor_connected(11, profile(5, "Oona", "564-oulu10", {"ar", "zh", "th", "fi"}));
    CHECK_FALSE(f.board.next_deadline());
    f.board.set_presence(11, Presence::available, 3, "p4", true);
    CHECK(f.board.next_deadline() == ScheduleFixture::local(25, 22h));

    // Signed out with no conversation: gone, and nothing is left to wake for.
    f.board.signed_out(11);
    CHECK_FALSE(f.board.next_deadline());
    f.clock.set(ScheduleFixture::local(25, 22h));
    CHECK(f.board.tick().empty());
}
