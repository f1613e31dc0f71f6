#include "switchboard_fixture.hpp"

#include <catch2/catch.hpp>

using namespace neuvo::core;
using namespace neuvo::core::testing;

TEST_CASE("an advisor starts away with the default capacity", "[core][presence]") {
    SwitchboardFixture f;
    f.client(1, "fi", "091");
    CHECK(text(f.board.advisor_connected(10, aino())) ==
          Lines{"to 10: presence away capacity=3 active=0",
                // Someone speaking Finnish is signed in now, so there is an estimate.
                "to 1: queued r-1 fi position=1 advisors=1 wait=600"});
    CHECK(f.board.advisors_signed_in() == 1);
    CHECK(f.board.queue_length("fi") == 1);
}

TEST_CASE("capacity must lie between 1 and the maximum", "[core][presence]") {
    SwitchboardFixture f;
    f.board.advisor_connected(10, aino());
    f.client(1, "fi", "091");
    for (int wrong : {0, -1, 11, 1000}) {
        CAPTURE(wrong);
        CHECK(text(f.board.set_presence(10, Presence::available, wrong, "p-x")) ==
              Lines{"to 10: error invalid_field ref=p-x"});
    }
    // Nothing changed: still away, still the default capacity, the client still waits.
    CHECK(f.board.queue_length("fi") == 1);
    CHECK(text(f.board.set_presence(10, Presence::away, std::nullopt, "p-y")) ==
          Lines{"to 10: presence away capacity=3 active=0"});
    CHECK(text(f.board.set_presence(10, Presence::away, 10, "p-z")) ==
          Lines{"to 10: presence away capacity=10 active=0"});
    CHECK(text(f.board.set_presence(10, Presence::away, 1, "p-z")) ==
          Lines{"to 10: presence away capacity=1 active=0"});
}

TEST_CASE("only advisors have a presence", "[core][presence]") {
    SwitchboardFixture f;
    f.board.client_connected(1);
    CHECK(text(f.board.set_presence(1, Presence::available, 2, "p-1")) ==
          Lines{"to 1: error not_allowed ref=p-1"});
    CHECK(text(f.board.set_presence(99, Presence::available, 2, "p-2")) ==
          Lines{"to 99: error not_allowed ref=p-2"});
    CHECK(f.board.advisors_signed_in() == 0);
}

TEST_CASE("capacity may drop below the current load, with no new client until there is room",
          "[core][presence]") {
    SwitchboardFixture f;
    f.available_advisor(10, aino(), 3);
    f.client(1, "fi", "091");
    f.client(2, "fi", "091");
    f.client(3, "fi", "091");
    f.client(4, "fi", "091");
    CHECK(text(f.board.set_presence(10, Presence::available, 1, "p-1")) ==
          Lines{"to 10: presence available capacity=1 active=3"});

    f.board.end_conversation(1, "c-1", "e-1");
    f.board.end_conversation(2, "c-2", "e-2");
    CHECK(f.board.queue_length("fi") == 1);
    auto freed = text(f.accepting(f.board.end_conversation(3, "c-3", "e-3")));
    CHECK(freed == Lines{"to 3: ended c-3 seq=1 reason=client",
                         "to 10: ended c-3 seq=1 reason=client",
                         "to 10: wrapup due c-3 fi home=091 chat",
                         "to 10: presence available capacity=1 active=0",
                         "to 10: offer c-4 fi home=091 tier=own-point expires=+20s",
                         "to 10: presence available capacity=1 active=1",
                         "to 4: started c-4 request=r-4 fi home=091 tier=own-point advisor=Aino "
                         "point=091-virka (Virka Info)",
                         "to 10: started c-4 request= fi home=091 tier=own-point advisor=Aino "
                         "point=091-virka (Virka Info)",
                         "to 10: presence available capacity=1 active=1"});
}

TEST_CASE("an advisor does not ask for an advisor", "[core][presence]") {
    SwitchboardFixture f;
    f.available_advisor(10, aino());
    CHECK(text(f.board.client_request(10, "r-1", "fi", "091")) ==
          Lines{"to 10: error not_allowed ref=r-1"});
}
