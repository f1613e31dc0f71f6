// "Aino is typing...": passed on to the other participants of a conversation only, never
// numbered or kept, and at most once per sender every policy.typing_interval.
#include "switchboard_fixture.hpp"

#include <catch2/catch.hpp>

using namespace neuvo::core;
using namespace neuvo::core::testing;
using namespace std::chrono_literals;

namespace {

// Aino (session 10) talks with client 1 in c-1, Veera (11) with client 2 in c-2; Hanna (12) is
// signed in and away, to be invited.
struct TypingFixture : SwitchboardFixture {
    TypingFixture() {
        available_advisor(10, aino(), 1);
        available_advisor(11, veera(), 1);
        client(1, "fi", "091");
        client(2, "fi", "092");
        auto_accept = false;
        board.advisor_connected(12, hanna());
    }

    void hanna_invited() {
        board.invite(10, "c-1", hanna().id, "", "i-1");
        board.accept_offer(12, "c-1", "a-1");
    }
};

Requester kela() {
    return Requester{
        .channel = "language-support", .organisation = "Kela, Itäkeskus", .default_home = "091"};
}

} // namespace

TEST_CASE("typing reaches the other side only, with the advisor's name for the client",
          "[core][typing]") {
    TypingFixture f;
    CHECK(text(f.board.typing(1, "c-1")) == Lines{"to 10: typing c-1 from=client"});
    CHECK(text(f.board.typing(10, "c-1")) == Lines{"to 1: typing c-1 from=advisor name=Aino"});
    // Not an event of the conversation: the next message still gets the first number.
    CHECK(text(f.board.post_message(1, "c-1", "m-1", "Hei"))[1] == "to 1: accepted m-1 c-1 seq=1");
    // Acknowledging is about numbered events only.
    CHECK(text(f.board.acknowledge(10, "c-1", 2)) == Lines{"to 10: error invalid_field ref="});
}

TEST_CASE("the client's typing reaches every advisor of the conversation, invited ones too",
          "[core][typing]") {
    TypingFixture f;
    f.hanna_invited();
    CHECK(text(f.board.typing(1, "c-1")) ==
          Lines{"to 10: typing c-1 from=client", "to 12: typing c-1 from=client"});
    CHECK(text(f.board.typing(12, "c-1")) == Lines{"to 1: typing c-1 from=advisor name=Hanna",
                                                   "to 10: typing c-1 from=advisor "
                                                   "name=Hanna"});

    SECTION("an advisor whose connection dropped is not told") {
        f.board.disconnected(10);
        f.clock.advance(2s);
        CHECK(text(f.board.typing(1, "c-1")) == Lines{"to 12: typing c-1 from=client"});
    }
    SECTION("an advisor who left the conversation is not told") {
        f.board.leave(12, "c-1", "l-1");
        f.clock.advance(2s);
        CHECK(text(f.board.typing(1, "c-1")) == Lines{"to 10: typing c-1 from=client"});
        CHECK(text(f.board.typing(12, "c-1")) == Lines{"to 12: error not_in_conversation ref="});
    }
}

TEST_CASE("typing outside one's own conversation is refused without saying whether it exists",
          "[core][typing]") {
    TypingFixture f;
    CHECK(text(f.board.typing(2, "c-1")) == Lines{"to 2: error not_in_conversation ref="});
    CHECK(text(f.board.typing(2, "c-99")) == Lines{"to 2: error not_in_conversation ref="});
    CHECK(text(f.board.typing(11, "c-1")) == Lines{"to 11: error not_in_conversation ref="});
    CHECK(text(f.board.typing(12, "c-1")) == Lines{"to 12: error not_in_conversation ref="});
    // A client who only waits has no conversation to type in.
    f.board.client_connected(3);
    f.board.client_request(3, "r-3", "fi", "091");
    CHECK(text(f.board.typing(3, "c-3")) == Lines{"to 3: error not_in_conversation ref="});
    // A session the switchboard does not know is no participant of anything.
    CHECK(text(f.board.typing(999, "c-1")) == Lines{"to 999: error not_allowed ref="});
}

TEST_CASE("typing in an ended conversation is refused", "[core][typing]") {
    TypingFixture f;
    f.board.end_conversation(1, "c-1", "e-1");
    CHECK(text(f.board.typing(1, "c-1")) == Lines{"to 1: error not_in_conversation ref="});
    CHECK(text(f.board.typing(10, "c-1")) == Lines{"to 10: error not_in_conversation ref="});
}

TEST_CASE("a flood of typing is passed on once per sender every two seconds", "[core][typing]") {
    TypingFixture f;
    f.hanna_invited();
    CHECK(text(f.board.typing(1, "c-1")).size() == 2);
    for (int i = 0; i < 20; ++i) {
        CHECK(f.board.typing(1, "c-1").empty());
    }
    f.clock.advance(1999ms);
    CHECK(f.board.typing(1, "c-1").empty());
    // Each sender and each conversation counts on its own.
    CHECK(text(f.board.typing(10, "c-1")) == Lines{"to 1: typing c-1 from=advisor name=Aino",
                                                   "to 12: typing c-1 from=advisor name=Aino"});
    CHECK(text(f.board.typing(2, "c-2")) == Lines{"to 11: typing c-2 from=client"});
    f.clock.advance(1ms);
    CHECK(text(f.board.typing(1, "c-1")) ==
          Lines{"to 10: typing c-1 from=client", "to 12: typing c-1 from=client"});
    CHECK(f.board.typing(10, "c-1").empty());
    f.clock.advance(2s);
    CHECK(text(f.board.typing(10, "c-1")).size() == 2);
}

TEST_CASE("the rate limit follows the policy", "[core][typing]") {
    SwitchboardFixture f(demo_network(), Policy{.typing_interval = 5s});
    f.available_advisor(10, aino(), 1);
    f.client(1, "fi", "091");
    CHECK(text(f.board.typing(1, "c-1")) == Lines{"to 10: typing c-1 from=client"});
    f.clock.advance(4s);
    CHECK(f.board.typing(1, "c-1").empty());
    f.clock.advance(1s);
    CHECK(text(f.board.typing(1, "c-1")) == Lines{"to 10: typing c-1 from=client"});
}

TEST_CASE("the clerk and a customer at a kiosk type for the client side", "[core][typing]") {
    SwitchboardFixture f;
    f.available_advisor(10, veera(), 2);
    f.board.client_connected(1, kela());
    f.accepting(f.board.client_request(1, "r-1", "so", ""));
    f.board.issue_customer_code(1, "c-1", "ABCD2345", "cc-1");
    f.board.client_connected(2);
    f.board.join_with_code(2, "ABCD2345", "j-1");

    CHECK(text(f.board.typing(1, "c-1")) ==
          Lines{"to 2: typing c-1 from=client", "to 10: typing c-1 from=client"});
    CHECK(text(f.board.typing(2, "c-1")) ==
          Lines{"to 1: typing c-1 from=client", "to 10: typing c-1 from=client"});
    CHECK(text(f.board.typing(10, "c-1")) == Lines{"to 1: typing c-1 from=advisor name=Veera",
                                                   "to 2: typing c-1 from=advisor name=Veera"});
}
