// Every frame the server sends is built by protocol::encode. Each test compares the whole frame
// with the exact object PROTOCOL.md describes, so an extra, missing or renamed field fails, and
// runs the frame through the same schema that checks the document's examples.

#include "neuvo/protocol/codec.hpp"
#include "neuvo/protocol/schema.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace {

using nlohmann::json;
namespace core = neuvo::core;
namespace protocol = neuvo::protocol;

json parse_valid_to_peer(const std::string& frame) {
    INFO("frame: " << frame);
    json message = json::parse(frame, nullptr, /*allow_exceptions=*/false);
    REQUIRE(message.is_object());
    auto violation = protocol::validate(message, protocol::Direction::to_peer);
    if (violation)
        FAIL("schema: " << violation->code << ": " << violation->reason);
    return message;
}

json encoded(const core::Outbound& message) {
    return parse_valid_to_peer(protocol::encode(message));
}

// 2026-11-25 14:03:07 UTC plus `extra`, e.g. 123 ms.
core::TimePoint november_25_at_14_03_07(std::chrono::nanoseconds extra) {
    using namespace std::chrono;
    return sys_days{year{2026} / November / 25} + hours(14) + minutes(3) + seconds(7) +
           duration_cast<system_clock::duration>(extra);
}

core::ConversationStarted started(core::Tier tier, std::string request_id) {
    return core::ConversationStarted{"k3f9-1", std::move(request_id), "ar",        "049", tier,
                                     "Aino",   "091-virka",           "Virka Info"};
}

} // namespace

TEST_CASE("queued carries the client's request id, language and position", "[protocol][encode]") {
    CHECK(encoded(core::Queued{"r-1", "ar", 2, 0}) == json{{"type", "queued"},
                                                           {"request", "r-1"},
                                                           {"language", "ar"},
                                                           {"position", 2},
                                                           {"advisors_signed_in", 0}});
}

TEST_CASE("conversation_started names the tier as PROTOCOL.md spells it", "[protocol][encode]") {
    const std::vector<std::pair<core::Tier, std::string>> tiers = {
        {core::Tier::own_point, "own-point"},
        {core::Tier::region, "region"},
        {core::Tier::partner, "partner"},
        {core::Tier::national, "national"},
    };
    for (const auto& [tier, name] : tiers) {
        INFO("tier " << name);
        CHECK(encoded(started(tier, "r-1")).at("tier") == name);
    }
}

TEST_CASE("conversation_started quotes the request only in the client's copy",
          "[protocol][encode]") {
    const json advisor = {{"name", "Aino"}, {"point", "091-virka"}, {"point_name", "Virka Info"}};

    CHECK(encoded(started(core::Tier::region, "r-1")) == json{{"type", "conversation_started"},
                                                              {"conversation", "k3f9-1"},
                                                              {"request", "r-1"},
                                                              {"language", "ar"},
                                                              {"home", "049"},
                                                              {"tier", "region"},
                                                              {"advisor", advisor}});

    // The advisor's copy has no request id; an empty "request" would break the schema.
    auto advisor_copy = encoded(started(core::Tier::region, ""));
    CHECK_FALSE(advisor_copy.contains("request"));
    CHECK(advisor_copy.at("advisor") == advisor);
}

TEST_CASE("an advisor's chat message names its author and its send time in UTC milliseconds",
          "[protocol][encode]") {
    core::ChatMessage message{"k3f9-1",
                              3,
                              "m-1",
                              core::Role::advisor,
                              "Aino",
                              "Hei! Katsotaan kirjettä yhdessä.",
                              november_25_at_14_03_07(std::chrono::milliseconds(123))};
    CHECK(encoded(message) == json{{"type", "message"},
                                   {"conversation", "k3f9-1"},
                                   {"seq", 3},
                                   {"id", "m-1"},
                                   {"from", "advisor"},
                                   {"author", "Aino"},
                                   {"text", "Hei! Katsotaan kirjettä yhdessä."},
                                   {"sent_at", "2026-11-25T14:03:07.123Z"}});
}

TEST_CASE("the anonymous client's chat message has no author", "[protocol][encode]") {
    core::ChatMessage message{"k3f9-1",
                              4,
                              "m-2",
                              core::Role::client,
                              "",
                              "Kiitos",
                              november_25_at_14_03_07(std::chrono::milliseconds(0))};
    auto frame = encoded(message);
    CHECK_FALSE(frame.contains("author"));
    CHECK(frame.at("from") == "client");
    CHECK(frame.at("sent_at") == "2026-11-25T14:03:07.000Z");
}

TEST_CASE("sent_at truncates to the millisecond and never rounds up", "[protocol][encode]") {
    using namespace std::chrono;
    core::ChatMessage message{"k3f9-1", 1, "m-1", core::Role::client, "", "x", {}};

    // 999.999999 ms must not roll over into the next second.
    message.sent_at = november_25_at_14_03_07(milliseconds(999) + nanoseconds(999'999));
    CHECK(encoded(message).at("sent_at") == "2026-11-25T14:03:07.999Z");

    // Before 1970 a naive truncation towards zero would give .001 of the wrong second.
    message.sent_at = system_clock::time_point{} - milliseconds(1);
    CHECK(encoded(message).at("sent_at") == "1969-12-31T23:59:59.999Z");
}

TEST_CASE("accepted tells the sender its seq and whether it was a duplicate",
          "[protocol][encode]") {
    CHECK(encoded(core::MessageAccepted{"m-1", "k3f9-1", 3, false}) ==
          json{{"type", "accepted"},
               {"id", "m-1"},
               {"conversation", "k3f9-1"},
               {"seq", 3},
               {"duplicate", false}});
    CHECK(encoded(core::MessageAccepted{"m-1", "k3f9-1", 3, true}).at("duplicate") == true);
}

TEST_CASE("conversation_ended carries each documented reason", "[protocol][encode]") {
    CHECK(encoded(core::ConversationEnded{"k3f9-1", 7, "client"}) ==
          json{{"type", "conversation_ended"},
               {"conversation", "k3f9-1"},
               {"seq", 7},
               {"reason", "client"}});
    for (const char* reason : {"advisor", "client_disconnected", "advisor_disconnected"}) {
        INFO("reason " << reason);
        CHECK(encoded(core::ConversationEnded{"k3f9-1", 8, reason}).at("reason") == reason);
    }
}

TEST_CASE("presence reports status, capacity and active conversations", "[protocol][encode]") {
    CHECK(encoded(core::PresenceState{core::Presence::available, 3, 1}) ==
          json{{"type", "presence"}, {"status", "available"}, {"capacity", 3}, {"active", 1}});
    CHECK(encoded(core::PresenceState{core::Presence::away, 2, 0}).at("status") == "away");
}

TEST_CASE("error quotes ref only when the cause had an id", "[protocol][encode]") {
    CHECK(encoded(core::ErrorReply{"missing_field", "field \"language\" is required", "r-1"}) ==
          json{{"type", "error"},
               {"code", "missing_field"},
               {"reason", "field \"language\" is required"},
               {"ref", "r-1"}});
    CHECK_FALSE(encoded(core::ErrorReply{"bad_json", "not JSON", ""}).contains("ref"));

    // encode_error is the shell's shortcut for the same frame.
    CHECK(parse_valid_to_peer(protocol::encode_error("server_busy", "shutting down")) ==
          json{{"type", "error"}, {"code", "server_busy"}, {"reason", "shutting down"}});
    CHECK(parse_valid_to_peer(protocol::encode_error("empty_message", "blank", "m-3")).at("ref") ==
          "m-3");
}

TEST_CASE("a client's welcome lists languages with direction, municipalities and limits",
          "[protocol][encode]") {
    protocol::Welcome welcome;
    welcome.role = core::Role::client;
    welcome.languages = {{"ar", "العربية", true}, {"fi", "Suomi", false}};
    welcome.municipalities = {{"049", "Espoo", "capital-region"}, {"091", "Helsinki", ""}};
    welcome.max_text_bytes = 4000;

    // The region is routing data for the server, not something the client is told.
    CHECK(parse_valid_to_peer(protocol::encode(welcome)) ==
          json{{"type", "welcome"},
               {"protocol", "neuvo.v1"},
               {"role", "client"},
               {"languages",
                {{{"tag", "ar"}, {"autonym", "العربية"}, {"dir", "rtl"}},
                 {{"tag", "fi"}, {"autonym", "Suomi"}, {"dir", "ltr"}}}},
               {"municipalities",
                {{{"code", "049"}, {"name", "Espoo"}}, {{"code", "091"}, {"name", "Helsinki"}}}},
               {"limits", {{"max_text_bytes", 4000}}}});
}

TEST_CASE("an advisor's welcome also describes the signed-in advisor", "[protocol][encode]") {
    protocol::Welcome welcome;
    welcome.role = core::Role::advisor;
    welcome.languages = {{"ar", "العربية", true}};
    welcome.municipalities = {{"091", "Helsinki", "capital-region"}};
    welcome.max_text_bytes = 2500;
    welcome.advisor = protocol::WelcomeAdvisor{"Aino", "091-virka", "Virka Info", {"fi", "ar"}};

    auto frame = parse_valid_to_peer(protocol::encode(welcome));
    CHECK(frame.at("role") == "advisor");
    CHECK(frame.at("limits") == json{{"max_text_bytes", 2500}});
    CHECK(frame.at("advisor") == json{{"name", "Aino"},
                                      {"point", "091-virka"},
                                      {"point_name", "Virka Info"},
                                      {"languages", {"fi", "ar"}}});
}

TEST_CASE("a welcome with nothing to offer still has empty lists, not missing ones",
          "[protocol][encode]") {
    protocol::Welcome welcome;
    auto frame = parse_valid_to_peer(protocol::encode(welcome));
    CHECK(frame.at("languages") == json::array());
    CHECK(frame.at("municipalities") == json::array());
    CHECK_FALSE(frame.contains("advisor"));
}
