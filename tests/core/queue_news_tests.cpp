#include "switchboard_fixture.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace neuvo::core;
using namespace neuvo::core::testing;

// How often a waiting client hears of its place (Policy::queue_news_interval, one second by
// default): the first Queued of a wait at once, later ones no closer together than the
// interval, and what changed within it, only the latest, when it has passed.

namespace {

// Only the Queued lines: the rest of each event is tested elsewhere.
Lines queued_only(Lines lines) {
    lines.erase(std::remove_if(lines.begin(), lines.end(),
                               [](const std::string& line) {
                                   return line.find(": queued ") == std::string::npos;
                               }),
                lines.end());
    return lines;
}

Lines queued_only(const Effects& effects) {
    return queued_only(text(effects));
}

struct NewsFixture : SwitchboardFixture {
    NewsFixture() : SwitchboardFixture(demo_network(), Policy{}) {
        board.advisor_connected(10, aino()); // away: the clients wait
        for (SessionId client = 1; client <= 4; ++client) {
            this->client(client, "fi", "091");
        }
    }
};

} // namespace

TEST_CASE("moves within the interval are told once it has passed, only the latest",
          "[core][queue][news]") {
    NewsFixture f;
    REQUIRE(Policy{}.queue_news_interval == 1s);
    const TimePoint told = f.clock.now();
    // The line moves twice while its clients were told a moment ago: nothing yet.
    CHECK(queued_only(f.board.cancel_request(1, "r-1", "x-1")).empty());
    CHECK(queued_only(f.board.cancel_request(2, "r-2", "x-2")).empty());
    REQUIRE(f.board.next_deadline() == told + 1s);
    // Someone new hears of its place at once, held news or not.
    CHECK(text(f.client(5, "fi", "091")) ==
          Lines{"to 5: queued r-5 fi position=3 advisors=1 wait=600"});

    f.clock.advance(999ms);
    CHECK(queued_only(f.board.tick()).empty());
    f.clock.advance(1ms);
    CHECK(text(f.board.tick()) == Lines{"to 3: queued r-3 fi position=1 advisors=1 wait=600",
                                        "to 4: queued r-4 fi position=2 advisors=1 wait=600"});
    CHECK(f.board.tick().empty());

    // Once the interval has passed since the last news, the next move is told at once.
    f.clock.advance(1s);
    CHECK(queued_only(f.board.cancel_request(3, "r-3", "x-3")) ==
          Lines{"to 4: queued r-4 fi position=1 advisors=1 wait=600",
                "to 5: queued r-5 fi position=2 advisors=1 wait=600"});
}

TEST_CASE("a client served while its news is held hears no more of the queue",
          "[core][queue][news]") {
    NewsFixture f;
    CHECK(queued_only(f.board.cancel_request(1, "r-1", "x-1")).empty());
    // The advisor takes the client now first in line, who was last told it was second.
    const Lines served = text(f.accepting(f.board.set_presence(10, Presence::available, 1, "p")));
    CHECK(std::count(served.begin(), served.end(),
                     "to 2: started c-1 request=r-2 fi home=091 tier=own-point advisor=Aino "
                     "point=091-virka (Virka Info)") == 1);
    CHECK(queued_only(served).empty());
    f.clock.advance(1s);
    // Clients 3 and 4, still waiting, hear where they are (with one seat now: twice the wait for
    // the second); client 2 hears nothing of it.
    CHECK(text(f.board.tick()) == Lines{"to 3: queued r-3 fi position=1 advisors=1 wait=600",
                                        "to 4: queued r-4 fi position=2 advisors=1 wait=1200"});
}

TEST_CASE("with no interval every move is told at once", "[core][queue][news]") {
    SwitchboardFixture f(demo_network(), every_change_told());
    f.board.advisor_connected(10, aino());
    f.client(1, "fi", "091");
    f.client(2, "fi", "091");
    CHECK(queued_only(f.board.cancel_request(1, "r-1", "x-1")) ==
          Lines{"to 2: queued r-2 fi position=1 advisors=1 wait=600"});
    CHECK_FALSE(f.board.next_deadline() == f.clock.now() + Policy{}.queue_news_interval);
}
