#include "switchboard_fixture.hpp"

#include <catch2/catch.hpp>

using namespace neuvo::core;
using namespace neuvo::core::testing;

namespace {

// Offers are the subject here: nothing is accepted unless a test says so.
struct OfferFixture : SwitchboardFixture {
    OfferFixture() { auto_accept = false; }
};

} // namespace

TEST_CASE("an offer reserves a seat and the client keeps its place until the advisor accepts",
          "[core][offer]") {
    OfferFixture f;
    f.available_advisor(10, aino(), 1);
    CHECK(text(f.client(1, "fi", "091")) ==
          Lines{"to 10: offer c-1 fi home=091 tier=own-point expires=+20s",
                "to 10: presence available capacity=1 active=1",
                "to 1: queued r-1 fi position=1 advisors=1 wait=600"});
    // The offer fills Aino's only seat: the next client is not offered to her.
    CHECK(text(f.client(2, "fi", "091")) ==
          Lines{"to 2: queued r-2 fi position=2 advisors=1 wait=1200"});
    CHECK(f.board.next_deadline() == test_start + 20s);

    f.clock.advance(5s);
    CHECK(text(f.board.accept_offer(10, "c-1", "a-1")) ==
          Lines{"to 1: started c-1 request=r-1 fi home=091 tier=own-point advisor=Aino "
                "point=091-virka (Virka Info)",
                "to 10: started c-1 request= fi home=091 tier=own-point advisor=Aino "
                "point=091-virka (Virka Info)",
                "to 10: presence available capacity=1 active=1",
                "to 2: queued r-2 fi position=1 advisors=1 wait=600"});
    CHECK(f.board.queue_length("fi") == 1);
    // Next: client 2's long wait.
    CHECK(f.board.next_deadline() == test_start + 600s);
    // The visit's wait runs from the request to the accept.
    f.clock.advance(10s);
    f.board.end_conversation(1, "c-1", "e-1");
    CHECK(f.row_after_wrapup(10, "c-1") ==
          "visit served point=091-virka advisor_point=091-virka chat fi home=091 tier=own-point "
          "hour=2026-11-25T14:00:00 wait=5 duration=10 ended_by=client wrapup=saved");
}

TEST_CASE("an offer not answered in time goes to the next advisor, the client keeping its place",
          "[core][offer]") {
    OfferFixture f;
    f.available_advisor(10, aino(), 1);
    f.available_advisor(11, veera(), 1);
    f.client(1, "fi", "091"); // Aino: own point
    f.client(2, "fi", "091"); // Veera: the only one left
    f.client(3, "fi", "091");

    f.clock.advance(19s);
    CHECK(f.board.tick().empty());
    f.clock.advance(1s);
    // Each missed their client; each takes the other's. Client 3 waits for the next free advisor.
    CHECK(text(f.board.tick()) == Lines{"to 10: withdrawn c-1 reason=timeout",
                                        "to 10: presence available capacity=1 active=0",
                                        "to 11: withdrawn c-2 reason=timeout",
                                        "to 11: presence available capacity=1 active=0",
                                        "to 11: offer c-3 fi home=091 tier=region expires=+40s",
                                        "to 11: presence available capacity=1 active=1",
                                        "to 10: offer c-4 fi home=091 tier=own-point expires=+40s",
                                        "to 10: presence available capacity=1 active=1"});
    // Idempotent for the same clock reading.
    CHECK(f.board.tick().empty());
    CHECK(f.board.queue_length("fi") == 3);

    f.board.advisor_connected(12, tuomas());
    CHECK(text(f.board.set_presence(12, Presence::available, 1, "p")) ==
          Lines{"to 12: presence available capacity=1 active=0",
                "to 12: offer c-5 fi home=091 tier=national expires=+40s",
                "to 12: presence available capacity=1 active=1"});
    CHECK(text(f.board.accept_offer(10, "c-4", "a")) ==
          Lines{"to 2: started c-4 request=r-2 fi home=091 tier=own-point advisor=Aino "
                "point=091-virka (Virka Info)",
                "to 10: started c-4 request= fi home=091 tier=own-point advisor=Aino "
                "point=091-virka (Virka Info)",
                "to 10: presence available capacity=1 active=1",
                // Client 1 kept its place throughout.
                "to 3: queued r-3 fi position=2 advisors=3 wait=600"});
    CHECK(f.board.queue_length("fi") == 2);
}

TEST_CASE("a declined client goes to the next eligible advisor, not back to the decliner for now",
          "[core][offer]") {
    OfferFixture f;
    f.available_advisor(10, aino(), 1);
    f.client(1, "fi", "091");
    f.client(2, "fi", "091");
    CHECK(text(f.board.decline_offer(10, "c-1", "d-1")) ==
          Lines{"to 10: withdrawn c-1 reason=declined",
                "to 10: presence available capacity=1 active=0",
                "to 10: offer c-2 fi home=091 tier=own-point expires=+20s",
                "to 10: presence available capacity=1 active=1"});
    f.board.decline_offer(10, "c-2", "d-2");
    // Both declined: nobody is offered to Aino, and the clients keep their places.
    CHECK(f.board.queue_length("fi") == 2);
    CHECK(text(f.client(3, "fi", "091")) ==
          Lines{"to 10: offer c-3 fi home=091 tier=own-point expires=+20s",
                "to 10: presence available capacity=1 active=1",
                "to 3: queued r-3 fi position=3 advisors=1 wait=1800"});
    // Declines do not count as missed offers.
    CHECK(text(f.board.decline_offer(10, "c-3", "d-3"))[1] ==
          "to 10: presence available capacity=1 active=0");
    // Another advisor takes client 1 first.
    f.board.advisor_connected(11, veera());
    CHECK(text(f.board.set_presence(11, Presence::available, 1, "p"))[1] ==
          "to 11: offer c-4 fi home=091 tier=region expires=+20s");
}

TEST_CASE("the only advisor who declined is offered the client again after the re-offer time",
          "[core][offer]") {
    OfferFixture f;
    f.available_advisor(10, aino(), 1);
    f.client(1, "fi", "091");
    f.board.decline_offer(10, "c-1", "d-1");
    CHECK(f.board.next_deadline() == f.clock.now() + 60s);
    f.clock.advance(59s);
    CHECK(f.board.tick().empty());
    f.clock.advance(1s);
    // Nobody else took the client: the advisor is asked once more rather than leave it stranded.
    CHECK(text(f.board.tick()) == Lines{"to 10: offer c-2 fi home=091 tier=own-point expires=+80s",
                                        "to 10: presence available capacity=1 active=1"});
    CHECK(f.board.tick().empty());
}

TEST_CASE("an advisor who misses offers in a row is set away; accepting resets the count",
          "[core][offer]") {
    OfferFixture f; // max_missed_offers = 2
    f.available_advisor(10, aino(), 3);
    f.client(1, "fi", "091");
    f.clock.advance(20s);
    CHECK(text(f.board.tick()) == Lines{"to 10: withdrawn c-1 reason=timeout",
                                        "to 10: presence available capacity=3 active=0"});
    f.client(2, "fi", "091"); // c-2
    f.board.accept_offer(10, "c-2", "a");
    f.client(3, "fi", "091"); // c-3
    f.clock.advance(20s);
    // One miss since the accept: still available.
    CHECK(text(f.board.tick()) == Lines{"to 10: withdrawn c-3 reason=timeout",
                                        "to 10: presence available capacity=3 active=1"});
    f.client(4, "fi", "091"); // c-4
    f.board.decline_offer(10, "c-4", "d");
    f.client(5, "fi", "091"); // c-5
    f.clock.advance(20s);
    CHECK(text(f.board.tick()) ==
          Lines{"to 10: withdrawn c-5 reason=timeout",
                "to 10: presence away capacity=3 active=1 reason=missed_offers"});
    // Away: nobody is offered, and the conversation goes on.
    CHECK(text(f.client(6, "fi", "091")) ==
          Lines{"to 6: queued r-6 fi position=5 advisors=1 wait=1200"});
    CHECK(f.board.open_conversations() == 1);
    CHECK(text(f.board.set_presence(10, Presence::available, std::nullopt, "p")).size() == 3);
}

TEST_CASE("accept and decline only of one's own pending offers", "[core][offer]") {
    OfferFixture f;
    f.available_advisor(10, aino(), 1);
    f.available_advisor(11, veera(), 1);
    f.client(1, "fi", "091"); // c-1 to Aino
    CHECK(text(f.board.accept_offer(11, "c-1", "a-1")) ==
          Lines{"to 11: error no_such_offer ref=a-1"});
    CHECK(text(f.board.decline_offer(11, "c-1", "d-1")) ==
          Lines{"to 11: error no_such_offer ref=d-1"});
    CHECK(text(f.board.accept_offer(10, "c-9", "a-2")) ==
          Lines{"to 10: error no_such_offer ref=a-2"});
    CHECK(text(f.board.accept_offer(1, "c-1", "a-3")) == Lines{"to 1: error not_allowed ref=a-3"});
    CHECK(text(f.board.decline_offer(1, "c-1", "a-4")) == Lines{"to 1: error not_allowed ref=a-4"});
    CHECK(text(f.board.accept_offer(99, "c-1", "a-5")) ==
          Lines{"to 99: error not_allowed ref=a-5"});
    f.clock.advance(20s);
    f.board.tick(); // withdrawn; now offered to Veera as c-2
    CHECK(text(f.board.accept_offer(10, "c-1", "a-6")) ==
          Lines{"to 10: error no_such_offer ref=a-6"});
    f.board.accept_offer(11, "c-2", "a-7");
    CHECK(text(f.board.accept_offer(11, "c-2", "a-8")) ==
          Lines{"to 11: error no_such_offer ref=a-8"});
    // A pending offer is not a conversation.
    f.client(2, "fi", "091"); // c-3 to Aino
    CHECK(text(f.board.post_message(10, "c-3", "m", "Hei")) ==
          Lines{"to 10: error not_in_conversation ref=m"});
}

TEST_CASE("a client who leaves or cancels while offered withdraws the offer", "[core][offer]") {
    OfferFixture f;
    f.available_advisor(10, aino(), 1);
    f.client(1, "fi", "091");
    f.client(2, "fi", "091");
    f.clock.advance(3s);
    CHECK(text(f.board.disconnected(1)) ==
          Lines{"to 10: withdrawn c-1 reason=client_left",
                "to 10: presence available capacity=1 active=0",
                "visit unserved point= advisor_point= chat fi home=091 tier= "
                "hour=2026-11-25T14:00:00 wait=3 duration=0 ended_by=client_left_queue",
                "to 10: offer c-2 fi home=091 tier=own-point expires=+23s",
                "to 10: presence available capacity=1 active=1",
                "to 2: queued r-2 fi position=1 advisors=1 wait=600"});
    CHECK(text(f.board.cancel_request(2, "r-2", "x-2")) ==
          Lines{"to 2: closed r-2 reason=cancelled", "to 10: withdrawn c-2 reason=client_left",
                "to 10: presence available capacity=1 active=0",
                "visit unserved point= advisor_point= chat fi home=091 tier= "
                "hour=2026-11-25T14:00:00 wait=3 duration=0 ended_by=client_cancelled"});
    CHECK(f.board.next_deadline() == std::nullopt);
}

TEST_CASE("an advisor who drops with pending offers loses them to the next advisor",
          "[core][offer]") {
    OfferFixture f;
    f.available_advisor(10, aino(), 2);
    f.available_advisor(11, veera(), 2);
    f.client(1, "fi", "091"); // c-1 to Aino
    CHECK(text(f.board.disconnected(10)) ==
          Lines{"to 11: offer c-2 fi home=091 tier=region expires=+20s",
                "to 11: presence available capacity=2 active=1",
                "to 1: queued r-1 fi position=1 advisors=1 wait=600"});
    CHECK(f.board.advisors_signed_in() == 1);
}

TEST_CASE("capacity counts offers and conversations and may drop below them", "[core][offer]") {
    OfferFixture f;
    f.available_advisor(10, aino(), 2);
    f.client(1, "fi", "091"); // c-1
    f.board.accept_offer(10, "c-1", "a");
    f.client(2, "fi", "091"); // c-2 offered: 2 of 2
    CHECK(text(f.client(3, "fi", "091")) ==
          Lines{"to 3: queued r-3 fi position=2 advisors=1 wait=600"});
    CHECK(text(f.board.set_presence(10, Presence::available, 1, "p")) ==
          Lines{"to 10: presence available capacity=1 active=2",
                // Half the capacity: two rounds before client 3 (client 2 stays in the first).
                "to 3: queued r-3 fi position=2 advisors=1 wait=1200"});
    // The pending offer may still be accepted.
    CHECK(text(f.board.accept_offer(10, "c-2", "a"))[2] ==
          "to 10: presence available capacity=1 active=2");
    CHECK(text(f.board.end_conversation(1, "c-1", "e"))[3] ==
          "to 10: presence available capacity=1 active=1");
    CHECK(f.board.queue_length("fi") == 1);
    // Only below the capacity does a new offer come.
    CHECK(text(f.board.end_conversation(2, "c-2", "e"))[4] ==
          "to 10: offer c-3 fi home=091 tier=own-point expires=+20s");
}
