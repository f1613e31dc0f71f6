#include "switchboard_fixture.hpp"

#include <catch2/catch.hpp>

using namespace neuvo::core;
using namespace neuvo::core::testing;

TEST_CASE("a language outside the network is refused and changes nothing", "[core][request]") {
    SwitchboardFixture f;
    CHECK(text(f.client(1, "xx", "049")) == Lines{"to 1: error unknown_language ref=r-1"});
    CHECK(text(f.client(2, "", "049")) == Lines{"to 2: error unknown_language ref=r-2"});
    CHECK(f.board.queue_length("xx") == 0);
    // The refused request left no trace: the client may ask again.
    CHECK(text(f.board.client_request(1, "r-9", "fi", "049")) ==
          Lines{"to 1: queued r-9 fi position=1 advisors=0 wait=none",
                "to 1: alternatives r-9 fi reason=nobody_signed_in next=none others="});
}

TEST_CASE("a home outside the list is refused unless it is other, abroad or unknown",
          "[core][request]") {
    SwitchboardFixture f;
    CHECK(text(f.client(1, "fi", "999")) == Lines{"to 1: error unknown_municipality ref=r-1"});
    CHECK(text(f.client(2, "fi", "Abroad")) == Lines{"to 2: error unknown_municipality ref=r-2"});
    CHECK(text(f.client(3, "fi", "Espoo")) == Lines{"to 3: error unknown_municipality ref=r-3"});
    CHECK(f.board.queue_length("fi") == 0);
    CHECK(text(f.client(4, "fi", "other"))[0] ==
          "to 4: queued r-4 fi position=1 advisors=0 wait=none");
    CHECK(text(f.client(5, "fi", "unknown"))[0] ==
          "to 5: queued r-5 fi position=2 advisors=0 wait=none");
    CHECK(text(f.client(6, "fi", ""))[0] == "to 6: queued r-6 fi position=3 advisors=0 wait=none");
    CHECK(text(f.client(7, "fi", "abroad"))[0] ==
          "to 7: queued r-7 fi position=4 advisors=0 wait=none");
}

TEST_CASE("a client asks for one advisor at a time", "[core][request]") {
    SwitchboardFixture f;
    f.client(1, "fi", "049");
    CHECK(text(f.board.client_request(1, "r-again", "ar", "049")) ==
          Lines{"to 1: error already_requested ref=r-again"});
    CHECK(f.board.queue_length("fi") == 1);
    CHECK(f.board.queue_length("ar") == 0);

    f.available_advisor(10, elias());
    REQUIRE(f.board.open_conversations() == 1);
    CHECK(text(f.board.client_request(1, "r-third", "fi", "049")) ==
          Lines{"to 1: error already_requested ref=r-third"});
    CHECK(f.board.open_conversations() == 1);
    CHECK(f.board.queue_length("fi") == 0);
}

TEST_CASE("a client may ask again once the conversation has ended", "[core][request]") {
    SwitchboardFixture f;
    f.available_advisor(10, elias());
    f.client(1, "fi", "049");
    f.board.end_conversation(1, "c-1", "e-1");
    CHECK(text(f.accepting(f.board.client_request(1, "r-new", "en", "049")))[3] ==
          "to 1: started c-2 request=r-new en home=049 tier=own-point advisor=Elias "
          "point=049-inespoo (In Espoo)");
}

TEST_CASE("only client sessions request advisors", "[core][request]") {
    SwitchboardFixture f;
    f.board.advisor_connected(10, elias());
    CHECK(text(f.board.client_request(10, "r-1", "fi", "049")) ==
          Lines{"to 10: error not_allowed ref=r-1"});
    // A session the shell never announced is not a client either.
    CHECK(text(f.board.client_request(77, "r-2", "fi", "049")) ==
          Lines{"to 77: error not_allowed ref=r-2"});
    CHECK(f.board.queue_length("fi") == 0);
    CHECK(f.board.open_conversations() == 0);
}

TEST_CASE("a client announced twice is still one client", "[core][request]") {
    SwitchboardFixture f;
    f.client(1, "fi", "049");
    f.board.client_connected(1);
    CHECK(f.board.queue_length("fi") == 1);
    CHECK(text(f.board.client_request(1, "r-x", "fi", "049")) ==
          Lines{"to 1: error already_requested ref=r-x"});
}
