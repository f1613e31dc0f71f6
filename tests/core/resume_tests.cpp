#include "switchboard_fixture.hpp"

#include <catch2/catch.hpp>

using namespace neuvo::core;
using namespace neuvo::core::testing;

namespace {

// A client whose connection carries a resume token, as every connection from the shell does.
struct ResumeFixture : SwitchboardFixture {
    using SwitchboardFixture::SwitchboardFixture;

    Effects resumable_client(SessionId session, const std::string& language,
                             const std::string& home) {
        board.client_connected(session, {}, "token-" + std::to_string(session));
        return maybe_accepting(
            board.client_request(session, "r-" + std::to_string(session), language, home));
    }

    // A new connection of the client, presenting `token`.
    Effects reconnect(SessionId connection, const std::string& token, std::uint64_t last_seq) {
        board.client_connected(connection, {}, "token-" + std::to_string(connection));
        return board.resume_client(connection, token, last_seq, "s-" + std::to_string(connection));
    }
};

// Aino serves client 1 in Finnish (conversation c-1); the client has seen seq 1 and 2.
struct TalkingFixture : ResumeFixture {
    TalkingFixture() {
        available_advisor(10, aino(), 2);
        resumable_client(1, "fi", "091");
        board.post_message(10, "c-1", "a-1", "Hei!");
        board.post_message(1, "c-1", "m-1", "Minulla on kirje Kelalta.");
        board.acknowledge(1, "c-1", 1);
    }
};

} // namespace

TEST_CASE("a client whose connection drops keeps its conversation, and the advisor hears it is "
          "reconnecting",
          "[core][resume]") {
    TalkingFixture f;
    CHECK(text(f.board.disconnected(1)) == Lines{"to 10: client reconnecting c-1"});
    CHECK(f.board.open_conversations() == 1);
    CHECK(f.board.next_deadline() == f.clock.now() + 120s);
    // The advisor writes on; the client's copy waits for it.
    CHECK(text(f.board.post_message(10, "c-1", "a-2", "Näytä kirje.")) ==
          Lines{"to 1: message c-1 seq=3 id=a-2 from=advisor author=Aino text=Näytä kirje. at=+0s",
                "to 10: accepted a-2 c-1 seq=3"});
}

TEST_CASE("a resumed client gets exactly what it missed, in order, and the advisor hears it is "
          "back",
          "[core][resume]") {
    TalkingFixture f;
    f.board.disconnected(1);
    f.clock.advance(30s);
    f.board.post_message(10, "c-1", "a-2", "Näytä kirje.");
    f.board.post_message(10, "c-1", "a-3", "Onko se päätös?");
    f.clock.advance(30s);

    // The client had seq 1 and its own message, seq 2.
    CHECK(text(f.reconnect(5, "token-1", 2)) ==
          Lines{"socket 5 is now 1", "to 1: resumed conversation c-1 ref=s-5",
                "to 1: started c-1 request=r-1 fi home=091 tier=own-point advisor=Aino "
                "point=091-virka (Virka Info)",
                "to 1: message c-1 seq=3 id=a-2 from=advisor author=Aino text=Näytä kirje. "
                "at=+30s",
                "to 1: message c-1 seq=4 id=a-3 from=advisor author=Aino text=Onko se päätös? "
                "at=+30s",
                "to 10: client back c-1"});
    // The same session goes on: no grace deadline is left, the messages flow as before.
    CHECK(f.board.next_deadline() != f.clock.now() + 60s);
    CHECK(text(f.board.post_message(1, "c-1", "m-2", "On.")) ==
          Lines{"to 10: message c-1 seq=5 id=m-2 from=client author= text=On. at=+60s",
                "to 1: accepted m-2 c-1 seq=5"});
    // A resend of a message whose `accepted` was lost in the drop is recognised.
    CHECK(text(f.board.post_message(1, "c-1", "m-1", "Minulla on kirje Kelalta.")) ==
          Lines{"to 1: accepted m-1 c-1 seq=2 duplicate"});
}

TEST_CASE("what the client confirmed is not sent again, and a seq it says it has is skipped",
          "[core][resume]") {
    TalkingFixture f;
    f.board.post_message(10, "c-1", "a-2", "Näytä kirje.");
    f.board.acknowledge(1, "c-1", 3);
    f.board.post_message(10, "c-1", "a-3", "Onko se päätös?");
    f.board.post_message(10, "c-1", "a-4", "Luen sen.");
    f.board.disconnected(1);
    // It had seq 4 but its ack never arrived.
    const Lines resumed = text(f.reconnect(5, "token-1", 4));
    REQUIRE(resumed.size() == 5);
    CHECK(resumed[3] ==
          "to 1: message c-1 seq=5 id=a-4 from=advisor author=Aino text=Luen sen. at=+0s");
    CHECK(resumed[4] == "to 10: client back c-1");
}

TEST_CASE("a client not back within the window is gone: its conversation ends as if it had left",
          "[core][resume]") {
    TalkingFixture f;
    f.board.disconnected(1);
    f.clock.advance(119s);
    CHECK(f.board.tick().empty());
    f.clock.advance(1s);
    CHECK(text(f.board.tick()) == Lines{"to 10: ended c-1 seq=3 reason=client_disconnected",
                                        "to 10: wrapup due c-1 fi home=091 chat",
                                        "to 10: presence available capacity=2 active=0"});
    CHECK(f.board.open_conversations() == 0);
    // Too late: the token is spent, and the new connection is told so plainly.
    CHECK(text(f.reconnect(5, "token-1", 2)) == Lines{"to 5: error resume_expired ref=s-5"});
    // The new connection is a client like any other.
    f.accepting(f.board.client_request(5, "r-5", "fi", "091"));
    CHECK(f.board.open_conversations() == 1);
}

TEST_CASE("a waiting client whose connection drops keeps its place in the queue",
          "[core][resume]") {
    ResumeFixture f;
    f.resumable_client(1, "so", "092");
    f.resumable_client(2, "so", "091");
    CHECK(f.board.disconnected(1).empty());
    CHECK(f.board.queue_length("so") == 2);
    f.clock.advance(1min);
    CHECK(text(f.reconnect(5, "token-1", 0)) ==
          Lines{"socket 5 is now 1", "to 1: resumed waiting ref=s-5",
                "to 1: queued r-1 so position=1 advisors=0 wait=none"});

    // Not back in time: the request leaves the queue, an unserved visit, and the next moves up.
    f.board.disconnected(1);
    f.clock.advance(120s);
    CHECK(text(f.board.tick()) ==
          Lines{"visit unserved point= advisor_point= chat so home=092 tier= "
                "hour=2026-11-25T14:00:00 wait=180 duration=0 ended_by=client_left_queue",
                "to 2: queued r-2 so position=1 advisors=0 wait=none"});
}

TEST_CASE("a client whose conversation ended while it was away learns of the end and may still "
          "rate it",
          "[core][resume]") {
    TalkingFixture f;
    f.board.disconnected(1);
    f.board.post_message(10, "c-1", "a-2", "Hyvää päivänjatkoa!");
    f.board.end_conversation(10, "c-1", "e-1");
    CHECK(text(f.reconnect(5, "token-1", 2)) ==
          Lines{"socket 5 is now 1", "to 1: resumed ended c-1 ref=s-5",
                "to 1: message c-1 seq=3 id=a-2 from=advisor author=Aino text=Hyvää "
                "päivänjatkoa! at=+0s",
                "to 1: ended c-1 seq=4 reason=advisor"});
    // The end is confirmed after the conversation is gone; nothing is kept after that.
    CHECK(f.board.acknowledge(1, "c-1", 4).empty());
    CHECK(text(f.board.rate(1, "c-1", 5, "f-1")) == Lines{"to 1: rated c-1 ref=f-1"});
    // Rated, and everything confirmed: nothing is left to continue, so a drop ends it.
    CHECK(f.board.disconnected(1).empty());
    CHECK(text(f.reconnect(6, "token-1", 4)) == Lines{"to 6: error resume_expired ref=s-6"});
}

TEST_CASE("a session keeps its token through every resume; the resuming connection's own token "
          "is spent",
          "[core][resume]") {
    TalkingFixture f;
    f.board.disconnected(1);
    f.reconnect(5, "token-1", 2);
    // The answer was lost in another drop: the same token works again.
    f.board.disconnected(1);
    CHECK(text(f.reconnect(6, "token-1", 2)).at(0) == "socket 6 is now 1");
    f.board.disconnected(1);
    CHECK(text(f.reconnect(7, "token-5", 2)) == Lines{"to 7: error resume_expired ref=s-7"});
}

TEST_CASE("a resume while the old connection still looks alive takes the session over",
          "[core][resume]") {
    // A phone that changed cells comes back before the server noticed the old socket was dead.
    TalkingFixture f;
    CHECK(text(f.reconnect(5, "token-1", 2)) ==
          Lines{"socket 5 is now 1", "to 1: resumed conversation c-1 ref=s-5",
                "to 1: started c-1 request=r-1 fi home=091 tier=own-point advisor=Aino "
                "point=091-virka (Virka Info)"});
    // The advisor heard of no drop, so hears of no return either.
}

TEST_CASE("a client that leaves on purpose is not held", "[core][resume]") {
    TalkingFixture f;
    CHECK(text(f.board.signed_out(1)) == Lines{"to 10: ended c-1 seq=3 reason=client_disconnected",
                                               "to 10: wrapup due c-1 fi home=091 chat",
                                               "to 10: presence available capacity=2 active=0"});
    CHECK(text(f.reconnect(5, "token-1", 2)) == Lines{"to 5: error resume_expired ref=s-5"});
}

TEST_CASE("a client with nothing to continue is not held", "[core][resume]") {
    ResumeFixture f;
    f.board.client_connected(1, {}, "token-1");
    CHECK(f.board.disconnected(1).empty());
    CHECK(f.board.next_deadline() == std::nullopt);
    CHECK(text(f.reconnect(5, "token-1", 0)) == Lines{"to 5: error resume_expired ref=s-5"});
}

TEST_CASE("a client that missed more than is kept is not resumed into a conversation with holes",
          "[core][resume]") {
    Policy policy;
    policy.max_unconfirmed_events = 3;
    ResumeFixture f(demo_network(), policy);
    f.available_advisor(10, aino(), 2);
    f.resumable_client(1, "fi", "091");
    f.board.disconnected(1);
    for (int i = 1; i <= 5; ++i) {
        f.board.post_message(10, "c-1", "a-" + std::to_string(i), "viesti");
    }
    CHECK(text(f.reconnect(5, "token-1", 0)) ==
          Lines{"to 10: ended c-1 seq=6 reason=client_disconnected",
                "to 10: wrapup due c-1 fi home=091 chat",
                "to 10: presence available capacity=2 active=0",
                "to 5: error resume_expired ref=s-5"});
    CHECK(f.board.open_conversations() == 0);
}

TEST_CASE("bad resumes are refused and disturb nothing", "[core][resume]") {
    TalkingFixture f;
    f.board.disconnected(1);
    SECTION("an unknown or empty token") {
        CHECK(text(f.reconnect(5, "token-nope", 2)) == Lines{"to 5: error resume_expired ref=s-5"});
        CHECK(text(f.board.resume_client(5, "", 2, "s-x")) ==
              Lines{"to 5: error resume_expired ref=s-x"});
    }
    SECTION("its own token") {
        f.board.client_connected(5, {}, "token-5");
        CHECK(text(f.board.resume_client(5, "token-5", 0, "s-own")) ==
              Lines{"to 5: error resume_expired ref=s-own"});
    }
    SECTION("a connection that has already asked for an advisor") {
        f.resumable_client(5, "en", "091");
        CHECK(text(f.board.resume_client(5, "token-1", 2, "s-late")) ==
              Lines{"to 5: error already_requested ref=s-late"});
    }
    SECTION("an advisor") {
        CHECK(text(f.board.resume_client(10, "token-1", 2, "s-adv")) ==
              Lines{"to 10: error not_allowed ref=s-adv"});
    }
    // The held client can still come back.
    CHECK(text(f.reconnect(8, "token-1", 2)).at(0) == "socket 8 is now 1");
}

TEST_CASE("a clerk's customer whose kiosk drops is held too, and the clerk carries on",
          "[core][resume]") {
    ResumeFixture f;
    f.available_advisor(10, veera(), 2);
    Requester clerk{"language-support", "Kela, Itäkeskus", "091"};
    f.board.client_connected(1, clerk, "token-1");
    f.accepting(f.board.client_request(1, "r-1", "so", ""));
    f.board.issue_customer_code(1, "c-1", "KOODI123", "k-1");
    f.board.client_connected(2, {}, "token-2");
    f.board.join_with_code(2, "KOODI123", "j-1");
    // Nobody is told of the customer's drop: the clerk is still there.
    CHECK(f.board.disconnected(2).empty());
    const Lines message = text(f.board.post_message(10, "c-1", "a-1", "Salaan"));
    CHECK(message.size() == 3); // to the clerk, to the customer's kept copy, accepted
    const Lines resumed = text(f.reconnect(5, "token-2", 1));
    REQUIRE(resumed.size() == 4);
    CHECK(resumed[0] == "socket 5 is now 2");
    CHECK(resumed[1] == "to 2: resumed conversation c-1 ref=s-5");
    CHECK(resumed[3] == "to 2: message c-1 seq=2 id=a-1 from=advisor author=Veera text=Salaan "
                        "at=+0s");
}
