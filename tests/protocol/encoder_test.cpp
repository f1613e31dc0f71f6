// Every frame the server sends is built by protocol::encode. Each test compares the whole frame
// with the exact object PROTOCOL.md describes, so an extra, missing or renamed field fails, and
// runs the frame through the same schema that checks the document's examples.

#include "neuvo/protocol/codec.hpp"
#include "neuvo/protocol/schema.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <optional>
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
    core::ConversationStarted message;
    message.conversation = "k3f9-1";
    message.request_id = std::move(request_id);
    message.language = "ar";
    message.home_municipality = "049";
    message.tier = tier;
    message.advisor_name = "Aino";
    message.point_id = "091-virka";
    message.point_name = "Virka Info";
    return message;
}

} // namespace

TEST_CASE("queued carries the client's request id, language and position", "[protocol][encode]") {
    // Without an estimate (nobody speaking the language is signed in) the field is left out.
    CHECK(encoded(core::Queued{"r-1", "ar", 2, 0, std::nullopt}) ==
          json{{"type", "queued"},
               {"request", "r-1"},
               {"language", "ar"},
               {"position", 2},
               {"advisors_signed_in", 0}});
}

TEST_CASE("queued carries the estimated wait when there is one, zero included",
          "[protocol][encode]") {
    CHECK(encoded(core::Queued{"r-1", "ar", 2, 1, 540}) == json{{"type", "queued"},
                                                                {"request", "r-1"},
                                                                {"language", "ar"},
                                                                {"position", 2},
                                                                {"advisors_signed_in", 1},
                                                                {"estimated_wait_seconds", 540}});
    // An estimate of 0 seconds is an estimate, not a missing one.
    auto now = encoded(core::Queued{"r-2", "fi", 1, 3, 0});
    REQUIRE(now.contains("estimated_wait_seconds"));
    CHECK(now.at("estimated_wait_seconds") == 0);
}

TEST_CASE("offer names the conversation to be, its tier and when it expires",
          "[protocol][encode]") {
    using namespace std::chrono;
    core::Offer offer{.conversation = "k3f9-1",
                      .language = "ar",
                      .home_municipality = "049",
                      .tier = core::Tier::region,
                      .expires_at = november_25_at_14_03_07(milliseconds(123)) + seconds(20),
                      .kind = core::OfferKind::request,
                      .transferred = false,
                      .from = std::nullopt,
                      .note = "",
                      .channel = "chat",
                      .organisation = ""};
    CHECK(encoded(offer) == json{{"type", "offer"},
                                 {"conversation", "k3f9-1"},
                                 {"kind", "request"},
                                 {"language", "ar"},
                                 {"home", "049"},
                                 {"tier", "region"},
                                 {"expires_at", "2026-11-25T14:03:27.123Z"}});

    // expires_at is formatted like sent_at: UTC, truncated to the millisecond.
    offer.expires_at = november_25_at_14_03_07(milliseconds(999) + nanoseconds(999'999));
    CHECK(encoded(offer).at("expires_at") == "2026-11-25T14:03:07.999Z");

    const std::vector<std::pair<core::Tier, std::string>> tiers = {
        {core::Tier::own_point, "own-point"},
        {core::Tier::region, "region"},
        {core::Tier::partner, "partner"},
        {core::Tier::national, "national"},
    };
    for (const auto& [tier, name] : tiers) {
        INFO("tier " << name);
        offer.tier = tier;
        CHECK(encoded(offer).at("tier") == name);
    }
}

TEST_CASE("offer_withdrawn carries each documented reason", "[protocol][encode]") {
    CHECK(encoded(core::OfferWithdrawn{"k3f9-1", "timeout"}) ==
          json{{"type", "offer_withdrawn"}, {"conversation", "k3f9-1"}, {"reason", "timeout"}});
    for (const char* reason : {"declined", "client_left"}) {
        INFO("reason " << reason);
        CHECK(encoded(core::OfferWithdrawn{"k3f9-2", reason}) ==
              json{{"type", "offer_withdrawn"}, {"conversation", "k3f9-2"}, {"reason", reason}});
    }
}

TEST_CASE("alternatives tell when the language is next staffed and how the other languages wait",
          "[protocol][encode]") {
    using namespace std::chrono;
    core::Alternatives alternatives{
        .request_id = "r-1",
        .language = "th",
        .reason = "nobody_signed_in",
        .next_staffed = core::NextStaffed{sys_days{year{2026} / November / 25} + hours(7),
                                          "564-oulu10", "Oulu10"},
        .other_languages = {{"en", 2, 0}, {"fi", 0, std::nullopt}, {"so", 1, 1260}}};
    // A language nobody speaking it is signed in for has no estimate rather than a made-up one.
    CHECK(
        encoded(alternatives) ==
        json{
            {"type", "alternatives"},
            {"request", "r-1"},
            {"language", "th"},
            {"reason", "nobody_signed_in"},
            {"next_staffed",
             {{"at", "2026-11-25T07:00:00.000Z"},
              {"point", "564-oulu10"},
              {"point_name", "Oulu10"}}},
            {"other_languages",
             {{{"language", "en"}, {"advisors_signed_in", 2}, {"estimated_wait_seconds", 0}},
              {{"language", "fi"}, {"advisors_signed_in", 0}},
              {{"language", "so"}, {"advisors_signed_in", 1}, {"estimated_wait_seconds", 1260}}}}});
}

TEST_CASE("alternatives without a schedule or other languages leave out next_staffed only",
          "[protocol][encode]") {
    core::Alternatives alternatives{.request_id = "r-9",
                                    .language = "ar",
                                    .reason = "long_wait",
                                    .next_staffed = std::nullopt,
                                    .other_languages = {}};
    // other_languages is required, so an empty list is sent as [] rather than left out.
    CHECK(encoded(alternatives) == json{{"type", "alternatives"},
                                        {"request", "r-9"},
                                        {"language", "ar"},
                                        {"reason", "long_wait"},
                                        {"other_languages", json::array()}});
}

TEST_CASE("request_closed names the request and why it closed", "[protocol][encode]") {
    CHECK(encoded(core::RequestClosed{"r-1", "cancelled"}) ==
          json{{"type", "request_closed"}, {"request", "r-1"}, {"reason", "cancelled"}});
}

TEST_CASE("advisor_connection says whether the advisor is reconnecting or back",
          "[protocol][encode]") {
    CHECK(encoded(core::AdvisorConnection{"k3f9-1", "reconnecting"}) ==
          json{{"type", "advisor_connection"},
               {"conversation", "k3f9-1"},
               {"status", "reconnecting"}});
    CHECK(encoded(core::AdvisorConnection{"k3f9-2", "back"}) ==
          json{{"type", "advisor_connection"}, {"conversation", "k3f9-2"}, {"status", "back"}});
}

TEST_CASE("typing names the advisor, never the client, and carries no seq", "[protocol][encode]") {
    CHECK(
        encoded(
            core::Typing{.conversation = "k3f9-1", .from = core::Role::advisor, .name = "Aino"}) ==
        json{
            {"type", "typing"}, {"conversation", "k3f9-1"}, {"from", "advisor"}, {"name", "Aino"}});
    CHECK(encoded(core::Typing{.conversation = "k3f9-1", .from = core::Role::client, .name = ""}) ==
          json{{"type", "typing"}, {"conversation", "k3f9-1"}, {"from", "client"}});
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

TEST_CASE("presence reports status, capacity, active conversations and follow_schedule",
          "[protocol][encode]") {
    // follow_schedule is always sent, false included; reason only when the server set the state.
    CHECK(encoded(core::PresenceState{core::Presence::available, 3, 1, false, ""}) ==
          json{{"type", "presence"},
               {"status", "available"},
               {"capacity", 3},
               {"active", 1},
               {"follow_schedule", false}});
    CHECK(encoded(core::PresenceState{core::Presence::away, 2, 0, true, ""}) ==
          json{{"type", "presence"},
               {"status", "away"},
               {"capacity", 2},
               {"active", 0},
               {"follow_schedule", true}});
}

TEST_CASE("presence set by the server itself says why", "[protocol][encode]") {
    CHECK(encoded(core::PresenceState{.status = core::Presence::away,
                                      .capacity = 3,
                                      .active = 0,
                                      .follow_schedule = false,
                                      .reason = "missed_offers"}) ==
          json{{"type", "presence"},
               {"status", "away"},
               {"capacity", 3},
               {"active", 0},
               {"follow_schedule", false},
               {"reason", "missed_offers"}});
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

TEST_CASE("a refusal for going too fast says how long to wait, in milliseconds",
          "[protocol][encode]") {
    using namespace std::chrono_literals;
    auto refusal = parse_valid_to_peer(protocol::encode(core::Outbound{
        core::ErrorReply{"rate_limited", "too many messages at once", "m-14", 1500ms}}));
    CHECK(refusal == json{{"type", "error"},
                          {"code", "rate_limited"},
                          {"reason", "too many messages at once"},
                          {"ref", "m-14"},
                          {"retry_after_ms", 1500}});
    // Other errors have nothing to wait for.
    CHECK_FALSE(
        encoded(core::ErrorReply{"empty_message", "blank", "m-3"}).contains("retry_after_ms"));
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

TEST_CASE("a client's welcome carries its resume token and window", "[protocol][encode]") {
    protocol::Welcome welcome;
    welcome.role = core::Role::client;
    welcome.max_text_bytes = 4000;
    welcome.resume_token = "3f1c9a0be47d2286a1f05c7e9b3d4e61";
    welcome.resume_window_seconds = 120;
    CHECK(parse_valid_to_peer(protocol::encode(welcome)).at("resume") ==
          json{{"token", "3f1c9a0be47d2286a1f05c7e9b3d4e61"}, {"window_seconds", 120}});
    // An advisor's welcome has none: advisors come back by their session cookie.
    welcome.resume_token.clear();
    CHECK_FALSE(parse_valid_to_peer(protocol::encode(welcome)).contains("resume"));
}

TEST_CASE("resumed and client_connection say what the reconnecting side finds",
          "[protocol][encode]") {
    CHECK(encoded(core::Resumed{"s-1", "conversation", "k3f9-1"}) ==
          json{{"type", "resumed"},
               {"ref", "s-1"},
               {"state", "conversation"},
               {"conversation", "k3f9-1"}});
    CHECK(encoded(core::Resumed{"s-2", "waiting", ""}) ==
          json{{"type", "resumed"}, {"ref", "s-2"}, {"state", "waiting"}});
    CHECK(encoded(core::ClientConnection{"k3f9-1", "reconnecting"}) ==
          json{{"type", "client_connection"},
               {"conversation", "k3f9-1"},
               {"status", "reconnecting"}});
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
