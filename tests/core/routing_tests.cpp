#include "switchboard_fixture.hpp"

#include <catch2/catch.hpp>

using namespace neuvo::core;
using namespace neuvo::core::testing;

TEST_CASE("an Espoo client reaches Espoo, then Helsinki, then Tampere, then the national pool",
          "[core][routing]") {
    SwitchboardFixture f;
    // The own point's advisor signs in last, with the highest session id: tier decides, not order.
    f.available_advisor(10, tuomas(), 1);
    f.available_advisor(11, hanna(), 1);
    f.available_advisor(12, aino(), 1);
    f.available_advisor(13, elias(), 1);

    // The tier is on the offer, on both copies of the start and in the visit.
    CHECK(text(f.client(1, "fi", "049")) ==
          Lines{"to 13: offer c-1 fi home=049 tier=own-point expires=+20s",
                "to 13: presence available capacity=1 active=1",
                "to 1: queued r-1 fi position=1 advisors=4 wait=600",
                "to 1: started c-1 request=r-1 fi home=049 tier=own-point advisor=Elias "
                "point=049-inespoo (In Espoo)",
                "to 13: started c-1 request= fi home=049 tier=own-point advisor=Elias "
                "point=049-inespoo (In Espoo)",
                "to 13: presence available capacity=1 active=1"});
    CHECK(text(f.client(2, "fi", "049"))[0] ==
          "to 12: offer c-2 fi home=049 tier=region expires=+20s");
    CHECK(text(f.client(3, "fi", "049"))[0] ==
          "to 11: offer c-3 fi home=049 tier=partner expires=+20s");
    CHECK(text(f.client(4, "fi", "049"))[0] ==
          "to 10: offer c-4 fi home=049 tier=national expires=+20s");
    CHECK(text(f.client(5, "fi", "049")) ==
          Lines{"to 5: queued r-5 fi position=1 advisors=4 wait=600"});
    CHECK(f.board.open_conversations() == 4);
    CHECK(f.board.queue_length("fi") == 1);
}

TEST_CASE("a client without a home is served by the national pool only", "[core][routing]") {
    SwitchboardFixture f;
    f.available_advisor(10, aino());
    f.available_advisor(11, tuomas());

    CHECK(text(f.client(1, "ar", ""))[0] ==
          "to 11: offer c-1 ar home=unknown tier=national expires=+20s");
    CHECK(text(f.client(2, "ar", "unknown"))[0] ==
          "to 11: offer c-2 ar home=unknown tier=national expires=+20s");
    // "other" keeps its own value for the register but routes like an unknown home.
    CHECK(text(f.client(3, "ar", "other"))[0] ==
          "to 11: offer c-3 ar home=other tier=national expires=+20s");
    CHECK(text(f.client(4, "ar", "other")) ==
          Lines{"to 4: queued r-4 ar position=1 advisors=2 wait=600"});
}

TEST_CASE("a client who lives abroad is served by the national pool only and recorded as abroad",
          "[core][routing]") {
    SwitchboardFixture f;
    f.available_advisor(10, aino());

    // Aino's point serves Helsinki and its region, not someone living outside Finland.
    CHECK(text(f.client(1, "ar", "abroad")) ==
          Lines{"to 1: queued r-1 ar position=1 advisors=1 wait=600"});
    CHECK(text(f.client(2, "ar", "abroad")) ==
          Lines{"to 2: queued r-2 ar position=2 advisors=1 wait=600"});
    CHECK(f.board.queue_length("ar") == 2);

    // The national pool takes the first; the second gives up unserved, still from abroad.
    CHECK(text(f.available_advisor(11, tuomas(), 1)) ==
          Lines{"to 11: presence available capacity=1 active=0",
                "to 11: offer c-1 ar home=abroad tier=national expires=+20s",
                "to 11: presence available capacity=1 active=1",
                "to 1: started c-1 request=r-1 ar home=abroad tier=national advisor=Tuomas "
                "point=853-infotori (Infotori)",
                "to 11: started c-1 request= ar home=abroad tier=national advisor=Tuomas "
                "point=853-infotori (Infotori)",
                "to 11: presence available capacity=1 active=1",
                "to 2: queued r-2 ar position=1 advisors=2 wait=600"});
    f.clock.advance(30s);
    CHECK(text(f.board.cancel_request(2, "r-2", "x-2")) ==
          Lines{"to 2: closed r-2 reason=cancelled",
                "visit unserved point= advisor_point= chat ar home=abroad tier= "
                "hour=2026-11-25T14:00:00 wait=30 duration=0 ended_by=client_cancelled"});

    f.clock.advance(5min);
    CHECK(text(f.board.end_conversation(11, "c-1", "e-1")) ==
          Lines{"to 1: ended c-1 seq=1 reason=advisor", "to 11: ended c-1 seq=1 reason=advisor",
                "to 11: wrapup due c-1 ar home=abroad chat",
                "to 11: presence available capacity=1 active=0"});
    CHECK(f.row_after_wrapup(11, "c-1") ==
          "visit served point=853-infotori advisor_point=853-infotori chat ar home=abroad "
          "tier=national hour=2026-11-25T14:00:00 wait=0 duration=330 ended_by=advisor "
          "wrapup=saved");
}

TEST_CASE("within a tier the least loaded advisor gets the client", "[core][routing]") {
    SwitchboardFixture f;
    f.available_advisor(10, aino());
    f.available_advisor(11, veera());

    CHECK(text(f.client(1, "fi", "235"))[0].starts_with("to 10: offer c-1"));
    // Aino now has one conversation, Veera none: Veera, despite the higher session id.
    CHECK(text(f.client(2, "fi", "235"))[0].starts_with("to 11: offer c-2"));
    // Equal load and equal rest: the lower session id.
    CHECK(text(f.client(3, "fi", "235"))[0].starts_with("to 10: offer c-3"));
    CHECK(text(f.client(4, "fi", "235"))[0].starts_with("to 11: offer c-4"));
}

TEST_CASE("within a tier and load the advisor idle longest gets the client", "[core][routing]") {
    SwitchboardFixture f;
    f.available_advisor(20, aino());
    f.clock.advance(10s);
    f.available_advisor(10, veera());
    f.clock.advance(10s);

    // Aino became available first; her higher session id does not matter.
    CHECK(text(f.client(1, "fi", "235"))[0].starts_with("to 20: offer c-1"));
    CHECK(text(f.client(2, "fi", "235"))[0].starts_with("to 10: offer c-2"));

    f.clock.advance(60s);
    f.accepting(f.board.end_conversation(20, "c-1", "e-1"));
    f.clock.advance(20s);
    f.accepting(f.board.end_conversation(10, "c-2", "e-2"));
    // Aino's last conversation ended first.
    CHECK(text(f.client(3, "fi", "235"))[0].starts_with("to 20: offer c-3"));

    f.clock.advance(20s);
    f.accepting(f.board.end_conversation(3, "c-3", "e-3"));
    // Now Veera has rested longer.
    CHECK(text(f.client(4, "fi", "235"))[0].starts_with("to 10: offer c-4"));
}

TEST_CASE("becoming available again restarts the rest, changing capacity does not",
          "[core][routing]") {
    SwitchboardFixture f;
    f.available_advisor(10, aino());
    f.clock.advance(10s);
    f.available_advisor(11, veera());
    f.clock.advance(10s);
    f.board.set_presence(10, Presence::away, std::nullopt, "p-a");
    f.clock.advance(10s);
    f.board.set_presence(10, Presence::available, std::nullopt, "p-b");
    f.clock.advance(10s);
    f.board.set_presence(11, Presence::available, 5, "p-c");

    CHECK(text(f.client(1, "fi", "235"))[0].starts_with("to 11: offer c-1"));
}

TEST_CASE("advisors who are away, full, speak another language or may not serve the home are "
          "passed over",
          "[core][routing]") {
    SwitchboardFixture f;
    f.board.advisor_connected(10, elias()); // away
    f.available_advisor(11, aino(), 1);
    f.available_advisor(12, oona());                                       // Oulu only
    f.available_advisor(13, profile(7, "Sami", "091-virka", {"sv"}));      // no Finnish
    f.available_advisor(14, profile(8, "Lost", "000-gone", {"fi", "ar"})); // no such point
    f.client(1, "fi", "049");                                              // takes Aino's only seat

    CHECK(text(f.client(2, "fi", "049")) ==
          Lines{"to 2: queued r-2 fi position=1 advisors=3 wait=600"});
    CHECK(text(f.client(3, "ar", "049")) ==
          Lines{"to 3: queued r-3 ar position=1 advisors=3 wait=600"});
    CHECK(f.board.advisors_signed_in() == 5);
}

TEST_CASE("a newcomer with a free advisor is served at once even while others wait",
          "[core][routing]") {
    SwitchboardFixture f;
    f.available_advisor(10, aino());
    // An Oulu resident cannot be served by Helsinki and waits.
    CHECK(text(f.client(1, "ar", "564")) ==
          Lines{"to 1: queued r-1 ar position=1 advisors=1 wait=600"});
    // A Helsinki resident is eligible for Aino: the Oulu resident's wait does not block her.
    CHECK(text(f.client(2, "ar", "091"))[0] ==
          "to 10: offer c-1 ar home=091 tier=own-point expires=+20s");
    CHECK(f.board.queue_length("ar") == 1);
}
