#include "switchboard_fixture.hpp"

#include <catch2/catch.hpp>

using namespace neuvo::core;
using namespace neuvo::core::testing;

namespace {

// Aino (session 10) talks with client 1 in conversation c-1; client 2 and advisor Veera (11) talk
// in c-2.
struct TwoConversations : SwitchboardFixture {
    TwoConversations() {
        available_advisor(10, aino(), 1);
        available_advisor(11, veera(), 1);
        client(1, "fi", "091");
        client(2, "fi", "092");
    }
};

} // namespace

TEST_CASE("messages are numbered per conversation and delivered to the other side",
          "[core][conversation]") {
    TwoConversations f;
    f.clock.advance(3s);
    CHECK(text(f.board.post_message(1, "c-1", "m-1", "Hei, minulla on kysymys.")) ==
          Lines{"to 10: message c-1 seq=1 id=m-1 from=client author= text=Hei, minulla on "
                "kysymys. at=+3s",
                "to 1: accepted m-1 c-1 seq=1"});
    f.clock.advance(2s);
    // The same id from the other side is another message.
    CHECK(text(f.board.post_message(10, "c-1", "m-1", "Hei! Kerro lisää.")) ==
          Lines{"to 1: message c-1 seq=2 id=m-1 from=advisor author=Aino text=Hei! Kerro lisää. "
                "at=+5s",
                "to 10: accepted m-1 c-1 seq=2"});
    // Another conversation counts on its own.
    CHECK(text(f.board.post_message(2, "c-2", "x", "Moi")) ==
          Lines{"to 11: message c-2 seq=1 id=x from=client author= text=Moi at=+5s",
                "to 2: accepted x c-2 seq=1"});
    CHECK(text(f.board.post_message(1, "c-1", "m-2", "Kiitos")) ==
          Lines{"to 10: message c-1 seq=3 id=m-2 from=client author= text=Kiitos at=+5s",
                "to 1: accepted m-2 c-1 seq=3"});
    // Ending takes the next number too.
    CHECK(text(f.board.end_conversation(1, "c-1", "e-1"))[0] ==
          "to 1: ended c-1 seq=4 reason=client");
}

TEST_CASE("a resent message is acknowledged again with its first seq and not delivered again",
          "[core][conversation]") {
    TwoConversations f;
    f.board.post_message(1, "c-1", "m-1", "Hei");
    f.board.post_message(10, "c-1", "a-1", "Hei!");
    CHECK(text(f.board.post_message(1, "c-1", "m-1", "Hei")) ==
          Lines{"to 1: accepted m-1 c-1 seq=1 duplicate"});
    CHECK(text(f.board.post_message(10, "c-1", "a-1", "Hei!")) ==
          Lines{"to 10: accepted a-1 c-1 seq=2 duplicate"});
    // Nothing was numbered for the duplicates.
    CHECK(text(f.board.post_message(1, "c-1", "m-2", "Toinen")) ==
          Lines{"to 10: message c-1 seq=3 id=m-2 from=client author= text=Toinen at=+0s",
                "to 1: accepted m-2 c-1 seq=3"});
}

TEST_CASE("a message outside one's own conversation is refused without saying whether it exists",
          "[core][conversation]") {
    TwoConversations f;
    CHECK(text(f.board.post_message(1, "c-2", "m-1", "Hei")) ==
          Lines{"to 1: error not_in_conversation ref=m-1"});
    CHECK(text(f.board.post_message(1, "c-99", "m-1", "Hei")) ==
          Lines{"to 1: error not_in_conversation ref=m-1"});
    CHECK(text(f.board.post_message(11, "c-1", "m-1", "Hei")) ==
          Lines{"to 11: error not_in_conversation ref=m-1"});
    CHECK(text(f.board.post_message(55, "c-1", "m-1", "Hei")) ==
          Lines{"to 55: error not_in_conversation ref=m-1"});
    // The refused attempts used no numbers and no ids.
    CHECK(text(f.board.post_message(1, "c-1", "m-1", "Hei")) ==
          Lines{"to 10: message c-1 seq=1 id=m-1 from=client author= text=Hei at=+0s",
                "to 1: accepted m-1 c-1 seq=1"});
}

TEST_CASE("a message needs an id and some text within the limit", "[core][conversation]") {
    TwoConversations f;
    CHECK(text(f.board.post_message(1, "c-1", "", "Hei")) ==
          Lines{"to 1: error missing_field ref="});
    for (const std::string blank :
         {"", " ", "  \t\r\n ", "\xC2\xA0", "\xE3\x80\x80 \xE3\x80\x80", "\xE2\x80\x8B"}) {
        CAPTURE(blank);
        CHECK(text(f.board.post_message(1, "c-1", "m-b", blank)) ==
              Lines{"to 1: error empty_message ref=m-b"});
    }
    const std::size_t limit = f.board.policy().max_text_bytes;
    REQUIRE(limit == 4000);
    CHECK(text(f.board.post_message(1, "c-1", "m-long", std::string(limit + 1, 'a'))) ==
          Lines{"to 1: error message_too_long ref=m-long"});
    // Bytes, not characters: 1334 Arabic letters of two bytes each are 2668 bytes, fine;
    // 2001 of them are 4002 bytes, too long.
    std::string arabic;
    for (int i = 0; i < 2001; ++i) {
        arabic += "\xD8\xA8";
    }
    CHECK(text(f.board.post_message(1, "c-1", "m-ar", arabic)) ==
          Lines{"to 1: error message_too_long ref=m-ar"});

    // Nothing above used a number or an id.
    auto exact = f.board.post_message(1, "c-1", "m-b", std::string(limit, 'a'));
    REQUIRE(exact.size() == 2);
    CHECK(text(exact)[1] == "to 1: accepted m-b c-1 seq=1");
    // Text with surrounding space is not blank.
    CHECK(text(f.board.post_message(1, "c-1", "m-s", " \xC2\xA0ok "))[1] ==
          "to 1: accepted m-s c-1 seq=2");
}

TEST_CASE("acknowledgements are silent and checked", "[core][conversation]") {
    TwoConversations f;
    f.board.post_message(1, "c-1", "m-1", "Hei");
    f.board.post_message(1, "c-1", "m-2", "Hei taas");
    CHECK(f.board.acknowledge(10, "c-1", 2).empty());
    CHECK(f.board.acknowledge(10, "c-1", 1).empty()); // late, out of order: harmless
    CHECK(f.board.acknowledge(1, "c-1", 0).empty());
    CHECK(text(f.board.acknowledge(10, "c-1", 3)) == Lines{"to 10: error invalid_field ref="});
    CHECK(text(f.board.acknowledge(2, "c-1", 1)) == Lines{"to 2: error not_in_conversation ref="});
    CHECK(text(f.board.acknowledge(10, "c-9", 1)) ==
          Lines{"to 10: error not_in_conversation ref="});
}

TEST_CASE("ending a conversation tells both sides and records the visit", "[core][conversation]") {
    SwitchboardFixture f;
    f.board.advisor_connected(10, aino());
    f.client(1, "ar", "049"); // requested at 14:03:07
    f.clock.advance(45s);     // Aino becomes available at 14:03:52
    f.accepting(f.board.set_presence(10, Presence::available, 2, "p-1"));
    f.board.post_message(1, "c-1", "m-1", "Hei");
    f.clock.advance(10min);

    CHECK(text(f.board.end_conversation(10, "c-1", "e-1")) ==
          Lines{"to 1: ended c-1 seq=2 reason=advisor", "to 10: ended c-1 seq=2 reason=advisor",
                "to 10: wrapup due c-1 ar home=049 chat",
                "to 10: presence available capacity=2 active=0"});
    CHECK(f.board.open_conversations() == 0);
    // The row is written with the advisor's wrap-up (wrapup_tests.cpp).
    CHECK(f.row_after_wrapup(10, "c-1") ==
          "visit served point=091-virka advisor_point=091-virka chat ar home=049 "
          "tier=region hour=2026-11-25T14:00:00 wait=45 duration=600 ended_by=advisor "
          "wrapup=saved");
    // It is gone for both.
    CHECK(text(f.board.post_message(1, "c-1", "m-2", "Hei?")) ==
          Lines{"to 1: error not_in_conversation ref=m-2"});
    CHECK(text(f.board.end_conversation(1, "c-1", "e-2")) ==
          Lines{"to 1: error not_in_conversation ref=e-2"});
    CHECK(text(f.board.end_conversation(10, "c-1", "e-3")) ==
          Lines{"to 10: error not_in_conversation ref=e-3"});
}

TEST_CASE("the visit's hour is the hour of the request, even when served in the next one",
          "[core][conversation]") {
    SwitchboardFixture f;
    f.clock.set(std::chrono::sys_days{std::chrono::year{2026} / 11 / 25} + 14h + 59min + 50s);
    f.board.advisor_connected(10, tuomas());
    f.client(1, "fi", "");
    f.clock.advance(20s);
    f.accepting(f.board.set_presence(10, Presence::available, std::nullopt, "p-1"));
    f.clock.advance(1500ms); // part of a second is not counted
    f.board.end_conversation(1, "c-1", "e-1");
    CHECK(f.row_after_wrapup(10, "c-1") ==
          "visit served point=853-infotori advisor_point=853-infotori chat fi home=unknown "
          "tier=national hour=2026-11-25T14:00:00 wait=20 duration=1 ended_by=client "
          "wrapup=saved");
}

TEST_CASE("only a participant ends a conversation", "[core][conversation]") {
    TwoConversations f;
    CHECK(text(f.board.end_conversation(2, "c-1", "e-1")) ==
          Lines{"to 2: error not_in_conversation ref=e-1"});
    CHECK(text(f.board.end_conversation(11, "c-1", "e-2")) ==
          Lines{"to 11: error not_in_conversation ref=e-2"});
    CHECK(f.board.open_conversations() == 2);
}

TEST_CASE("an advisor who steps away keeps the conversations", "[core][conversation]") {
    TwoConversations f;
    f.client(3, "fi", "091");
    CHECK(text(f.board.set_presence(10, Presence::away, std::nullopt, "p-away")) ==
          Lines{"to 10: presence away capacity=1 active=1"});
    CHECK(text(f.board.post_message(10, "c-1", "a-1", "Palaan pian")).size() == 2);
    // Ending frees the seat, but an away advisor takes no one.
    CHECK(text(f.board.end_conversation(10, "c-1", "e-1")) ==
          Lines{"to 1: ended c-1 seq=2 reason=advisor", "to 10: ended c-1 seq=2 reason=advisor",
                "to 10: wrapup due c-1 fi home=091 chat",
                "to 10: presence away capacity=1 active=0",
                // The first conversation of the language took no time: so does the estimate.
                "to 3: queued r-3 fi position=1 advisors=2 wait=0"});
    CHECK(f.board.queue_length("fi") == 1);
}

TEST_CASE("conversations begun and closed are counted for the metrics", "[core][conversation]") {
    TwoConversations f;
    CHECK(f.board.conversations_begun() == 2);
    CHECK(f.board.conversations_closed() == 0);
    // A client that gives up waiting began nothing and ends nothing.
    f.client(3, "fi", "091");
    f.board.cancel_request(3, "r-3", "x-1");
    CHECK(f.board.conversations_begun() == 2);
    CHECK(f.board.conversations_closed() == 0);
    f.board.post_message(1, "c-1", "m-1", "Hei");
    f.board.end_conversation(10, "c-1", "e-1");
    CHECK(f.board.conversations_begun() == 2);
    CHECK(f.board.conversations_closed() == 1);
    f.board.end_conversation(2, "c-2", "e-2");
    CHECK(f.board.conversations_closed() == 2);
    CHECK(f.board.open_conversations() == 0);
}
