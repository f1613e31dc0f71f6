#include "switchboard_fixture.hpp"

#include <catch2/catch.hpp>

using namespace neuvo::core;
using namespace neuvo::core::testing;

namespace {

constexpr int hour = 60;

// Oulu10 offers Thai on Wednesday evenings (local time, UTC+2 in the tests), Mainio on
// Thursday mornings.
ServiceNetwork thai_network() {
    ServiceNetwork network = demo_network();
    for (Point& point : network.points) {
        if (point.id == "564-oulu10") {
            point.languages = {LanguageOffer{"th", {{3, 22 * hour, 2 * hour}}}};
        }
        if (point.id == "837-mainio") {
            point.languages.push_back(LanguageOffer{"th", {{4, 8 * hour, 12 * hour}}});
        }
    }
    return network;
}

struct AlternativesFixture : SwitchboardFixture {
    AlternativesFixture() : SwitchboardFixture(thai_network()) {
        clock.set_utc_offset(std::chrono::hours{2});
    }
};

} // namespace

TEST_CASE("a client nobody can serve hears when the language is next staffed and how the other "
          "languages it speaks fare",
          "[core][alternatives]") {
    AlternativesFixture f;
    f.board.advisor_connected(10, elias()); // fi, en, ru; away
    f.auto_accept = false;
    f.client(1, "en", "049");
    CHECK(text(f.client(2, "th", "049", {"en", "xx", "th", "so", "en"})) ==
          Lines{"to 2: queued r-2 th position=1 advisors=0 wait=none",
                // Wednesday 16:03 local: Oulu10's Thai starts at 22:00 local, 20:00 UTC.
                // Unknown tags, the requested language and repeats are left out.
                "to 2: alternatives r-2 th reason=nobody_signed_in "
                "next=564-oulu10@2026-11-25T20:00:00 others=en:1:600;so:0:none;"});
    // Once somebody speaks it, a request is simply queued.
    f.board.advisor_connected(11, oona());
    CHECK(text(f.client(3, "th", "564", {"en"})) ==
          Lines{"to 3: queued r-3 th position=2 advisors=1 wait=600"});
}

TEST_CASE("a slot open now is staffed now; the nearest slot wins across points",
          "[core][alternatives]") {
    AlternativesFixture f;
    // Thursday 01:30 local: Oulu10's Wednesday-night slot is still open.
    f.clock.set(std::chrono::sys_days{std::chrono::year{2026} / 11 / 25} + 23h + 30min);
    CHECK(text(f.client(1, "th", "")).back() == "to 1: alternatives r-1 th reason=nobody_signed_in "
                                                "next=564-oulu10@2026-11-25T23:30:00 others=");
    // Thursday 03:00 local: Mainio opens at 08:00 local, before Oulu10's next Wednesday.
    f.clock.set(std::chrono::sys_days{std::chrono::year{2026} / 11 / 26} + 1h);
    CHECK(text(f.client(2, "th", "")).back() == "to 2: alternatives r-2 th reason=nobody_signed_in "
                                                "next=837-mainio@2026-11-26T06:00:00 others=");
    // No schedule anywhere for the language: nothing to promise.
    CHECK(text(f.client(3, "so", "")).back() ==
          "to 3: alternatives r-3 so reason=nobody_signed_in next=none others=");
}

TEST_CASE("a client who has waited too long hears the alternatives once", "[core][alternatives]") {
    AlternativesFixture f;
    f.board.advisor_connected(10, aino()); // away
    f.client(1, "ar", "091", {"fi"});
    f.clock.advance(1min);
    f.client(2, "ar", "091");
    CHECK(f.board.next_deadline() == test_start + 10min);
    f.clock.advance(8min + 59s);
    CHECK(f.board.tick().empty());
    f.clock.advance(1s);
    CHECK(text(f.board.tick()) ==
          Lines{"to 1: alternatives r-1 ar reason=long_wait next=none others=fi:1:600;"});
    CHECK(f.board.tick().empty());
    CHECK(f.board.next_deadline() == test_start + 11min);
    f.clock.advance(1h);
    CHECK(text(f.board.tick()) ==
          Lines{"to 2: alternatives r-2 ar reason=long_wait next=none others="});
    CHECK(f.board.next_deadline() == std::nullopt);
    CHECK(f.board.queue_length("ar") == 2);
}

TEST_CASE("a client may cancel its waiting request", "[core][alternatives]") {
    AlternativesFixture f;
    f.client(1, "so", "092");
    f.client(2, "so", "092");
    f.client(3, "so", "092");
    f.clock.advance(45s);
    CHECK(text(f.board.cancel_request(1, "r-1", "x-1")) ==
          Lines{"to 1: closed r-1 reason=cancelled",
                "visit unserved point= advisor_point= chat so home=092 tier= "
                "hour=2026-11-25T14:00:00 wait=45 duration=0 ended_by=client_cancelled",
                "to 2: queued r-2 so position=1 advisors=0 wait=none",
                "to 3: queued r-3 so position=2 advisors=0 wait=none"});
    CHECK(f.board.queue_length("so") == 2);
    CHECK(text(f.board.cancel_request(1, "r-1", "x-1")) ==
          Lines{"to 1: error unknown_request ref=x-1"});
    CHECK(text(f.board.cancel_request(2, "r-9", "x-9")) ==
          Lines{"to 2: error unknown_request ref=x-9"});
    f.board.advisor_connected(10, veera());
    CHECK(text(f.board.cancel_request(10, "r-2", "x-2")) ==
          Lines{"to 10: error not_allowed ref=x-2"});
    CHECK(text(f.board.cancel_request(77, "r-2", "x-2")) ==
          Lines{"to 77: error not_allowed ref=x-2"});
    // The client may ask again.
    CHECK(text(f.board.client_request(1, "r-again", "so", "092"))[0] ==
          "to 1: queued r-again so position=3 advisors=1 wait=600");
    // Unmet requests are counted by language.
    f.board.disconnected(3);
    LiveView view = f.board.live_view();
    REQUIRE(view.languages.size() > 0);
    auto so = std::find_if(view.languages.begin(), view.languages.end(),
                           [](const LanguageQueueView& l) { return l.language == "so"; });
    REQUIRE(so != view.languages.end());
    CHECK(so->unmet_requests == 2);
    CHECK(so->waiting == 2);
}
