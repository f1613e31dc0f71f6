#include "switchboard_fixture.hpp"

#include <catch2/catch.hpp>

using namespace neuvo::core;
using namespace neuvo::core::testing;

TEST_CASE("waiting clients learn their place and how many advisors speak the language",
          "[core][queue]") {
    SwitchboardFixture f;
    CHECK(text(f.client(1, "ar", "091"))[0] ==
          "to 1: queued r-1 ar position=1 advisors=0 wait=none");
    // Signed in anywhere, in any presence: Oona is away and could not serve Helsinki anyway.
    CHECK(text(f.board.advisor_connected(10, oona())) ==
          Lines{"to 10: presence away capacity=3 active=0",
                "to 1: queued r-1 ar position=1 advisors=1 wait=600"});
    CHECK(text(f.client(2, "ar", "091")) ==
          Lines{"to 2: queued r-2 ar position=2 advisors=1 wait=600"});
    // No Arabic: the Arabic line hears nothing.
    CHECK(text(f.board.advisor_connected(11, elias())) ==
          Lines{"to 11: presence away capacity=3 active=0"});
    CHECK(text(f.client(3, "ar", "091")) ==
          Lines{"to 3: queued r-3 ar position=3 advisors=1 wait=600"});
    // Lines are per language.
    CHECK(text(f.client(4, "fi", "091")) ==
          Lines{"to 4: queued r-4 fi position=1 advisors=1 wait=600"});
    CHECK(f.board.queue_length("ar") == 3);
    CHECK(f.board.queue_length("fi") == 1);
    CHECK(f.board.queue_length("zh") == 0);
}

TEST_CASE("when someone ahead leaves, those behind move up and are told", "[core][queue]") {
    SwitchboardFixture f;
    f.client(1, "ar", "091");
    f.client(2, "ar", "091");
    f.client(3, "ar", "091");
    f.client(4, "ar", "091");
    f.clock.advance(90s);

    CHECK(text(f.board.disconnected(2)) ==
          Lines{"visit unserved point= advisor_point= chat ar home=091 tier= "
                "hour=2026-11-25T14:00:00 wait=90 duration=0 ended_by=client_left_queue",
                "to 3: queued r-3 ar position=2 advisors=0 wait=none",
                "to 4: queued r-4 ar position=3 advisors=0 wait=none"});
    CHECK(f.board.queue_length("ar") == 3);
    // The last one leaving moves nobody.
    CHECK(text(f.board.disconnected(4)).size() == 1);
    CHECK(f.board.queue_length("ar") == 2);
}

TEST_CASE("a freed advisor takes waiting clients first come, first served", "[core][queue]") {
    SwitchboardFixture f;
    f.board.advisor_connected(10, aino());
    f.client(1, "ar", "091");
    f.client(2, "ar", "049");
    f.client(3, "ar", "092");

    // Capacity 1 instead of the default 3: the estimates double and triple.
    CHECK(text(f.accepting(f.board.set_presence(10, Presence::available, 1, "p-1"))) ==
          Lines{"to 10: presence available capacity=1 active=0",
                "to 10: offer c-1 ar home=091 tier=own-point expires=+20s",
                "to 10: presence available capacity=1 active=1",
                "to 2: queued r-2 ar position=2 advisors=1 wait=1200",
                "to 3: queued r-3 ar position=3 advisors=1 wait=1800",
                "to 1: started c-1 request=r-1 ar home=091 tier=own-point advisor=Aino "
                "point=091-virka (Virka Info)",
                "to 10: started c-1 request= ar home=091 tier=own-point advisor=Aino "
                "point=091-virka (Virka Info)",
                "to 10: presence available capacity=1 active=1",
                "to 2: queued r-2 ar position=1 advisors=1 wait=600",
                "to 3: queued r-3 ar position=2 advisors=1 wait=1200"});

    f.clock.advance(5min);
    CHECK(text(f.accepting(f.board.end_conversation(10, "c-1", "e-1"))) ==
          Lines{"to 1: ended c-1 seq=1 reason=advisor", "to 10: ended c-1 seq=1 reason=advisor",
                "to 10: wrapup due c-1 ar home=091 chat",
                "to 10: presence available capacity=1 active=0",
                "to 10: offer c-2 ar home=049 tier=region expires=+320s",
                "to 10: presence available capacity=1 active=1",
                // The first conversation took 300 s: the estimates follow.
                "to 2: queued r-2 ar position=1 advisors=1 wait=300",
                "to 3: queued r-3 ar position=2 advisors=1 wait=600",
                "to 2: started c-2 request=r-2 ar home=049 tier=region advisor=Aino "
                "point=091-virka (Virka Info)",
                "to 10: started c-2 request= ar home=049 tier=region advisor=Aino "
                "point=091-virka (Virka Info)",
                "to 10: presence available capacity=1 active=1",
                "to 3: queued r-3 ar position=1 advisors=1 wait=300"});
}

TEST_CASE("raising capacity takes as many waiting clients as fit, in order", "[core][queue]") {
    SwitchboardFixture f;
    f.available_advisor(10, aino(), 1);
    f.client(1, "fi", "091");
    f.client(2, "fi", "091");
    f.client(3, "fi", "091");
    f.client(4, "fi", "091");

    CHECK(text(f.accepting(f.board.set_presence(10, Presence::available, 3, "p-2"))) ==
          Lines{"to 10: presence available capacity=3 active=1",
                "to 10: offer c-2 fi home=091 tier=own-point expires=+20s",
                "to 10: presence available capacity=3 active=2",
                "to 10: offer c-3 fi home=091 tier=own-point expires=+20s",
                "to 10: presence available capacity=3 active=3",
                // Three times the capacity: everyone is in the first round.
                "to 3: queued r-3 fi position=2 advisors=1 wait=600",
                "to 4: queued r-4 fi position=3 advisors=1 wait=600",
                "to 2: started c-2 request=r-2 fi home=091 tier=own-point advisor=Aino "
                "point=091-virka (Virka Info)",
                "to 10: started c-2 request= fi home=091 tier=own-point advisor=Aino "
                "point=091-virka (Virka Info)",
                "to 10: presence available capacity=3 active=3",
                "to 3: queued r-3 fi position=1 advisors=1 wait=600",
                "to 4: queued r-4 fi position=2 advisors=1 wait=600",
                "to 3: started c-3 request=r-3 fi home=091 tier=own-point advisor=Aino "
                "point=091-virka (Virka Info)",
                "to 10: started c-3 request= fi home=091 tier=own-point advisor=Aino "
                "point=091-virka (Virka Info)",
                "to 10: presence available capacity=3 active=3",
                "to 4: queued r-4 fi position=1 advisors=1 wait=600"});
}

TEST_CASE("across its languages an advisor takes the client who has waited longest",
          "[core][queue]") {
    SwitchboardFixture f;
    f.board.advisor_connected(10, aino()); // fi, ar, en
    f.client(1, "ar", "091");
    f.clock.advance(5s);
    f.client(2, "fi", "091");
    f.clock.advance(5s);
    f.client(3, "ar", "091");

    auto first = text(f.board.set_presence(10, Presence::available, 1, "p-1"));
    REQUIRE(first.size() > 1);
    CHECK(first[1] == "to 10: offer c-1 ar home=091 tier=own-point expires=+30s");
    f.board.accept_offer(10, "c-1", "a-1");
    f.accepting(f.board.end_conversation(1, "c-1", "e-1"));
    CHECK(f.board.queue_length("fi") == 0); // the Finnish speaker waited longer than client 3
    f.accepting(f.board.end_conversation(2, "c-2", "e-2"));
    CHECK(f.board.queue_length("ar") == 0);
    CHECK(f.board.open_conversations() == 1);
}

TEST_CASE("a client the advisor may not serve keeps its place but does not block others",
          "[core][queue]") {
    SwitchboardFixture f;
    f.board.advisor_connected(10, aino());
    f.board.advisor_connected(11, tuomas());
    CHECK(text(f.client(1, "ar", "564")) ==
          Lines{"to 1: queued r-1 ar position=1 advisors=2 wait=600"});
    CHECK(text(f.client(2, "ar", "049")) ==
          Lines{"to 2: queued r-2 ar position=2 advisors=2 wait=600"});
    CHECK(text(f.client(3, "ar", "092")) ==
          Lines{"to 3: queued r-3 ar position=3 advisors=2 wait=600"});

    // Helsinki does not serve Oulu: Aino passes over client 1 and takes 2 and 3 in order.
    CHECK(text(f.accepting(f.board.set_presence(10, Presence::available, 2, "p-1"))) ==
          Lines{"to 10: presence available capacity=2 active=0",
                "to 10: offer c-1 ar home=049 tier=region expires=+20s",
                "to 10: presence available capacity=2 active=1",
                "to 10: offer c-2 ar home=092 tier=region expires=+20s",
                "to 10: presence available capacity=2 active=2",
                "to 2: started c-1 request=r-2 ar home=049 tier=region advisor=Aino "
                "point=091-virka (Virka Info)",
                "to 10: started c-1 request= ar home=049 tier=region advisor=Aino "
                "point=091-virka (Virka Info)",
                "to 10: presence available capacity=2 active=2",
                "to 3: queued r-3 ar position=2 advisors=2 wait=600",
                "to 3: started c-2 request=r-3 ar home=092 tier=region advisor=Aino "
                "point=091-virka (Virka Info)",
                "to 10: started c-2 request= ar home=092 tier=region advisor=Aino "
                "point=091-virka (Virka Info)",
                "to 10: presence available capacity=2 active=2"});
    CHECK(f.board.queue_length("ar") == 1);

    // A later Helsinki client queues behind the Oulu resident, who was first.
    CHECK(text(f.client(4, "ar", "091")) ==
          Lines{"to 4: queued r-4 ar position=2 advisors=2 wait=600"});

    // The national pool serves Oulu: the one first in line goes first.
    auto national = text(f.accepting(f.board.set_presence(11, Presence::available, 1, "p-2")));
    CHECK(national == Lines{"to 11: presence available capacity=1 active=0",
                            "to 11: offer c-3 ar home=564 tier=national expires=+20s",
                            "to 11: presence available capacity=1 active=1",
                            "to 1: started c-3 request=r-1 ar home=564 tier=national "
                            "advisor=Tuomas point=853-infotori (Infotori)",
                            "to 11: started c-3 request= ar home=564 tier=national "
                            "advisor=Tuomas point=853-infotori (Infotori)",
                            "to 11: presence available capacity=1 active=1",
                            "to 4: queued r-4 ar position=1 advisors=2 wait=600"});
}

TEST_CASE("a freed seat goes to the longest-waiting eligible client, not the best tier",
          "[core][queue]") {
    SwitchboardFixture f;
    f.available_advisor(10, tuomas(), 1);
    f.client(1, "fi", "853"); // takes Tuomas
    f.client(2, "fi", "564"); // national for Tuomas
    f.client(3, "fi", "853"); // own point for Tuomas, but came later
    f.accepting(f.board.end_conversation(1, "c-1", "e-1"));
    CHECK(f.board.queue_length("fi") == 1);
    CHECK(text(f.accepting(f.board.end_conversation(10, "c-2", "e-2")))[6] ==
          "to 3: started c-3 request=r-3 fi home=853 tier=own-point advisor=Tuomas "
          "point=853-infotori (Infotori)");
}
