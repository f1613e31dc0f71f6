#include "switchboard_fixture.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

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

    CHECK(text(f.accepting(f.board.disconnected(1))) ==
          Lines{"to 10: ended c-1 seq=2 reason=client_disconnected",
                "to 10: wrapup due c-1 ru home=049 chat",
                "to 10: presence available capacity=1 active=0",
                "to 10: offer c-2 ru home=235 tier=region expires=+170s",
                "to 10: presence available capacity=1 active=1",
                // The first conversation's length is now the estimate.
                "to 2: queued r-2 ru position=1 advisors=1 wait=150",
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

TEST_CASE("an advisor who disconnects leaves the conversations waiting for the grace period, "
          "then ends them oldest first and puts the clients at the head of the line",
          "[core][disconnect]") {
    SwitchboardFixture f;
    f.available_advisor(10, aino(), 2);
    f.client(1, "fi", "091");
    f.clock.advance(1min);
    f.client(2, "ar", "049");
    f.client(3, "en", "091"); // waits: Aino is full
    f.client(4, "fi", "092"); // waits too
    f.board.post_message(2, "c-2", "m-1", "مرحبا");
    f.clock.advance(1min);

    CHECK(text(f.board.disconnected(10)) ==
          Lines{"to 1: advisor c-1 reconnecting", "to 2: advisor c-2 reconnecting"});
    CHECK(f.board.open_conversations() == 2);
    CHECK(f.board.advisors_signed_in() == 1);
    CHECK(f.board.next_deadline() == f.clock.now() + 60s);
    f.clock.advance(59s);
    CHECK(f.board.tick().empty());

    f.clock.advance(1s);
    CHECK(text(f.board.tick()) ==
          Lines{"to 1: ended c-1 seq=1 reason=advisor_disconnected",
                "to 2: ended c-2 seq=2 reason=advisor_disconnected",
                // The advisor is gone: nobody writes the wrap-ups.
                "visit served point=091-virka advisor_point=091-virka chat fi home=091 "
                "tier=own-point hour=2026-11-25T14:00:00 wait=0 duration=180 "
                "ended_by=advisor_disconnected wrapup=missing",
                "visit served point=091-virka advisor_point=091-virka chat ar home=049 "
                "tier=region hour=2026-11-25T14:00:00 wait=0 duration=120 "
                "ended_by=advisor_disconnected wrapup=missing",
                // Nobody speaks the languages any more: no estimates.
                "to 2: queued r-2 ar position=1 advisors=0 wait=none",
                "to 3: queued r-3 en position=1 advisors=0 wait=none",
                "to 1: queued r-1 fi position=1 advisors=0 wait=none",
                "to 4: queued r-4 fi position=2 advisors=0 wait=none"});
    CHECK(f.board.open_conversations() == 0);
    CHECK(f.board.advisors_signed_in() == 0);
    CHECK(f.board.queue_length("fi") == 2);
    CHECK(f.board.disconnected(10).empty());
    // Still waiting with the original request: asking again is refused.
    CHECK(text(f.board.client_request(1, "r-again", "fi", "091")) ==
          Lines{"to 1: error already_requested ref=r-again"});
}

TEST_CASE("an advisor who signs out ends the conversations at once and the clients keep their turn",
          "[core][disconnect]") {
    SwitchboardFixture f;
    f.available_advisor(10, aino(), 1);
    f.client(1, "fi", "091");
    f.client(2, "fi", "092"); // waits: Aino is full
    f.clock.advance(2min);

    // No grace period, no reconnecting notice: the client who was served goes first again.
    CHECK(text(f.board.signed_out(10)) ==
          Lines{"to 1: ended c-1 seq=1 reason=advisor_disconnected",
                "visit served point=091-virka advisor_point=091-virka chat fi home=091 "
                "tier=own-point hour=2026-11-25T14:00:00 wait=0 duration=120 "
                "ended_by=advisor_disconnected wrapup=missing",
                "to 1: queued r-1 fi position=1 advisors=0 wait=none",
                "to 2: queued r-2 fi position=2 advisors=0 wait=none"});
    CHECK(f.board.advisors_signed_in() == 0);
    CHECK(f.board.open_conversations() == 0);
    // What is left are the waiting clients' long-wait deadlines, not a grace period.
    CHECK(f.board.next_deadline() == f.clock.now() + 8min);
    CHECK(f.board.signed_out(10).empty());
}

TEST_CASE("an advisor without conversations who disconnects signs out at once",
          "[core][disconnect]") {
    SwitchboardFixture f;
    f.available_advisor(10, aino(), 2);
    f.client(1, "fi", "091");
    f.board.end_conversation(1, "c-1", "e-1");
    f.row_after_wrapup(10, "c-1"); // a wrap-up still due would keep the advisor (wrapup_tests)
    // Nobody is told; the store forgets the advisor's presence.
    const Effects gone = f.board.disconnected(10);
    CHECK(text(gone).empty());
    CHECK(kept_text(gone) == Lines{"forget advisor 1"});
    CHECK(f.board.advisors_signed_in() == 0);
    CHECK(f.board.next_deadline() == std::nullopt);
}

TEST_CASE("a newer sign-in of the same advisor replaces the older session and takes over its "
          "conversations",
          "[core][disconnect]") {
    SwitchboardFixture f;
    f.available_advisor(10, aino(), 2);
    f.client(1, "fi", "091");
    f.clock.advance(1min);

    CHECK(text(f.board.advisor_connected(11, aino())) ==
          Lines{"close 10: replaced by a newer sign-in",
                "to 11: started c-1 request= fi home=091 tier=own-point advisor=Aino "
                "point=091-virka (Virka Info) joined_as=lead from=none note= participants=",
                "to 11: presence away capacity=3 active=1"});
    CHECK(f.board.advisors_signed_in() == 1);
    CHECK(f.board.open_conversations() == 1);
    // The shell reports the old socket closing later: that is no news any more.
    CHECK(f.board.disconnected(10).empty());
    CHECK(f.board.advisors_signed_in() == 1);
    CHECK(text(f.board.set_presence(10, Presence::available, 1, "p-old")) ==
          Lines{"to 10: error not_allowed ref=p-old"});
    CHECK(text(f.board.post_message(10, "c-1", "a-1", "Hei")) ==
          Lines{"to 10: error not_in_conversation ref=a-1"});
    // The conversation goes on on the new session.
    CHECK(text(f.board.post_message(1, "c-1", "m-1", "Hei")) ==
          Lines{"to 11: message c-1 seq=1 id=m-1 from=client author= text=Hei at=+60s",
                "to 1: accepted m-1 c-1 seq=1"});
    CHECK(text(f.board.post_message(11, "c-1", "a-1", "Moi")) ==
          Lines{"to 1: message c-1 seq=2 id=a-1 from=advisor author=Aino text=Moi at=+60s",
                "to 11: accepted a-1 c-1 seq=2"});
    f.board.set_presence(11, Presence::available, 2, "p-new");
    CHECK(text(f.client(2, "fi", "091"))[0].starts_with("to 11: offer c-2"));
}

TEST_CASE("another advisor's sign-in replaces nobody", "[core][disconnect]") {
    SwitchboardFixture f;
    f.available_advisor(10, aino());
    CHECK(text(f.board.advisor_connected(11, veera())) ==
          Lines{"to 11: presence away capacity=3 active=0"});
    CHECK(f.board.advisors_signed_in() == 2);
}

TEST_CASE("an advisor back within the grace period continues the conversations with the same "
          "presence",
          "[core][disconnect]") {
    SwitchboardFixture f;
    f.available_advisor(10, aino(), 2);
    f.client(1, "fi", "091");
    f.board.post_message(1, "c-1", "m-1", "Hei");
    f.board.disconnected(10);
    // Meanwhile the client's messages are refused and nothing is numbered.
    CHECK(text(f.board.post_message(1, "c-1", "m-2", "Oletko siellä?")) ==
          Lines{"to 1: error advisor_unavailable ref=m-2"});
    // A new client is not offered to the absent advisor, who still counts as signed in.
    f.auto_accept = false;
    CHECK(text(f.client(2, "fi", "091")) ==
          Lines{"to 2: queued r-2 fi position=1 advisors=1 wait=600"});
    LiveView view = f.board.live_view();
    REQUIRE(view.advisors.size() == 1);
    CHECK_FALSE(view.advisors[0].connected);

    f.clock.advance(59s);
    // The message the advisor had not confirmed comes again after the conversation.
    CHECK(text(f.board.advisor_connected(12, aino())) ==
          Lines{"to 12: started c-1 request= fi home=091 tier=own-point advisor=Aino "
                "point=091-virka (Virka Info) joined_as=lead from=none note= participants=",
                "to 12: message c-1 seq=1 id=m-1 from=client author= text=Hei at=+0s",
                "to 1: advisor c-1 back", "to 12: presence available capacity=2 active=1",
                "to 12: offer c-2 fi home=091 tier=own-point expires=+79s",
                "to 12: presence available capacity=2 active=2"});
    CHECK(f.board.live_view().advisors[0].connected);
    // The grace period is over: no deadline but the offer's.
    CHECK(f.board.next_deadline() == test_start + 79s);
    f.clock.advance(1s);
    CHECK(f.board.tick().empty());
    CHECK(text(f.board.post_message(1, "c-1", "m-2", "Oletko siellä?")) ==
          Lines{"to 12: message c-1 seq=2 id=m-2 from=client author= text=Oletko siellä? at=+60s",
                "to 1: accepted m-2 c-1 seq=2"});
    CHECK(text(f.board.post_message(1, "c-1", "m-1", "Hei")) ==
          Lines{"to 1: accepted m-1 c-1 seq=1 duplicate"});
}

TEST_CASE("a client may end a conversation while the advisor is reconnecting",
          "[core][disconnect]") {
    SwitchboardFixture f;
    f.available_advisor(10, aino(), 2);
    f.client(1, "fi", "091");
    f.board.disconnected(10);
    f.clock.advance(10s);
    CHECK(text(f.board.end_conversation(1, "c-1", "e-1")) ==
          Lines{"to 1: ended c-1 seq=1 reason=client"});
    // The wrap-up waits for the advisor, who does not come back.
    f.clock.advance(50s);
    CHECK(text(f.board.tick()) ==
          Lines{"visit served point=091-virka advisor_point=091-virka chat fi home=091 "
                "tier=own-point hour=2026-11-25T14:00:00 wait=0 duration=10 ended_by=client "
                "wrapup=missing"});
    CHECK(f.board.advisors_signed_in() == 0);
}

TEST_CASE("an advisor back gets again exactly what it had not confirmed, in order",
          "[core][disconnect]") {
    SwitchboardFixture f;
    f.available_advisor(10, aino(), 2);
    f.client(1, "fi", "091");
    f.board.post_message(1, "c-1", "m-1", "Hei");
    f.board.post_message(10, "c-1", "a-1", "Hei, miten voin auttaa?");
    f.board.post_message(1, "c-1", "m-2", "Minulla on kirje.");
    f.board.acknowledge(10, "c-1", 1);
    f.board.disconnected(10);
    const Lines back = text(f.board.advisor_connected(12, aino()));
    REQUIRE(back.size() == 5);
    CHECK(back[1] == "to 12: message c-1 seq=2 id=a-1 from=advisor author=Aino "
                     "text=Hei, miten voin auttaa? at=+0s");
    CHECK(back[2] == "to 12: message c-1 seq=3 id=m-2 from=client author= text=Minulla on kirje. "
                     "at=+0s");
    // Confirmed now: the next connection gets nothing again.
    f.board.acknowledge(12, "c-1", 3);
    f.board.disconnected(12);
    const Lines again = text(f.board.advisor_connected(14, aino()));
    CHECK(std::none_of(again.begin(), again.end(), [](const std::string& line) {
        return line.find(": message ") != std::string::npos;
    }));
}
