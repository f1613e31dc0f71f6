// A client and advisors over real WSS against the real server: routing by language and home
// municipality, messages in order both ways, queueing, and the register rows that result.

#include "../store/register_allowlist.hpp"
#include "journey_steps.hpp"

#include "neuvo/store/database.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <set>
#include <sstream>

using namespace neuvo::testing;
using nlohmann::json;

namespace {

const std::vector<AdvisorLogin> arabic_advisors = {
    {"aino", "Aino", "091-virka", "fi,ar"},       // capital region: reaches an Espoo client
    {"leila", "Leila", "837-mainio", "fi,ar,fa"}, // Tampere: national pool only for Espoo
};

std::string file_bytes(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

} // namespace

TEST_CASE("an Arabic-speaking client from Espoo reaches a capital-region advisor and they talk",
          "[integration]") {
    TestServer server(arabic_advisors);
    auto leila = available_advisor(server, "leila");
    auto aino = available_advisor(server, "aino");

    auto client = welcomed_client(server);
    client->send({{"type", "request"}, {"id", "r-1"}, {"language", "ar"}, {"home", "049"}});
    // The capital-region advisor is offered the client; the client waits at position 1 meanwhile.
    auto offer = aino->await("offer");
    CHECK(offer["language"] == "ar");
    CHECK(offer["home"] == "049");
    CHECK(offer["tier"] == "region");
    CHECK(client->expect("queued")["position"] == 1);
    aino->send({{"type", "accept"}, {"id", "a-1"}, {"conversation", offer["conversation"]}});
    auto started = client->await("conversation_started");
    CHECK(started["request"] == "r-1");
    CHECK(started["tier"] == "region");
    CHECK(started["advisor"]["name"] == "Aino");
    CHECK(started["advisor"]["point"] == "091-virka");
    CHECK(started["advisor"]["point_name"] == "Virka Info");
    const std::string conversation = started["conversation"];

    auto offered = aino->await("conversation_started");
    CHECK(offered["conversation"] == conversation);
    CHECK(offered["home"] == "049");
    CHECK(offered["language"] == "ar");
    CHECK_FALSE(offered.contains("request"));
    CHECK_FALSE(leila->try_receive(300ms));        // the Tampere advisor was not bothered
    while (auto update = aino->try_receive(200ms)) // presence updates for the offer and accept
        CHECK((*update)["type"] == "presence");

    // Client to advisor, in order, each acknowledged with its sequence number.
    for (int i = 1; i <= 5; ++i) {
        client->send({{"type", "message"},
                      {"id", "c-" + std::to_string(i)},
                      {"conversation", conversation},
                      {"text", "مرحبا " + std::to_string(i)}});
        auto accepted = client->expect("accepted");
        CHECK(accepted["id"] == "c-" + std::to_string(i));
        CHECK(accepted["seq"] == i);
    }
    for (int i = 1; i <= 5; ++i) {
        auto message = aino->expect("message");
        CHECK(message["seq"] == i);
        CHECK(message["from"] == "client");
        CHECK(message["text"] == "مرحبا " + std::to_string(i));
        CHECK_FALSE(message.contains("author"));
    }
    // Advisor to client, continuing the same numbering.
    for (int i = 1; i <= 3; ++i)
        aino->send({{"type", "message"},
                    {"id", "a-" + std::to_string(i)},
                    {"conversation", conversation},
                    {"text", "Hei " + std::to_string(i)}});
    for (int i = 1; i <= 3; ++i) {
        CHECK(aino->expect("accepted")["seq"] == 5 + i);
        auto message = client->expect("message");
        CHECK(message["seq"] == 5 + i);
        CHECK(message["from"] == "advisor");
        CHECK(message["author"] == "Aino");
        CHECK(message["text"] == "Hei " + std::to_string(i));
    }
    // A resend with the same id is recognised and not delivered twice.
    client->send(
        {{"type", "message"}, {"id", "c-2"}, {"conversation", conversation}, {"text", "مرحبا 2"}});
    auto again = client->expect("accepted");
    CHECK(again["seq"] == 2);
    CHECK(again["duplicate"] == true);
    CHECK_FALSE(aino->try_receive(300ms));

    client->send({{"type", "ack"}, {"conversation", conversation}, {"seq", 8}});
    client->send({{"type", "end"}, {"id", "e-1"}, {"conversation", conversation}});
    auto ended = client->expect("conversation_ended");
    CHECK(ended["reason"] == "client");
    CHECK(ended["seq"] == 9);
    CHECK(aino->await("conversation_ended")["reason"] == "client");
    // The conversation is over, but not its register row: Aino owes the wrap-up.
    auto due = aino->expect("wrapup_due");
    CHECK(due["conversation"] == conversation);
    CHECK(due["language"] == "ar");
    CHECK(due["home"] == "049");
    CHECK(due["channel"] == "chat");
    CHECK(aino->await("presence", {})["active"] == 0);

    // The client rates the advice; a second rating is refused.
    client->send({{"type", "rate"}, {"id", "f-1"}, {"conversation", conversation}, {"rating", 4}});
    CHECK(client->expect("rated")["ref"] == "f-1");
    client->send({{"type", "rate"}, {"id", "f-2"}, {"conversation", conversation}, {"rating", 5}});
    CHECK(client->expect("error")["code"] == "not_in_conversation");

    // A wrap-up with a wrong code is refused, naming the field; the corrected one is saved.
    aino->send({{"type", "wrapup"},
                {"id", "w-0"},
                {"conversation", conversation},
                {"fields", {{"age_group", "25-34"}, {"country", "Iraq"}}}});
    auto refused = aino->expect("error");
    CHECK(refused["code"] == "invalid_field");
    CHECK(refused["ref"] == "w-0");
    CHECK(refused["reason"].get<std::string>().find("country") != std::string::npos);
    aino->send({{"type", "wrapup"},
                {"id", "w-1"},
                {"conversation", conversation},
                {"fields",
                 {{"age_group", "25-34"},
                  {"gender", "female"},
                  {"residence", "1-3"},
                  {"country", "IQ"},
                  {"topics", {"residence-permits", "forms"}},
                  {"referrals", {"migri"}},
                  {"first_contact", "yes"}}}});
    auto done = aino->expect("wrapup_done");
    CHECK(done["status"] == "saved");
    CHECK(done["ref"] == "w-1");
    CHECK(done["conversation"] == conversation);

    REQUIRE(server.stop() == 0);
    neuvo::store::Database database(server.database().string());
    auto rows = database.visits();
    REQUIRE(rows.size() == 1);
    CHECK(rows[0]["wrapup"] == "saved");
    CHECK(rows[0]["age_group"] == "25-34");
    CHECK(rows[0]["gender"] == "female");
    CHECK(rows[0]["residence"] == "1-3");
    CHECK(rows[0]["country"] == "IQ");
    CHECK(rows[0]["education"] == "unknown");
    CHECK(rows[0]["topics"] == "forms residence-permits");
    CHECK(rows[0]["referrals"] == "migri");
    CHECK(rows[0]["first_contact"] == "yes");
    CHECK(rows[0]["rating"] == "4");
    CHECK(rows[0]["outcome"] == "served");
    CHECK(rows[0]["point_id"] == "091-virka");
    CHECK(rows[0]["advisor_point_id"] == "091-virka");
    CHECK(rows[0]["channel"] == "chat");
    CHECK(rows[0]["language"] == "ar");
    CHECK(rows[0]["home_municipality"] == "049");
    CHECK(rows[0]["tier"] == "region");
    CHECK(rows[0]["ended_by"] == "client");
    CHECK(rows[0]["started_hour"].substr(13) == ":00Z");
}

TEST_CASE("a second client waits with position 1 and is served when the first conversation ends",
          "[integration]") {
    TestServer server({{"aino", "Aino", "091-virka", "fi,ar"}});
    auto aino = available_advisor(server, "aino", 1);

    auto first = welcomed_client(server);
    first->send({{"type", "request"}, {"id", "r-1"}, {"language", "ar"}, {"home", "091"}});
    CHECK(accept_next_offer(*aino)["tier"] == "own-point");
    const std::string first_conversation = first->await("conversation_started")["conversation"];

    auto second = welcomed_client(server);
    second->send({{"type", "request"}, {"id", "r-2"}, {"language", "ar"}, {"home", "092"}});
    auto queued = second->await("queued", {});
    CHECK(queued["position"] == 1);
    CHECK(queued["request"] == "r-2");
    CHECK(queued["advisors_signed_in"] == 1);

    // A canary that must never reach the database file or its log.
    const std::string canary = "CANARY-7f3e9a-do-not-store";
    first->send({{"type", "message"},
                 {"id", "m-1"},
                 {"conversation", first_conversation},
                 {"text", canary}});
    first->expect("accepted");
    CHECK(aino->await("message")["text"] == canary);

    aino->send({{"type", "end"}, {"id", "e-1"}, {"conversation", first_conversation}});
    CHECK(first->expect("conversation_ended")["reason"] == "advisor");
    CHECK(aino->await("conversation_ended")["conversation"] == first_conversation);

    // Freed capacity goes to the waiting client at once, as an offer.
    auto seen_by_advisor = accept_next_offer(*aino);
    auto started = second->await("conversation_started");
    CHECK(started["request"] == "r-2");
    CHECK(started["tier"] == "region");
    CHECK(seen_by_advisor["conversation"] == started["conversation"]);

    // The second client leaves by closing its socket: the conversation ends for the advisor.
    second->close();
    auto ended = aino->await("conversation_ended");
    CHECK(ended["reason"] == "client_disconnected");

    REQUIRE(server.stop() == 0);
    {
        neuvo::store::Database database(server.database().string());
        auto rows = database.visits();
        REQUIRE(rows.size() == 2);
        CHECK(rows[0]["ended_by"] == "advisor");
        CHECK(rows[0]["tier"] == "own-point");
        CHECK(rows[0]["home_municipality"] == "091");
        CHECK(rows[1]["ended_by"] == "client_disconnected");
        CHECK(rows[1]["home_municipality"] == "092");
        CHECK(std::stoll(rows[1]["wait_seconds"]) >= 0);
        const auto keys = neuvo::testing::allowed_visit_row_keys();
        const std::set<std::string> allowed(keys.begin(), keys.end());
        // The server stopped before Aino wrote the wrap-ups: the rows were written without them.
        for (const auto& row : rows)
            CHECK(row.at("wrapup") == "missing");
        for (const auto& row : rows)
            for (const auto& [column, value] : row) {
                CHECK(allowed.count(column) == 1);
                CHECK(value.find("CANARY") == std::string::npos);
            }
    }
    for (const auto& suffix : {"", "-wal", "-shm"}) {
        auto path = server.database().string() + suffix;
        if (std::filesystem::exists(path))
            CHECK(file_bytes(path).find(canary) == std::string::npos);
    }
    CHECK(server.log().find(canary) == std::string::npos);
}

TEST_CASE("a line that moves fast tells a waiting client its latest place, not every move",
          "[integration]") {
    // Three seconds, so that the five departures below fall within one interval even on a slow
    // (sanitized) build.
    TestServer server({{"aino", "Aino", "091-virka", "fi,ar"}},
                      [](json& config) { config["routing"]["queue_news_interval_ms"] = 3000; });
    std::vector<std::unique_ptr<WssClient>> ahead;
    for (int i = 1; i <= 5; ++i) {
        ahead.push_back(welcomed_client(server));
        ahead.back()->send({{"type", "request"},
                            {"id", "r-" + std::to_string(i)},
                            {"language", "so"},
                            {"home", "091"}});
        CHECK(ahead.back()->expect("queued")["position"] == i);
    }
    auto last = welcomed_client(server);
    last->send({{"type", "request"}, {"id", "r-6"}, {"language", "so"}, {"home", "091"}});
    CHECK(last->await("queued", {"alternatives"})["position"] == 6); // the first news at once
    for (auto& client : ahead)
        client->close();
    // The five moves arrive as one message with where the client is now.
    auto moved = last->await("queued", {"alternatives"});
    CHECK(moved["position"] == 1);
    CHECK(moved["request"] == "r-6");
    CHECK_FALSE(last->try_receive(500ms).has_value());
}

TEST_CASE("a queued client who leaves is removed at once and counted as unserved",
          "[integration]") {
    TestServer server({{"aino", "Aino", "091-virka", "fi,ar"}});
    auto waiting = welcomed_client(server);
    waiting->send({{"type", "request"}, {"id", "r-1"}, {"language", "so"}, {"home", "205"}});
    auto queued = waiting->expect("queued");
    CHECK(queued["position"] == 1);
    CHECK(queued["advisors_signed_in"] == 0); // nobody speaking Somali is signed in: say so
    CHECK_FALSE(queued.contains("estimated_wait_seconds"));
    CHECK(waiting->expect("alternatives")["reason"] == "nobody_signed_in");

    auto behind = welcomed_client(server);
    behind->send({{"type", "request"}, {"id", "r-2"}, {"language", "so"}});
    CHECK(behind->expect("queued")["position"] == 2);
    behind->expect("alternatives");

    waiting->close();
    auto moved_up = behind->expect("queued");
    CHECK(moved_up["position"] == 1);

    REQUIRE(server.stop() == 0);
    neuvo::store::Database database(server.database().string());
    auto rows = database.visits();
    REQUIRE(rows.size() == 1); // the one who left; the one still waiting is kept for the next start
    CHECK(database.open_work().clients.size() == 1);
    CHECK(rows[0]["outcome"] == "unserved");
    CHECK(rows[0]["language"] == "so");
    CHECK(rows[0]["home_municipality"] == "205");
    CHECK(rows[0]["ended_by"] == "client_left_queue");
    CHECK(rows[0]["point_id"] == "");
}
