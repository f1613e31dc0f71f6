#include "switchboard_fixture.hpp"

#include <catch2/catch.hpp>

using namespace neuvo::core;
using namespace neuvo::core::testing;

// The estimate: the mean length of the language's last policy.service_history conversations
// (policy.default_service before any), times ceil(position / total capacity of the advisors
// speaking the language who are signed in), rounded to whole seconds; none without such advisors.

TEST_CASE("before any conversation the estimate uses the default length", "[core][estimate]") {
    SwitchboardFixture f(demo_network(), every_change_told(Policy{.default_service = 300s}));
    f.board.advisor_connected(10, aino()); // capacity 3, away: signed in is what counts
    CHECK(text(f.client(1, "fi", "091")) ==
          Lines{"to 1: queued r-1 fi position=1 advisors=1 wait=300"});
    f.client(2, "fi", "091");
    f.client(3, "fi", "091");
    CHECK(text(f.client(4, "fi", "091")) ==
          Lines{"to 4: queued r-4 fi position=4 advisors=1 wait=600"});
    // Another Finnish speaker adds capacity: everybody is in the first round again, and all
    // hear of the second advisor.
    CHECK(text(f.board.advisor_connected(11, elias())) ==
          Lines{"to 11: presence away capacity=3 active=0",
                "to 1: queued r-1 fi position=1 advisors=2 wait=300",
                "to 2: queued r-2 fi position=2 advisors=2 wait=300",
                "to 3: queued r-3 fi position=3 advisors=2 wait=300",
                "to 4: queued r-4 fi position=4 advisors=2 wait=300"});
    // Nobody speaks Somali: no estimate.
    CHECK(text(f.client(5, "so", "091"))[0] ==
          "to 5: queued r-5 so position=1 advisors=0 wait=none");
}

TEST_CASE("the estimate follows the recent conversations of the language", "[core][estimate]") {
    SwitchboardFixture f(demo_network(), every_change_told(Policy{.service_history = 2}));
    f.available_advisor(10, aino(), 1);
    f.board.advisor_connected(11, elias()); // away, capacity 3: total capacity 4
    f.client(1, "fi", "091");
    for (int i = 2; i <= 6; ++i) {
        f.client(i, "fi", "091");
    }
    // Positions 1-4 and 5: 600 and 1200.
    f.clock.advance(100s);
    CHECK(text(f.accepting(f.board.end_conversation(1, "c-1", "e"))) ==
          Lines{"to 1: ended c-1 seq=1 reason=client", "to 10: ended c-1 seq=1 reason=client",
                "to 10: wrapup due c-1 fi home=091 chat",
                "to 10: presence available capacity=1 active=0",
                "to 10: offer c-2 fi home=091 tier=own-point expires=+120s",
                "to 10: presence available capacity=1 active=1",
                "to 2: queued r-2 fi position=1 advisors=2 wait=100",
                "to 3: queued r-3 fi position=2 advisors=2 wait=100",
                "to 4: queued r-4 fi position=3 advisors=2 wait=100",
                "to 5: queued r-5 fi position=4 advisors=2 wait=100",
                "to 6: queued r-6 fi position=5 advisors=2 wait=200",
                "to 2: started c-2 request=r-2 fi home=091 tier=own-point advisor=Aino "
                "point=091-virka (Virka Info)",
                "to 10: started c-2 request= fi home=091 tier=own-point advisor=Aino "
                "point=091-virka (Virka Info)",
                "to 10: presence available capacity=1 active=1",
                "to 3: queued r-3 fi position=1 advisors=2 wait=100",
                "to 4: queued r-4 fi position=2 advisors=2 wait=100",
                "to 5: queued r-5 fi position=3 advisors=2 wait=100",
                "to 6: queued r-6 fi position=4 advisors=2 wait=100"});
    f.clock.advance(301s);
    auto second = text(f.accepting(f.board.end_conversation(2, "c-2", "e")));
    // (100 + 301) / 2 = 200.5, rounded to 201.
    CHECK(std::find(second.begin(), second.end(),
                    "to 3: queued r-3 fi position=1 advisors=2 wait=201") != second.end());
    f.clock.advance(500s);
    auto third = text(f.accepting(f.board.end_conversation(3, "c-3", "e")));
    // Only the last two count: (301 + 500) / 2 = 400.5, rounded to 401.
    CHECK(std::find(third.begin(), third.end(),
                    "to 4: queued r-4 fi position=1 advisors=2 wait=401") != third.end());
}

TEST_CASE("conversations cut short by a lost advisor do not shape the estimate",
          "[core][estimate]") {
    SwitchboardFixture f;
    f.available_advisor(10, aino(), 1);
    f.client(1, "fi", "091");
    f.client(2, "fi", "091"); // wait=600 behind
    f.board.disconnected(10);
    f.clock.advance(60s);
    auto lines = text(f.board.tick());
    CHECK(std::find(lines.begin(), lines.end(),
                    "to 1: queued r-1 fi position=1 advisors=0 wait=none") != lines.end());
    f.board.advisor_connected(11, elias());
    CHECK(text(f.board.set_presence(11, Presence::away, 1, "p")) ==
          Lines{"to 11: presence away capacity=1 active=0",
                "to 2: queued r-2 fi position=2 advisors=1 wait=1200"});
}
