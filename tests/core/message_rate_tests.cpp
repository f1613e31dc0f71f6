// Each sender's budget of messages: a burst, then a steady rate. Over it a message is refused
// with the time to wait, neither delivered nor numbered, and the same message sent again after
// the wait is taken as if it were the first time.
#include "switchboard_fixture.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace neuvo::core;
using namespace neuvo::core::testing;
using namespace std::chrono_literals;

namespace {

// Three at once, then one every ten seconds.
Policy three_then_six_a_minute() {
    Policy policy;
    policy.messages_per_minute = 6;
    policy.message_burst = 3;
    return policy;
}

// Aino (10, capacity 2) talks with client 1 in c-1 and client 2 in c-2; Hanna (12) is signed in.
struct RateFixture : SwitchboardFixture {
    RateFixture() : SwitchboardFixture(demo_network(), three_then_six_a_minute()) {
        available_advisor(10, aino(), 2);
        client(1, "fi", "091");
        client(2, "fi", "091");
        board.advisor_connected(12, hanna());
    }

    Lines send(SessionId from, const std::string& conversation, const std::string& id) {
        return text(board.post_message(from, conversation, id, "viesti " + id));
    }
};

// An anonymous client's connection from this network address.
Requester from_address(std::string address) {
    Requester requester;
    requester.address = std::move(address);
    return requester;
}

} // namespace

TEST_CASE("a client's burst passes; the next message waits, and goes through unchanged after it",
          "[core][rate]") {
    RateFixture f;
    for (int i = 1; i <= 3; ++i) {
        const std::string id = "m-" + std::to_string(i);
        CHECK(f.send(1, "c-1", id) ==
              Lines{"to 10: message c-1 seq=" + std::to_string(i) + " id=" + id +
                        " from=client author= text=viesti " + id + " at=+0s",
                    "to 1: accepted " + id + " c-1 seq=" + std::to_string(i)});
    }
    // Refused, not delivered, not numbered.
    CHECK(f.send(1, "c-1", "m-4") == Lines{"to 1: error rate_limited ref=m-4 retry=10000ms"});
    // The advisor's budget is the advisor's own: the conversation goes on, numbered on.
    CHECK(f.send(10, "c-1", "a-1")[1] == "to 10: accepted a-1 c-1 seq=4");
    // Resending what the server has costs nothing, also with the budget spent.
    CHECK(f.send(1, "c-1", "m-2") == Lines{"to 1: accepted m-2 c-1 seq=2 duplicate"});

    f.clock.advance(9s);
    CHECK(f.send(1, "c-1", "m-4") == Lines{"to 1: error rate_limited ref=m-4 retry=1000ms"});
    f.clock.advance(1s);
    CHECK(f.send(1, "c-1", "m-4") ==
          Lines{"to 10: message c-1 seq=5 id=m-4 from=client author= text=viesti m-4 at=+10s",
                "to 1: accepted m-4 c-1 seq=5"});
    // One token came back and went; the next is another ten seconds away.
    CHECK(f.send(1, "c-1", "m-5") == Lines{"to 1: error rate_limited ref=m-5 retry=10000ms"});

    // A minute of quiet fills the bucket to the burst, and no more.
    f.clock.advance(60s);
    for (const char* id : {"m-5", "m-6", "m-7"}) {
        CHECK(f.send(1, "c-1", id).size() == 2);
    }
    CHECK(f.send(1, "c-1", "m-8") == Lines{"to 1: error rate_limited ref=m-8 retry=10000ms"});
}

TEST_CASE("bad messages are refused for what they are and take nothing from the budget",
          "[core][rate]") {
    RateFixture f;
    CHECK(text(f.board.post_message(1, "c-1", "m-1", "   ")) ==
          Lines{"to 1: error empty_message ref=m-1"});
    CHECK(text(f.board.post_message(1, "c-2", "m-1", "hei")) ==
          Lines{"to 1: error not_in_conversation ref=m-1"});
    for (int i = 1; i <= 3; ++i) {
        CHECK(f.send(1, "c-1", "m-" + std::to_string(i)).size() == 2);
    }
    // Over the budget a bad message is still told what is wrong with it.
    CHECK(text(f.board.post_message(1, "c-1", "m-4", "")) ==
          Lines{"to 1: error empty_message ref=m-4"});
    CHECK(f.send(1, "c-1", "m-4") == Lines{"to 1: error rate_limited ref=m-4 retry=10000ms"});
}

TEST_CASE("one flooding client does not touch another conversation", "[core][rate]") {
    RateFixture f;
    for (int i = 1; i <= 20; ++i) {
        f.send(1, "c-1", "flood-" + std::to_string(i));
    }
    CHECK(f.send(2, "c-2", "m-1") ==
          Lines{"to 10: message c-2 seq=1 id=m-1 from=client author= text=viesti m-1 at=+0s",
                "to 2: accepted m-1 c-2 seq=1"});
    CHECK(f.send(2, "c-2", "m-2")[1] == "to 2: accepted m-2 c-2 seq=2");
    CHECK(f.send(2, "c-2", "m-3")[1] == "to 2: accepted m-3 c-2 seq=3");
    // Of the flood three went through, numbered without gaps.
    CHECK(f.send(10, "c-1", "a-1")[1] == "to 10: accepted a-1 c-1 seq=4");
}

TEST_CASE("an advisor has one budget across conversations, consults and reconnections",
          "[core][rate]") {
    RateFixture f;
    CHECK(f.send(10, "c-1", "a-1").size() == 2);
    CHECK(f.send(10, "c-2", "a-2").size() == 2);
    f.board.open_consult(10, "q-1", hanna().id);
    CHECK(text(f.board.post_consult_message(10, "c-q1", "qm-1", "Kysyisin")) ==
          Lines{"to 12: consult c-q1 message seq=1 id=qm-1 author=Aino text=Kysyisin",
                "to 10: accepted qm-1 consult c-q1 seq=1"});
    CHECK(text(f.board.post_consult_message(10, "c-q1", "qm-2", "vielä")) ==
          Lines{"to 10: error rate_limited ref=qm-2 retry=10000ms"});
    CHECK(f.send(10, "c-2", "a-3") == Lines{"to 10: error rate_limited ref=a-3 retry=10000ms"});
    // The colleague's budget is untouched.
    CHECK(text(f.board.post_consult_message(12, "c-q1", "qm-1", "Kysy vain")).size() == 2);

    // A new socket does not refill it.
    f.board.disconnected(10);
    f.board.advisor_connected(20, aino());
    CHECK(f.send(20, "c-2", "a-3") == Lines{"to 20: error rate_limited ref=a-3 retry=10000ms"});
    f.clock.advance(10s);
    CHECK(f.send(20, "c-2", "a-3")[1] == "to 20: accepted a-3 c-2 seq=2");
}

TEST_CASE("typing is dropped while the sender's budget is spent, and takes nothing from it",
          "[core][rate]") {
    RateFixture f;
    for (int i = 0; i < 5; ++i) {
        CHECK(text(f.board.typing(1, "c-1")) == Lines{"to 10: typing c-1 from=client"});
        f.clock.advance(2s);
    }
    for (int i = 1; i <= 3; ++i) {
        CHECK(f.send(1, "c-1", "m-" + std::to_string(i)).size() == 2);
    }
    f.clock.advance(2s);
    CHECK(text(f.board.typing(1, "c-1")).empty());
    // The typing interval still applies once the budget is back.
    f.clock.advance(8s);
    CHECK(text(f.board.typing(1, "c-1")) == Lines{"to 10: typing c-1 from=client"});
    CHECK(text(f.board.typing(1, "c-1")).empty());
}

TEST_CASE("wrong join codes from one address are refused for a while, right ones included",
          "[core][rate][language-support]") {
    SwitchboardFixture f;
    f.available_advisor(10, veera(), 2);
    f.board.client_connected(
        1, Requester{.channel = "language-support", .organisation = "Kela", .default_home = "091"});
    f.accepting(f.board.client_request(1, "r-1", "so", ""));
    f.board.issue_customer_code(1, "c-1", "ABCD2345", "cc-1");

    const Requester library = from_address("198.51.100.7");
    f.board.client_connected(2, library);
    for (int i = 1; i <= 5; ++i) {
        const std::string ref = "j-" + std::to_string(i);
        CHECK(text(f.board.join_with_code(2, "WRONG00" + std::to_string(i), ref)) ==
              Lines{"to 2: error unknown_code ref=" + ref});
    }
    // The right code is not even looked at now, nor from another connection of that address.
    CHECK(text(f.board.join_with_code(2, "ABCD2345", "j-6")) ==
          Lines{"to 2: error too_many_attempts ref=j-6 retry=60000ms"});
    f.board.client_connected(3, library);
    CHECK(text(f.board.join_with_code(3, "ABCD2345", "j-1")) ==
          Lines{"to 3: error too_many_attempts ref=j-1 retry=60000ms"});
    // Another address is not held up.
    f.board.client_connected(4, from_address("203.0.113.9"));
    CHECK(text(f.board.join_with_code(4, "WRONG111", "j-1")) ==
          Lines{"to 4: error unknown_code ref=j-1"});
    // The code itself was not spent by the refusals.
    f.clock.advance(60s);
    CHECK(
        text(f.board.join_with_code(3, "abcd2345", "j-2")).back().starts_with("to 3: started c-1"));

    SECTION("without an address, each connection counts on its own") {
        f.board.client_connected(5);
        f.board.client_connected(6);
        for (int i = 0; i < 5; ++i) {
            f.board.join_with_code(5, "WRONG222", "j");
        }
        CHECK(text(f.board.join_with_code(5, "WRONG222", "j")) ==
              Lines{"to 5: error too_many_attempts ref=j retry=60000ms"});
        CHECK(text(f.board.join_with_code(6, "WRONG222", "j")) ==
              Lines{"to 6: error unknown_code ref=j"});
    }
}
