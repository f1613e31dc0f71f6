#include "switchboard_fixture.hpp"

#include <catch2/catch.hpp>

using namespace neuvo::core;
using namespace neuvo::core::testing;

TEST_CASE("a client who disconnects mid-conversation ends it and frees the seat",
          "[core][disconnect]") {
    SwitchboardFixture f;
    f.available_advisor(10, elias(), 1);
    f.client(1, "ru", "049");
    f.clock.advance(30s);
    f.client(2, "ru", "235");
    f.board.post_message(10, "c-1", "a-1", "Здравствуйте");
    f.clock.advance(2min);

    CHECK(text(f.board.disconnected(1)) ==
          Lines{"to 10: ended c-1 seq=2 reason=client_disconnected",
                "visit served point=049-inespoo advisor_point=049-inespoo chat ru home=049 "
                "tier=own-point hour=2026-11-25T14:00:00 wait=0 duration=150 "
                "ended_by=client_disconnected",
                "to 10: presence available capacity=1 active=0",
                "to 2: started c-2 request=r-2 ru home=235 tier=region advisor=Elias "
                "point=049-inespoo (In Espoo)",
                "to 10: started c-2 request= ru home=235 tier=region advisor=Elias "
                "point=049-inespoo (In Espoo)",
                "to 10: presence available capacity=1 active=1"});
    CHECK(f.board.open_conversations() == 1);
    // The session is forgotten.
    CHECK(f.board.disconnected(1).empty());
    CHECK(text(f.board.client_request(1, "r-9", "ru", "049")) ==
          Lines{"to 1: error not_allowed ref=r-9"});
}

TEST_CASE("a client who leaves the queue is recorded as unserved", "[core][disconnect]") {
    SwitchboardFixture f;
    f.client(1, "so", "092");
    f.clock.advance(1h + 2min + 3s);
    CHECK(text(f.board.disconnected(1)) ==
          Lines{"visit unserved point= advisor_point= chat so home=092 tier= "
                "hour=2026-11-25T14:00:00 wait=3723 duration=0 ended_by=client_left_queue"});
    CHECK(f.board.queue_length("so") == 0);
}

TEST_CASE("a client who never asked leaves no trace", "[core][disconnect]") {
    SwitchboardFixture f;
    f.board.client_connected(1);
    CHECK(f.board.disconnected(1).empty());
    CHECK(f.board.disconnected(12345).empty());
}

TEST_CASE("an advisor who disconnects ends every conversation, oldest first",
          "[core][disconnect]") {
    SwitchboardFixture f;
    f.available_advisor(10, aino(), 2);
    f.client(1, "fi", "091");
    f.clock.advance(1min);
    f.client(2, "ar", "049");
    f.client(3, "en", "091"); // waits: Aino is full
    f.board.post_message(2, "c-2", "m-1", "مرحبا");
    f.clock.advance(1min);

    CHECK(text(f.board.disconnected(10)) ==
          Lines{"to 1: ended c-1 seq=1 reason=advisor_disconnected",
                "visit served point=091-virka advisor_point=091-virka chat fi home=091 "
                "tier=own-point hour=2026-11-25T14:00:00 wait=0 duration=120 "
                "ended_by=advisor_disconnected",
                "to 2: ended c-2 seq=2 reason=advisor_disconnected",
                "visit served point=091-virka advisor_point=091-virka chat ar home=049 "
                "tier=region hour=2026-11-25T14:00:00 wait=0 duration=60 "
                "ended_by=advisor_disconnected"});
    CHECK(f.board.open_conversations() == 0);
    CHECK(f.board.advisors_signed_in() == 0);
    CHECK(f.board.queue_length("en") == 1);
    CHECK(f.board.disconnected(10).empty());
    // The clients may ask again.
    CHECK(text(f.board.client_request(1, "r-again", "fi", "091")) ==
          Lines{"to 1: queued r-again fi position=1 advisors=0"});
}

TEST_CASE("a newer sign-in of the same advisor replaces the older session", "[core][disconnect]") {
    SwitchboardFixture f;
    f.available_advisor(10, aino(), 2);
    f.client(1, "fi", "091");
    f.clock.advance(1min);

    CHECK(text(f.board.advisor_connected(11, aino())) ==
          Lines{"close 10: replaced by a newer sign-in",
                "to 1: ended c-1 seq=1 reason=advisor_disconnected",
                "visit served point=091-virka advisor_point=091-virka chat fi home=091 "
                "tier=own-point hour=2026-11-25T14:00:00 wait=0 duration=60 "
                "ended_by=advisor_disconnected",
                "to 11: presence away capacity=3 active=0"});
    CHECK(f.board.advisors_signed_in() == 1);
    CHECK(f.board.open_conversations() == 0);
    // The shell reports the old socket closing later: that is no news any more.
    CHECK(f.board.disconnected(10).empty());
    CHECK(f.board.advisors_signed_in() == 1);
    CHECK(text(f.board.set_presence(10, Presence::available, 1, "p-old")) ==
          Lines{"to 10: error not_allowed ref=p-old"});
    // The new session works.
    f.board.set_presence(11, Presence::available, 1, "p-new");
    CHECK(text(f.client(2, "fi", "091"))[1].starts_with("to 11: started c-2"));
}

TEST_CASE("another advisor's sign-in replaces nobody", "[core][disconnect]") {
    SwitchboardFixture f;
    f.available_advisor(10, aino());
    CHECK(text(f.board.advisor_connected(11, veera())) ==
          Lines{"to 11: presence away capacity=3 active=0"});
    CHECK(f.board.advisors_signed_in() == 2);
}
