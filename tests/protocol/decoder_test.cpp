// What peers send is untrusted. Every bad frame must come back as the exact error code of
// PROTOCOL.md with a reason naming the field, never as an exception that would drop the
// connection, and `ref` must quote the sender's id whenever it could be read.

#include "neuvo/protocol/codec.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace {

using nlohmann::json;
namespace core = neuvo::core;
namespace protocol = neuvo::protocol;

protocol::DecodeError decode_error(std::string_view frame) {
    INFO("frame: " << frame);
    auto result = protocol::decode_inbound(frame);
    REQUIRE(std::holds_alternative<protocol::DecodeError>(result));
    return std::get<protocol::DecodeError>(result);
}

template <class Message> Message decode_as(std::string_view frame) {
    INFO("frame: " << frame);
    auto result = protocol::decode_inbound(frame);
    if (const auto* error = std::get_if<protocol::DecodeError>(&result))
        FAIL("rejected: " << error->code << ": " << error->reason);
    const auto& inbound = std::get<protocol::Inbound>(result);
    REQUIRE(std::holds_alternative<Message>(inbound));
    return std::get<Message>(inbound);
}

std::string request_with_id(const std::string& id) {
    return json{{"type", "request"}, {"id", id}, {"language", "ar"}}.dump();
}

} // namespace

TEST_CASE("a frame that is not JSON is bad_json", "[protocol][decode]") {
    for (std::string_view frame : {"", "{\"type\": \"request\",", "hello", "{'type': 'ack'}"}) {
        auto error = decode_error(frame);
        CHECK(error.code == "bad_json");
        CHECK(error.ref.empty());
    }
}

TEST_CASE("JSON that is not an object is bad_json", "[protocol][decode]") {
    for (std::string_view frame : {"[1, 2]", "42", "\"request\"", "null", "true"}) {
        auto error = decode_error(frame);
        CHECK(error.code == "bad_json");
        CHECK(error.ref.empty());
    }
}

TEST_CASE("a message without type is missing_field naming type", "[protocol][decode]") {
    auto error = decode_error(R"({"id": "r-1", "language": "ar"})");
    CHECK(error.code == "missing_field");
    CHECK_THAT(error.reason, Catch::Contains("\"type\""));
    CHECK(error.ref == "r-1");
}

TEST_CASE("a type that is not a string is invalid_field naming type", "[protocol][decode]") {
    for (std::string_view frame :
         {R"({"type": 7, "id": "x-1"})", R"({"type": ["request"], "id": "x-1"})"}) {
        auto error = decode_error(frame);
        CHECK(error.code == "invalid_field");
        CHECK_THAT(error.reason, Catch::Contains("\"type\""));
        CHECK(error.ref == "x-1");
    }
}

TEST_CASE("an unknown type is unknown_type naming it", "[protocol][decode]") {
    auto error = decode_error(R"({"type": "hello", "id": "x-1"})");
    CHECK(error.code == "unknown_type");
    CHECK_THAT(error.reason, Catch::Contains("\"hello\""));
    CHECK(error.ref == "x-1");
}

TEST_CASE("types the server sends are unknown when a peer sends them", "[protocol][decode]") {
    // A client echoing a server message back must not be mistaken for anything it may send.
    for (const char* type : {"welcome", "queued", "alternatives", "request_closed", "offer",
                             "offer_withdrawn", "conversation_started", "advisor_connection",
                             "accepted", "conversation_ended", "error"}) {
        INFO("type " << type);
        auto error = decode_error(json{{"type", type}, {"id", "x-1"}}.dump());
        CHECK(error.code == "unknown_type");
        CHECK_THAT(error.reason, Catch::Contains(type));
    }
}

TEST_CASE("a request without language is missing_field naming language", "[protocol][decode]") {
    auto error = decode_error(R"({"type": "request", "id": "r-1", "home": "049"})");
    CHECK(error.code == "missing_field");
    CHECK_THAT(error.reason, Catch::Contains("\"language\""));
    CHECK(error.ref == "r-1");
}

TEST_CASE("each to-server type names its missing required field", "[protocol][decode]") {
    struct Case {
        const char* frame;
        const char* field;
    };
    for (const auto& [frame, field] : {
             Case{R"({"type": "request", "language": "ar"})", "\"id\""},
             Case{R"({"type": "message", "id": "m-1", "text": "hei"})", "\"conversation\""},
             Case{R"({"type": "message", "id": "m-1", "conversation": "k-1"})", "\"text\""},
             Case{R"({"type": "ack", "conversation": "k-1"})", "\"seq\""},
             Case{R"({"type": "ack", "seq": 1})", "\"conversation\""},
             Case{R"({"type": "end", "id": "e-1"})", "\"conversation\""},
             Case{R"({"type": "presence", "id": "p-1"})", "\"status\""},
             Case{R"({"type": "cancel", "request": "r-1"})", "\"id\""},
             Case{R"({"type": "cancel", "id": "x-1"})", "\"request\""},
             Case{R"({"type": "accept", "conversation": "k-1"})", "\"id\""},
             Case{R"({"type": "accept", "id": "a-1"})", "\"conversation\""},
             Case{R"({"type": "decline", "conversation": "k-1"})", "\"id\""},
             Case{R"({"type": "decline", "id": "d-1"})", "\"conversation\""},
         }) {
        auto error = decode_error(frame);
        CHECK(error.code == "missing_field");
        CHECK_THAT(error.reason, Catch::Contains(field));
    }
}

TEST_CASE("an id must be a non-empty string of at most 128 bytes", "[protocol][decode]") {
    SECTION("empty") {
        auto error = decode_error(request_with_id(""));
        CHECK(error.code == "invalid_field");
        CHECK_THAT(error.reason, Catch::Contains("\"id\""));
        CHECK(error.ref.empty());
    }
    SECTION("129 bytes, too long to quote back") {
        auto error = decode_error(request_with_id(std::string(129, 'a')));
        CHECK(error.code == "invalid_field");
        CHECK_THAT(error.reason, Catch::Contains("\"id\""));
        CHECK(error.ref.empty());
    }
    SECTION("128 bytes is the longest accepted") {
        CHECK(decode_as<protocol::RequestAdvisor>(request_with_id(std::string(128, 'a'))).id ==
              std::string(128, 'a'));
    }
    SECTION("a number") {
        auto error = decode_error(R"({"type": "end", "id": 17, "conversation": "k-1"})");
        CHECK(error.code == "invalid_field");
        CHECK_THAT(error.reason, Catch::Contains("\"id\""));
        CHECK(error.ref.empty());
    }
}

TEST_CASE("ack seq must be a non-negative integer", "[protocol][decode]") {
    for (std::string_view seq : {"-1", "\"3\"", "3.5", "true"}) {
        INFO("seq " << seq);
        auto error = decode_error(R"({"type": "ack", "conversation": "k-1", "seq": )" +
                                  std::string(seq) + "}");
        CHECK(error.code == "invalid_field");
        CHECK_THAT(error.reason, Catch::Contains("\"seq\""));
    }
    // The whole unsigned 64-bit range survives decoding.
    auto ack = decode_as<protocol::Acknowledge>(
        R"({"type": "ack", "conversation": "k-1", "seq": 18446744073709551615})");
    CHECK(ack.seq == 18446744073709551615ULL);
}

TEST_CASE("typing names its conversation, and nothing else is needed", "[protocol][decode]") {
    auto missing = decode_error(R"({"type": "typing"})");
    CHECK(missing.code == "missing_field");
    CHECK_THAT(missing.reason, Catch::Contains("\"conversation\""));
    CHECK(missing.ref.empty());
    auto wrong = decode_error(R"({"type": "typing", "conversation": 7})");
    CHECK(wrong.code == "invalid_field");
    CHECK_THAT(wrong.reason, Catch::Contains("\"conversation\""));
    CHECK(decode_as<protocol::SignalTyping>(R"({"type": "typing", "conversation": "k-1"})")
              .conversation == "k-1");
    // A sender cannot choose who it appears as: "from" and "name" are the server's, and ignored.
    CHECK(decode_as<protocol::SignalTyping>(
              R"({"type": "typing", "conversation": "k-2", "from": "advisor", "name": "Aino"})")
              .conversation == "k-2");
}

TEST_CASE("resume needs its id, the token and the last seq the client has", "[protocol][decode]") {
    auto resume = decode_as<protocol::ResumeSession>(
        R"({"type": "resume", "id": "s-1", "token": "abc123", "last_seq": 7})");
    CHECK(resume.id == "s-1");
    CHECK(resume.token == "abc123");
    CHECK(resume.last_seq == 7);
    auto no_token = decode_error(R"({"type": "resume", "id": "s-2", "last_seq": 0})");
    CHECK(no_token.code == "missing_field");
    CHECK_THAT(no_token.reason, Catch::Contains("\"token\""));
    CHECK(no_token.ref == "s-2");
    auto empty_token =
        decode_error(R"({"type": "resume", "id": "s-3", "token": "", "last_seq": 0})");
    CHECK(empty_token.code == "invalid_field");
    CHECK_THAT(empty_token.reason, Catch::Contains("\"token\""));
    auto negative =
        decode_error(R"({"type": "resume", "id": "s-4", "token": "t", "last_seq": -1})");
    CHECK(negative.code == "invalid_field");
    CHECK_THAT(negative.reason, Catch::Contains("\"last_seq\""));
    CHECK(decode_error(R"({"type": "resume", "id": "s-5", "token": "t"})").code == "missing_field");
}

TEST_CASE("presence status is available or away", "[protocol][decode]") {
    auto error = decode_error(R"({"type": "presence", "id": "p-7", "status": "busy"})");
    CHECK(error.code == "invalid_field");
    CHECK_THAT(error.reason, Catch::Contains("\"status\""));
    CHECK_THAT(error.reason, Catch::Contains("\"available\""));
    CHECK(error.ref == "p-7");

    CHECK(decode_as<protocol::SetPresence>(R"({"type": "presence", "id": "p-1", "status": "away"})")
              .status == core::Presence::away);
}

TEST_CASE("presence capacity is a positive integer or absent", "[protocol][decode]") {
    for (std::string_view capacity : {"0", "-2", "\"3\"", "2.5"}) {
        INFO("capacity " << capacity);
        auto error = decode_error(R"({"type": "presence", "id": "p-1", "status": "available", )"
                                  R"("capacity": )" +
                                  std::string(capacity) + "}");
        CHECK(error.code == "invalid_field");
        CHECK_THAT(error.reason, Catch::Contains("\"capacity\""));
        CHECK(error.ref == "p-1");
    }

    auto with_capacity = decode_as<protocol::SetPresence>(
        R"({"type": "presence", "id": "p-1", "status": "available", "capacity": 5})");
    CHECK(with_capacity.status == core::Presence::available);
    REQUIRE(with_capacity.capacity.has_value());
    CHECK(*with_capacity.capacity == 5);

    // Left out means "unchanged", which the core must be able to tell from any number.
    CHECK_FALSE(
        decode_as<protocol::SetPresence>(R"({"type": "presence", "id": "p-1", "status": "away"})")
            .capacity.has_value());
}

TEST_CASE("a wrongly typed text field is invalid_field and still quotes the id",
          "[protocol][decode]") {
    auto error =
        decode_error(R"({"type": "message", "id": "m-4", "conversation": "k-1", "text": ["hei"]})");
    CHECK(error.code == "invalid_field");
    CHECK_THAT(error.reason, Catch::Contains("\"text\""));
    CHECK(error.ref == "m-4");
}

TEST_CASE("a request without home decodes with an empty home", "[protocol][decode]") {
    auto request = decode_as<protocol::RequestAdvisor>(
        R"({"type": "request", "id": "r-2", "language": "so"})");
    CHECK(request.id == "r-2");
    CHECK(request.language == "so");
    CHECK(request.home.empty());
}

TEST_CASE("unknown extra fields are ignored", "[protocol][decode]") {
    // A later neuvo.v1 may add optional fields; today's server must still serve such a client.
    auto request = decode_as<protocol::RequestAdvisor>(
        R"({"type": "request", "id": "r-3", "language": "ar", "home": "091",)"
        R"( "client_version": 2, "hints": {"nested": [1, 2, {"deep": null}]}})");
    CHECK(request.id == "r-3");
    CHECK(request.language == "ar");
    CHECK(request.home == "091");

    auto message = decode_as<protocol::SendText>(
        R"({"type": "message", "id": "m-1", "conversation": "k-1", "text": "hei", "seq": "x"})");
    CHECK(message.text == "hei");
}

TEST_CASE("invalid UTF-8 never throws, in decoding or in encoding", "[protocol][decode]") {
    SECTION("decoding frames with broken UTF-8 in the text") {
        for (std::string_view text : {
                 std::string_view("abc\xff"),          // a byte that never occurs in UTF-8
                 std::string_view("\xc0\xaf"),         // an overlong encoding of '/'
                 std::string_view("\xe2\x82"),         // a truncated three-byte sequence
                 std::string_view("\\ud800 alone"),    // an unpaired surrogate escape
                 std::string_view("\xed\xa0\x80 raw"), // a surrogate encoded directly
             }) {
            std::string frame =
                R"({"type": "message", "id": "m-1", "conversation": "k-1", "text": ")" +
                std::string(text) + "\"}";
            INFO("frame: " << frame);
            std::variant<protocol::Inbound, protocol::DecodeError> result;
            REQUIRE_NOTHROW(result = protocol::decode_inbound(frame));
            REQUIRE(std::holds_alternative<protocol::DecodeError>(result));
            CHECK(std::get<protocol::DecodeError>(result).code == "bad_json");
        }
    }
    SECTION("encoding a chat message whose text and author are broken") {
        // Text can reach the encoder from the store or the core without passing the decoder.
        core::ChatMessage message{"k-1", 1, "m-1", core::Role::advisor, "Ai\xffno", "abc\xff", {}};
        std::string frame;
        REQUIRE_NOTHROW(frame = protocol::encode(core::Outbound{message}));
        auto parsed = json::parse(frame, nullptr, /*allow_exceptions=*/false);
        REQUIRE(parsed.is_object());
        // Each bad byte becomes U+FFFD REPLACEMENT CHARACTER; the good ones are kept.
        CHECK(parsed.at("text") == "abc\xef\xbf\xbd");
        CHECK(parsed.at("author") == "Ai\xef\xbf\xbdno");
    }
    SECTION("encoding an error and a welcome with broken strings") {
        std::string frame;
        REQUIRE_NOTHROW(frame = protocol::encode_error("invalid_field", "bad \xfe", "r-\xc3"));
        CHECK_FALSE(json::parse(frame, nullptr, false).is_discarded());

        protocol::Welcome welcome;
        welcome.languages = {{"ar", "\xd8", true}};
        REQUIRE_NOTHROW(frame = protocol::encode(welcome));
        CHECK_FALSE(json::parse(frame, nullptr, false).is_discarded());
    }
}

namespace {

std::string request_also_speaking(const json& also_speaks) {
    return json{
        {"type", "request"}, {"id", "r-1"}, {"language", "th"}, {"also_speaks", also_speaks}}
        .dump();
}

} // namespace

TEST_CASE("also_speaks must be an array of at most 32 strings", "[protocol][decode]") {
    SECTION("not an array") {
        auto error = decode_error(request_also_speaking("en"));
        CHECK(error.code == "invalid_field");
        CHECK_THAT(error.reason, Catch::Contains("\"also_speaks\""));
        CHECK(error.ref == "r-1");
    }
    SECTION("an object") {
        auto error = decode_error(request_also_speaking(json{{"en", true}}));
        CHECK(error.code == "invalid_field");
        CHECK_THAT(error.reason, Catch::Contains("\"also_speaks\""));
        CHECK(error.ref == "r-1");
    }
    SECTION("containing a number") {
        auto error = decode_error(request_also_speaking(json{"en", 7}));
        CHECK(error.code == "invalid_field");
        CHECK_THAT(error.reason, Catch::Contains("\"also_speaks\""));
        CHECK(error.ref == "r-1");
    }
    SECTION("33 entries") {
        auto error = decode_error(request_also_speaking(std::vector<std::string>(33, "en")));
        CHECK(error.code == "invalid_field");
        CHECK_THAT(error.reason, Catch::Contains("\"also_speaks\""));
        CHECK(error.ref == "r-1");
    }
    SECTION("32 entries is the most accepted, kept in order") {
        std::vector<std::string> languages;
        for (int i = 0; i < 32; ++i)
            languages.push_back("l" + std::to_string(i));
        auto request = decode_as<protocol::RequestAdvisor>(request_also_speaking(languages));
        CHECK(request.also_speaks == languages);
    }
}

TEST_CASE("a request decodes the languages the client also speaks", "[protocol][decode]") {
    auto request = decode_as<protocol::RequestAdvisor>(
        R"({"type": "request", "id": "r-1", "language": "ar", "home": "049",)"
        R"( "also_speaks": ["en", "fi"]})");
    CHECK(request.id == "r-1");
    CHECK(request.language == "ar");
    CHECK(request.home == "049");
    CHECK(request.also_speaks == std::vector<std::string>{"en", "fi"});

    // Left out, null or empty: the client speaks nothing else.
    for (std::string_view frame : {
             R"({"type": "request", "id": "r-2", "language": "ar"})",
             R"({"type": "request", "id": "r-2", "language": "ar", "also_speaks": null})",
             R"({"type": "request", "id": "r-2", "language": "ar", "also_speaks": []})",
         }) {
        auto without = decode_as<protocol::RequestAdvisor>(frame);
        CHECK(without.id == "r-2");
        CHECK(without.also_speaks.empty());
    }
}

TEST_CASE("cancel names the request to stop waiting for", "[protocol][decode]") {
    auto cancel =
        decode_as<protocol::CancelRequest>(R"({"type": "cancel", "id": "x-1", "request": "r-1"})");
    CHECK(cancel.id == "x-1");
    CHECK(cancel.request == "r-1");

    SECTION("without request") {
        auto error = decode_error(R"({"type": "cancel", "id": "x-2"})");
        CHECK(error.code == "missing_field");
        CHECK_THAT(error.reason, Catch::Contains("\"request\""));
        CHECK(error.ref == "x-2");
    }
    SECTION("request is an id, so it may not be empty") {
        auto error = decode_error(R"({"type": "cancel", "id": "x-3", "request": ""})");
        CHECK(error.code == "invalid_field");
        CHECK_THAT(error.reason, Catch::Contains("\"request\""));
        CHECK(error.ref == "x-3");
    }
}

TEST_CASE("accept and decline answer an offer by its conversation", "[protocol][decode]") {
    auto accept = decode_as<protocol::AnswerOffer>(
        R"({"type": "accept", "id": "a-1", "conversation": "k3f9-1"})");
    CHECK(accept.id == "a-1");
    CHECK(accept.conversation == "k3f9-1");
    CHECK(accept.accept == true);

    auto decline = decode_as<protocol::AnswerOffer>(
        R"({"type": "decline", "id": "d-1", "conversation": "k3f9-2"})");
    CHECK(decline.id == "d-1");
    CHECK(decline.conversation == "k3f9-2");
    CHECK(decline.accept == false);
}

TEST_CASE("bad accept and decline frames name their field", "[protocol][decode]") {
    SECTION("accept without conversation") {
        auto error = decode_error(R"({"type": "accept", "id": "a-1"})");
        CHECK(error.code == "missing_field");
        CHECK_THAT(error.reason, Catch::Contains("\"conversation\""));
        CHECK(error.ref == "a-1");
    }
    SECTION("decline with an empty id") {
        auto error = decode_error(R"({"type": "decline", "id": "", "conversation": "k3f9-1"})");
        CHECK(error.code == "invalid_field");
        CHECK_THAT(error.reason, Catch::Contains("\"id\""));
        CHECK(error.ref.empty());
    }
    SECTION("accept with a numeric conversation") {
        auto error = decode_error(R"({"type": "accept", "id": "a-2", "conversation": 7})");
        CHECK(error.code == "invalid_field");
        CHECK_THAT(error.reason, Catch::Contains("\"conversation\""));
        CHECK(error.ref == "a-2");
    }
}

TEST_CASE("presence follow_schedule is true, false or absent", "[protocol][decode]") {
    for (std::string_view value : {"\"yes\"", "1", "\"true\"", "[]"}) {
        INFO("follow_schedule " << value);
        auto error = decode_error(R"({"type": "presence", "id": "p-1", "status": "available", )"
                                  R"("follow_schedule": )" +
                                  std::string(value) + "}");
        CHECK(error.code == "invalid_field");
        CHECK_THAT(error.reason, Catch::Contains("\"follow_schedule\""));
        CHECK(error.ref == "p-1");
    }

    auto following = decode_as<protocol::SetPresence>(
        R"({"type": "presence", "id": "p-2", "status": "available", "capacity": 3,)"
        R"( "follow_schedule": true})");
    CHECK(following.id == "p-2");
    CHECK(following.status == core::Presence::available);
    REQUIRE(following.capacity.has_value());
    CHECK(*following.capacity == 3);
    REQUIRE(following.follow_schedule.has_value());
    CHECK(*following.follow_schedule == true);

    auto not_following = decode_as<protocol::SetPresence>(
        R"({"type": "presence", "id": "p-3", "status": "away", "follow_schedule": false})");
    REQUIRE(not_following.follow_schedule.has_value());
    CHECK(*not_following.follow_schedule == false);
    CHECK_FALSE(not_following.capacity.has_value());

    // Left out means "unchanged", which the core must be able to tell from false.
    CHECK_FALSE(
        decode_as<protocol::SetPresence>(R"({"type": "presence", "id": "p-4", "status": "away"})")
            .follow_schedule.has_value());
}

TEST_CASE("a wrap-up's fields are known names with a code or a list of codes each",
          "[protocol][decode][wrapup]") {
    auto wrapup = [](json fields) {
        return json{{"type", "wrapup"}, {"id", "w-1"}, {"conversation", "c-1"}, {"fields", fields}}
            .dump();
    };
    auto refused = [&](json fields, const std::string& naming) {
        const auto error = decode_error(wrapup(std::move(fields)));
        CHECK(error.code == "invalid_field");
        CHECK(error.reason.find(naming) != std::string::npos);
        CHECK(error.ref == "w-1");
    };
    refused({{"name", "Matti"}}, "fields.name");
    refused({{"notes", "called back"}}, "fields.notes");
    refused({{"gender", 1}}, "fields.gender");
    refused({{"country", json::array({"IQ"})}}, "fields.country");
    refused({{"topics", "forms"}}, "fields.topics");
    refused({{"referrals", json::array({"kela", 3})}}, "fields.referrals");
    CHECK(decode_error(json{{"type", "wrapup"},
                            {"id", "w-2"},
                            {"conversation", "c-1"},
                            {"fields", "all unknown"}}
                           .dump())
              .code == "invalid_field");
    CHECK(decode_error(R"({"type":"wrapup","id":"w-3","conversation":"c-1"})").code ==
          "missing_field");

    // Left out means unknown; the codes themselves are the core's to check.
    const auto empty = decode_as<protocol::SaveWrapup>(wrapup(json::object()));
    CHECK(empty.wrapup.gender == "unknown");
    CHECK(empty.wrapup.topics.empty());
    const auto some = decode_as<protocol::SaveWrapup>(
        wrapup({{"gender", "male"}, {"topics", json::array({"forms", "housing"})}}));
    CHECK(some.wrapup.gender == "male");
    CHECK(some.wrapup.topics == std::vector<std::string>{"forms", "housing"});
}

TEST_CASE("a rating is a positive integer", "[protocol][decode][rating]") {
    auto rate = [](json rating) {
        return json{{"type", "rate"}, {"id", "f-1"}, {"conversation", "c-1"}, {"rating", rating}}
            .dump();
    };
    CHECK(decode_error(rate(0)).code == "invalid_field");
    CHECK(decode_error(rate(-3)).code == "invalid_field");
    CHECK(decode_error(rate("5")).code == "invalid_field");
    CHECK(decode_error(rate(4.5)).code == "invalid_field");
    CHECK(decode_as<protocol::RateConversation>(rate(4)).rating == 4);
    // Past 5 is the core's to refuse; a huge number does not overflow on the way.
    CHECK(decode_as<protocol::RateConversation>(rate(std::uint64_t{1} << 62)).rating > 5);
}
