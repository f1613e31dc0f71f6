// The two frames peers send most (`message`, `ack`) are read by hand when they are in their plain
// form, not through a json tree and the schema. Peers must not be able to tell: for any frame,
// plain or not, decode_inbound gives exactly what the tree gives, the same message or the same
// error. And the plain forms that pages and the load generator send do take the short way.

#include "neuvo/protocol/codec.hpp"

#include "hot_inbound.hpp"

#include "broken_utf8.hpp"

#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

namespace {

namespace protocol = neuvo::protocol;

// The two results are the same: the same error, or the same message with the same fields.
void require_same(const std::string& frame) {
    INFO("frame: " << frame);
    const auto fast = protocol::decode_inbound(frame);
    const auto tree = protocol::decode_inbound_through_tree(frame);
    REQUIRE(fast.index() == tree.index());
    if (const auto* error = std::get_if<protocol::DecodeError>(&tree)) {
        const auto& other = std::get<protocol::DecodeError>(fast);
        REQUIRE(other.code == error->code);
        REQUIRE(other.reason == error->reason);
        REQUIRE(other.ref == error->ref);
        return;
    }
    const auto& a = std::get<protocol::Inbound>(fast);
    const auto& b = std::get<protocol::Inbound>(tree);
    REQUIRE(a.index() == b.index());
    if (const auto* text = std::get_if<protocol::SendText>(&b)) {
        const auto& other = std::get<protocol::SendText>(a);
        REQUIRE(other.id == text->id);
        REQUIRE(other.conversation == text->conversation);
        REQUIRE(other.text == text->text);
    } else if (const auto* ack = std::get_if<protocol::Acknowledge>(&b)) {
        const auto& other = std::get<protocol::Acknowledge>(a);
        REQUIRE(other.conversation == ack->conversation);
        REQUIRE(other.seq == ack->seq);
    }
}

// What a string value is made of, written into the frame as it stands: plain letters, escapes
// JSON knows and one it does not, raw control characters, multi-byte characters and broken UTF-8.
const std::vector<std::string> string_pieces = neuvo::protocol::testing::with_broken_utf8(
    {"a", "Z", " ", "0", "-", "/", "\\\"", "\\\\", "\\n", "\\u00e4", "\\ud83d\\ude00", "\\x", "\t",
     std::string(1, '\0'), "\x1f", "\x7f", "\xc3\xa4", "\xe2\x82\xac", "\xf0\x9f\x98\x80"});

// Values of seq, and of any field in the wrong place: JSON numbers in every form, some not JSON.
const std::vector<std::string> other_values = {"0",
                                               "5",
                                               "05",
                                               "-1",
                                               "-0",
                                               "5.0",
                                               "1e2",
                                               "1E2",
                                               "18446744073709551615",
                                               "18446744073709551616",
                                               "99999999999999999999999",
                                               "true",
                                               "null",
                                               "{}",
                                               "[]",
                                               "[1]",
                                               "\"5\"",
                                               "+5",
                                               "0x10",
                                               ""};

const std::vector<std::string> keys = {"type", "id",   "conversation", "text",
                                       "seq",  "note", "Type",         "typ\\u0065"};

// The pieces a plain string may hold: no escapes, no control characters, valid UTF-8.
const std::vector<std::string> plain_pieces = {
    "a", "Z", " ", "0", "-", "/", "\x7f", "\xc3\xa4", "\xe2\x82\xac", "\xf0\x9f\x98\x80"};

std::string random_string(std::mt19937& random, bool plain) {
    const auto& from = plain ? plain_pieces : string_pieces;
    std::uniform_int_distribution<std::size_t> length(0, 6);
    std::uniform_int_distribution<std::size_t> pick(0, from.size() - 1);
    std::string text = "\"";
    for (std::size_t n = length(random); n > 0; --n)
        text += from[pick(random)];
    return text + "\"";
}

std::string random_space(std::mt19937& random) {
    // Mostly none or JSON's own; now and then a form feed, which JSON does not allow.
    static const std::vector<std::string> spaces = {"", "",  "",   "",    "",     "",  "",
                                                    "", " ", "\n", "\t ", "\r\n", "\f"};
    std::uniform_int_distribution<std::size_t> pick(0, spaces.size() - 1);
    return spaces[pick(random)];
}

} // namespace

TEST_CASE("a hand-read message or ack is what the tree reads, and so is every error",
          "[protocol][decode]") {
    std::mt19937 random(20261203);
    std::bernoulli_distribution coin(0.5);
    std::bernoulli_distribution rarely(0.08);
    std::uniform_int_distribution<std::size_t> pick_key(0, keys.size() - 1);
    std::uniform_int_distribution<std::size_t> pick_value(0, other_values.size() - 1);
    int hand_read = 0;
    for (int i = 0; i < 30000; ++i) {
        // Mostly the right fields for the type, in any order, sometimes one more, one missing,
        // one twice or one with a value of the wrong kind.
        const bool message = coin(random);
        std::vector<std::string> fields = {"type"};
        if (message) {
            fields.insert(fields.end(), {"id", "conversation", "text"});
        } else {
            fields.insert(fields.end(), {"conversation", "seq"});
        }
        if (rarely(random))
            fields.push_back(keys[pick_key(random)]);
        if (rarely(random) && fields.size() > 1)
            fields.erase(fields.begin() + static_cast<std::ptrdiff_t>(random() % fields.size()));
        std::shuffle(fields.begin(), fields.end(), random);

        std::string frame = random_space(random) + "{";
        for (std::size_t f = 0; f < fields.size(); ++f) {
            if (f > 0)
                frame += ",";
            frame += random_space(random) + "\"" + fields[f] + "\"" + random_space(random) + ":" +
                     random_space(random);
            const std::string& key = fields[f];
            if (rarely(random) && rarely(random)) {
                frame.resize(frame.rfind(':')); // a key without its value
                continue;
            }
            if (key == "type" && !rarely(random)) {
                frame += message ? "\"message\"" : (coin(random) ? "\"ack\"" : "\"typing\"");
            } else if (key == "seq" && !rarely(random)) {
                frame += coin(random) ? std::to_string(random() % 100000)
                                      : other_values[pick_value(random)];
            } else if (key == "id" && rarely(random)) {
                frame += "\"" + std::string(coin(random) ? 128 : 129, 'i') + "\"";
            } else if (key == "seq" || rarely(random)) {
                frame += other_values[pick_value(random)];
            } else {
                frame += random_string(random, !rarely(random));
            }
            frame += random_space(random);
        }
        frame += "}" + random_space(random);
        if (rarely(random))
            frame += coin(random) ? "x" : "{}";
        if (rarely(random))
            frame.resize(random() % (frame.size() + 1)); // cut short anywhere
        require_same(frame);
        if (protocol::decode_hot_inbound(frame))
            ++hand_read;
    }
    // Both ways are well exercised: a good share of the frames is plain enough to be read by hand.
    INFO("read by hand: " << hand_read);
    CHECK(hand_read > 1000);
    CHECK(hand_read < 27000);
}

TEST_CASE("the plain message and ack frames of the pages take the short way",
          "[protocol][decode]") {
    using protocol::decode_hot_inbound;
    const auto chat = decode_hot_inbound(
        R"({"type":"message","id":"m-1","conversation":"k3f9-1","text":"Hei, minulla on kysymys Kelan kirjeestä."})");
    REQUIRE(chat);
    const auto& text = std::get<protocol::SendText>(*chat);
    CHECK(text.id == "m-1");
    CHECK(text.conversation == "k3f9-1");
    CHECK(text.text == "Hei, minulla on kysymys Kelan kirjeestä.");

    const auto ack =
        decode_hot_inbound(R"( { "conversation" : "k3f9-1", "seq": 4, "type": "ack" } )");
    REQUIRE(ack);
    CHECK(std::get<protocol::Acknowledge>(*ack).seq == 4);
    CHECK(std::get<protocol::Acknowledge>(*ack).conversation == "k3f9-1");

    // Left to the tree: an escape, another field, a repeated one, a seq not in plain digits.
    CHECK_FALSE(decode_hot_inbound(
        R"({"type":"message","id":"m-1","conversation":"k","text":"\"quoted\""})"));
    CHECK_FALSE(decode_hot_inbound(R"({"type":"ack","conversation":"k","seq":4,"id":"a"})"));
    CHECK_FALSE(decode_hot_inbound(R"({"type":"ack","conversation":"k","seq":4,"seq":5})"));
    CHECK_FALSE(decode_hot_inbound(R"({"type":"ack","conversation":"k","seq":4.0})"));
    CHECK_FALSE(decode_hot_inbound(R"({"type":"typing","conversation":"k"})"));
}

TEST_CASE("a repeated field, which the tree reads as its last value, is read the same",
          "[protocol][decode]") {
    require_same(R"({"type":"ack","conversation":"k","seq":4,"seq":5})");
    require_same(R"({"type":"message","id":"a","id":"b","conversation":"k","text":"x"})");
    require_same(R"({"type":"message","id":"","conversation":"k","text":"x"})");
    require_same("\xef\xbb\xbf{\"type\":\"ack\",\"conversation\":\"k\",\"seq\":4}");
}

TEST_CASE("a key without its value is not the end of the object", "[protocol][decode]") {
    // Found by the protocol fuzzer: the short way once took the stray key's closing brace for
    // the end and accepted what the tree refuses as bad JSON.
    require_same(R"({"type":"message","id":"m-1","conversation":"k","text":"Hei","las Kelan"})");
    require_same(R"({"type":"ack","conversation":"k","seq":4,"x"})");
    require_same(R"({"type":"ack","conversation":"k","seq":4,"x":})");
    require_same(R"({"type":"ack","conversation":"k","seq":4,})");
    require_same(R"({,"type":"ack","conversation":"k","seq":4})");
    require_same(R"({"type":"ack","conversation":"k""seq":4})");
    CHECK(std::holds_alternative<protocol::DecodeError>(
        protocol::decode_inbound(R"({"type":"ack","conversation":"k","seq":4,"x"})")));
}
