#include "neuvo/core/message_ids.hpp"

#include <catch2/catch.hpp>

using neuvo::core::MessageIds;

TEST_CASE("message ids: a resend is found by its sender and id, with its first seq",
          "[core][message-ids]") {
    MessageIds ids;
    CHECK_FALSE(ids.seq_of(0, "m-1"));
    CHECK_FALSE(ids.sender_of("m-1", 1));
    ids.remember(0, "m-1", 1);
    CHECK(ids.seq_of(0, "m-1") == 1u);
    // Remembering it again (a replayed restore) keeps the first seq.
    ids.remember(0, "m-1", 7);
    CHECK(ids.seq_of(0, "m-1") == 1u);
    CHECK_FALSE(ids.sender_of("m-1", 7));
    // Another id of the same sender, and the same id of a sender not yet seen, are unknown.
    CHECK_FALSE(ids.seq_of(0, "m-2"));
    CHECK_FALSE(ids.seq_of(42, "m-1"));
}

TEST_CASE("message ids: senders may use the same id, and each keeps its own seq",
          "[core][message-ids]") {
    MessageIds ids;
    ids.remember(0, "m-1", 1);  // the client
    ids.remember(10, "m-1", 2); // the lead
    ids.remember(11, "m-1", 5); // an invited colleague
    ids.remember(-3, "m-1", 9); // a clerk's customer
    CHECK(ids.seq_of(0, "m-1") == 1u);
    CHECK(ids.seq_of(10, "m-1") == 2u);
    CHECK(ids.seq_of(11, "m-1") == 5u);
    CHECK(ids.seq_of(-3, "m-1") == 9u);
    // Whose message a seq was, as the store attributes a kept message.
    CHECK(ids.sender_of("m-1", 1) == 0);
    CHECK(ids.sender_of("m-1", 2) == 10);
    CHECK(ids.sender_of("m-1", 5) == 11);
    CHECK(ids.sender_of("m-1", 9) == -3);
    CHECK_FALSE(ids.sender_of("m-1", 3));
    CHECK_FALSE(ids.sender_of("m-2", 2));
}

TEST_CASE("message ids: thousands in one conversation stay distinct", "[core][message-ids]") {
    MessageIds ids;
    for (std::uint64_t seq = 1; seq <= 5000; ++seq) {
        ids.remember(seq % 2 == 0 ? 10 : 0, "m-" + std::to_string(seq), seq);
    }
    for (std::uint64_t seq = 1; seq <= 5000; ++seq) {
        const neuvo::core::AdvisorId sender = seq % 2 == 0 ? 10 : 0;
        REQUIRE(ids.seq_of(sender, "m-" + std::to_string(seq)) == seq);
        REQUIRE(ids.sender_of("m-" + std::to_string(seq), seq) == sender);
        REQUIRE_FALSE(ids.seq_of(sender == 0 ? 10 : 0, "m-" + std::to_string(seq)));
    }
}
