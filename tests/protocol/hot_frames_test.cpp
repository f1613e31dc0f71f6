// The hottest frames (chat messages, their acknowledgements, typing) are written by hand rather
// than through a json tree. Clients must not be able to tell: for every such frame, including
// text with every escape, multi-byte characters and byte sequences that are not UTF-8 at all,
// encode() gives exactly what the tree gives.

#include "neuvo/protocol/codec.hpp"

#include "broken_utf8.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <random>
#include <string>
#include <vector>

namespace {

namespace core = neuvo::core;
namespace protocol = neuvo::protocol;

// Pieces text is made of: plain letters, every character JSON escapes, the first character past
// the control range, multi-byte characters of two, three and four bytes, and broken UTF-8
// (a lone continuation byte, a truncated sequence, an overlong form, a surrogate, 0xFF).
const std::vector<std::string> pieces =
    neuvo::protocol::testing::with_broken_utf8({"a",
                                                "Z",
                                                " ",
                                                "0",
                                                "/",
                                                "\"",
                                                "\\",
                                                "\b",
                                                "\f",
                                                "\n",
                                                "\r",
                                                "\t",
                                                std::string(1, '\0'),
                                                "\x01",
                                                "\x1f",
                                                "\x7f",
                                                "\xc3\xa4",
                                                "\xd8\xb3\xd9\x84\xd8\xa7\xd9\x85",
                                                "\xe2\x82\xac",
                                                "\xf0\x9f\x98\x80",
                                                "\xef\xbf\xbd"});

std::string random_text(std::mt19937& random, bool allow_broken) {
    std::uniform_int_distribution<std::size_t> length(0, 12);
    std::uniform_int_distribution<std::size_t> pick(0, pieces.size() - 1);
    std::string text;
    for (std::size_t n = length(random); n > 0; --n) {
        const std::string& piece = pieces[pick(random)];
        const auto& broken_ones = neuvo::protocol::testing::broken_utf8;
        const bool broken =
            std::find(broken_ones.begin(), broken_ones.end(), piece) != broken_ones.end();
        if (!broken || allow_broken)
            text += piece;
    }
    return text;
}

core::TimePoint some_time(std::mt19937& random) {
    std::uniform_int_distribution<long long> millis(0, 4'102'444'800'000LL); // until 2100
    return core::TimePoint(std::chrono::milliseconds(millis(random)));
}

} // namespace

TEST_CASE("hand-written hot frames are byte for byte the tree's frames", "[protocol][encode]") {
    std::mt19937 random(20261201);
    std::bernoulli_distribution coin(0.5);
    std::bernoulli_distribution rarely(0.1);
    std::uniform_int_distribution<std::uint64_t> seq(0, UINT64_MAX);
    for (int i = 0; i < 20000; ++i) {
        const bool broken = rarely(random);
        core::Outbound message;
        switch (i % 3) {
        case 0: {
            core::ChatMessage chat;
            chat.conversation = random_text(random, broken);
            chat.seq = coin(random) ? seq(random) : static_cast<std::uint64_t>(i);
            chat.message_id = random_text(random, broken);
            chat.from = coin(random) ? core::Role::client : core::Role::advisor;
            chat.author = coin(random) ? random_text(random, broken) : std::string();
            chat.text = random_text(random, broken);
            chat.sent_at = some_time(random);
            message = chat;
            break;
        }
        case 1: {
            core::MessageAccepted accepted;
            accepted.message_id = random_text(random, broken);
            accepted.conversation = random_text(random, broken);
            accepted.seq = seq(random);
            accepted.duplicate = coin(random);
            accepted.consult = coin(random);
            message = accepted;
            break;
        }
        default: {
            core::Typing typing;
            typing.conversation = random_text(random, broken);
            typing.from = coin(random) ? core::Role::client : core::Role::advisor;
            typing.name = coin(random) ? random_text(random, broken) : std::string();
            message = typing;
        }
        }
        const std::string fast = protocol::encode(message);
        const std::string tree = protocol::encode_through_tree(message);
        INFO("case " << i);
        REQUIRE(fast == tree);
    }
}

TEST_CASE("a hot frame's text keeps its characters and escapes what JSON must",
          "[protocol][encode]") {
    core::ChatMessage chat;
    chat.conversation = "c-1";
    chat.seq = 7;
    chat.message_id = "m-1";
    chat.from = core::Role::advisor;
    chat.author = "Aino";
    chat.text = std::string("Hyv\xc3\xa4\xe2\x82\xac \"x\"\\\n\x01", 15);
    chat.sent_at = core::TimePoint(std::chrono::milliseconds(1'764'072'187'123LL));
    CHECK(protocol::encode(chat) ==
          "{\"author\":\"Aino\",\"conversation\":\"c-1\",\"from\":\"advisor\",\"id\":\"m-1\","
          "\"sent_at\":\"2025-11-25T12:03:07.123Z\",\"seq\":7,"
          "\"text\":\"Hyv\xc3\xa4\xe2\x82\xac \\\"x\\\"\\\\\\n\\u0001\",\"type\":\"message\"}");

    // Not UTF-8 (a stored row could hold anything): replaced, never sent through raw.
    chat.text = "\xff";
    const auto parsed = nlohmann::json::parse(protocol::encode(chat));
    CHECK(parsed.at("text") == "\xef\xbf\xbd");
}

TEST_CASE("times on the wire are UTC with milliseconds, on any day", "[protocol][encode]") {
    using namespace std::chrono;
    const auto sent_at = [](core::TimePoint time) {
        core::ChatMessage chat;
        chat.conversation = "c-1";
        chat.message_id = "m-1";
        chat.sent_at = time;
        return nlohmann::json::parse(protocol::encode(chat)).at("sent_at").get<std::string>();
    };
    CHECK(sent_at(core::TimePoint{}) == "1970-01-01T00:00:00.000Z");
    CHECK(sent_at(sys_days{year{2028} / February / 29} + hours(23) + minutes(59) + seconds(59) +
                  milliseconds(999) + microseconds(999)) == "2028-02-29T23:59:59.999Z");
    CHECK(sent_at(sys_days{year{1999} / December / 31} + hours(9) + milliseconds(7)) ==
          "1999-12-31T09:00:00.007Z");
    CHECK(sent_at(sys_days{year{2026} / November / 25} + hours(14) + minutes(3) + seconds(7) +
                  milliseconds(40)) == "2026-11-25T14:03:07.040Z");
}
