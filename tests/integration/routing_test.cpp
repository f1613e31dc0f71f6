// Routing over real WSS with short timers: offers that are not answered move on to the next
// advisor, missed offers set an advisor away, and a dropped advisor's clients wait for a grace
// period, then go back to the head of the queue.

#include "journey_steps.hpp"

#include "neuvo/store/database.hpp"

#include <catch2/catch.hpp>

using namespace neuvo::testing;
using nlohmann::json;

namespace {

const std::vector<AdvisorLogin> arabic_advisors = {
    {"aino", "Aino", "091-virka", "fi,ar"},       // Helsinki: own point for a Helsinki client
    {"leila", "Leila", "837-mainio", "fi,ar,fa"}, // Tampere: national pool
};

// Offers expire after a second and a dropped advisor is waited for a second (or `grace`).
std::function<void(json&)> quick_timers(int grace_seconds = 1) {
    return [grace_seconds](json& config) {
        config["routing"]["offer_timeout_seconds"] = 1;
        config["routing"]["max_missed_offers"] = 2;
        config["routing"]["advisor_grace_seconds"] = grace_seconds;
    };
}

std::string start_conversation(WssClient& client, WssClient& advisor, const std::string& request,
                               const std::string& home) {
    client.send({{"type", "request"}, {"id", request}, {"language", "ar"}, {"home", home}});
    accept_next_offer(advisor);
    return client.await("conversation_started")["conversation"];
}

} // namespace

TEST_CASE("an offer not accepted in time goes to the next advisor, the client keeping its place",
          "[integration][routing]") {
    TestServer server(arabic_advisors, quick_timers());
    auto aino = available_advisor(server, "aino");
    auto leila = available_advisor(server, "leila");
    auto client = welcomed_client(server);
    client->send({{"type", "request"}, {"id", "r-1"}, {"language", "ar"}, {"home", "091"}});

    auto first_offer = aino->await("offer");
    CHECK(first_offer["tier"] == "own-point");
    auto withdrawn = aino->await("offer_withdrawn", {"presence"}, 4s);
    CHECK(withdrawn["conversation"] == first_offer["conversation"]);
    CHECK(withdrawn["reason"] == "timeout");

    auto second_offer = leila->await("offer");
    CHECK(second_offer["tier"] == "national");
    leila->send(
        {{"type", "accept"}, {"id", "a-1"}, {"conversation", second_offer["conversation"]}});
    auto started = client->await("conversation_started");
    CHECK(started["request"] == "r-1");
    CHECK(started["advisor"]["name"] == "Leila");

    // One miss is not yet "repeated": Aino is still available.
    auto presence = aino->await("presence", {});
    CHECK(presence["status"] == "available");
    CHECK(presence["active"] == 0);
}

TEST_CASE("a declined offer goes to the next advisor at once", "[integration][routing]") {
    TestServer server(arabic_advisors);
    auto aino = available_advisor(server, "aino");
    auto leila = available_advisor(server, "leila");
    auto client = welcomed_client(server);
    client->send({{"type", "request"}, {"id", "r-1"}, {"language", "ar"}, {"home", "091"}});
    auto offer = aino->await("offer");
    aino->send({{"type", "decline"}, {"id", "d-1"}, {"conversation", offer["conversation"]}});
    CHECK(aino->await("offer_withdrawn")["reason"] == "declined");
    accept_next_offer(*leila);
    CHECK(client->await("conversation_started")["advisor"]["name"] == "Leila");
}

TEST_CASE("repeatedly missed offers set the advisor away", "[integration][routing]") {
    TestServer server({arabic_advisors[0]}, quick_timers());
    auto aino = available_advisor(server, "aino");
    auto first = welcomed_client(server);
    first->send({{"type", "request"}, {"id", "r-1"}, {"language", "ar"}});
    aino->await("offer");
    CHECK(aino->await("offer_withdrawn", {"presence"}, 4s)["reason"] == "timeout");
    auto second = welcomed_client(server);
    second->send({{"type", "request"}, {"id", "r-2"}, {"language", "ar"}});
    aino->await("offer");
    CHECK(aino->await("offer_withdrawn", {"presence"}, 4s)["reason"] == "timeout");
    json presence;
    do
        presence = aino->await("presence", {});
    while (presence["status"] == "available");
    CHECK(presence["status"] == "away");
    CHECK(presence["reason"] == "missed_offers");
}

TEST_CASE("an advisor who drops is waited for, then the client goes to the head of the queue",
          "[integration][routing]") {
    TestServer server({arabic_advisors[0]}, quick_timers());
    auto aino = available_advisor(server, "aino", 1);
    auto served = welcomed_client(server);
    auto conversation = start_conversation(*served, *aino, "r-1", "091");
    auto waiting = welcomed_client(server);
    waiting->send({{"type", "request"}, {"id", "r-2"}, {"language", "ar"}, {"home", "091"}});
    CHECK(waiting->await("queued", {})["position"] == 1);

    aino->drop();
    auto notice = served->await("advisor_connection");
    CHECK(notice["conversation"] == conversation);
    CHECK(notice["status"] == "reconnecting");
    served->send({{"type", "message"},
                  {"id", "m-1"},
                  {"conversation", conversation},
                  {"text", "are you there?"}});
    auto refused = served->await("error");
    CHECK(refused["code"] == "advisor_unavailable");
    CHECK(refused["ref"] == "m-1");

    // After the grace period the conversation ends and the client is first in line again.
    auto ended = served->await("conversation_ended", {}, 4s);
    CHECK(ended["reason"] == "advisor_disconnected");
    auto requeued = served->await("queued", {});
    CHECK(requeued["request"] == "r-1");
    CHECK(requeued["position"] == 1);
    CHECK(waiting->await("queued", {})["position"] == 2);

    REQUIRE(server.stop() == 0);
    neuvo::store::Database database(server.database().string());
    auto rows = database.visits();
    REQUIRE_FALSE(rows.empty());
    CHECK(rows[0]["ended_by"] == "advisor_disconnected");
}

TEST_CASE("an advisor who reconnects within the grace period keeps the conversation",
          "[integration][routing]") {
    TestServer server({arabic_advisors[0]}, quick_timers(30));
    auto aino = available_advisor(server, "aino");
    auto client = welcomed_client(server);
    auto conversation = start_conversation(*client, *aino, "r-1", "091");
    auto cookie = sign_in(server.port(), "aino", test_password);
    aino->drop();
    CHECK(client->await("advisor_connection")["status"] == "reconnecting");

    WssClient back(server.port(), WssClient::Options{"/ws/advisor", cookie});
    back.expect("welcome");
    CHECK(back.await("conversation_started", {})["conversation"] == conversation);
    auto presence = back.await("presence", {});
    CHECK(presence["status"] == "available"); // restored, not reset to away
    CHECK(presence["active"] == 1);
    CHECK(client->await("advisor_connection")["status"] == "back");

    client->send({{"type", "message"},
                  {"id", "m-1"},
                  {"conversation", conversation},
                  {"text", "still here"}});
    client->await("accepted");
    CHECK(back.await("message")["text"] == "still here");
}

TEST_CASE("an advisor who signs out ends the conversations at once, the clients keeping their turn",
          "[integration][routing]") {
    TestServer server({arabic_advisors[0]}); // the default grace period is a minute
    auto aino = available_advisor(server, "aino", 1);
    auto served = welcomed_client(server);
    auto conversation = start_conversation(*served, *aino, "r-1", "091");
    auto waiting = welcomed_client(server);
    waiting->send({{"type", "request"}, {"id", "r-2"}, {"language", "ar"}, {"home", "091"}});
    CHECK(waiting->await("queued", {})["position"] == 1);

    aino->close(); // a normal close (1000), as the advisor page does on signing out
    auto ended = served->await("conversation_ended", {}, 2s);
    CHECK(ended["conversation"] == conversation);
    CHECK(ended["reason"] == "advisor_disconnected");
    auto requeued = served->await("queued", {});
    CHECK(requeued["request"] == "r-1");
    CHECK(requeued["position"] == 1);
    CHECK(waiting->await("queued", {})["position"] == 2);
}

TEST_CASE("supervisors see queues and loads live, other roles do not", "[integration][routing]") {
    TestServer server(
        {arabic_advisors[0], {"sanna", "Sanna", "091-virka", "fi", test_password, "supervisor"}});
    auto aino = available_advisor(server, "aino", 2);
    auto waiting = welcomed_client(server);
    waiting->send({{"type", "request"}, {"id", "r-1"}, {"language", "so"}, {"home", "205"}});
    waiting->await("queued", {});

    auto live = https_request(server.port(), "GET", "/api/live", {},
                              sign_in(server.port(), "sanna", test_password));
    REQUIRE(live.status == 200);
    CHECK(live.headers["cache-control"] == "no-store");
    auto view = json::parse(live.body);
    json somali;
    for (const auto& language : view["languages"])
        if (language["language"] == "so")
            somali = language;
    REQUIRE(somali.is_object());
    CHECK(somali["autonym"] == "Soomaali");
    CHECK(somali["waiting"] == 1);
    CHECK(somali["advisors_signed_in"] == 0);
    REQUIRE(view["advisors"].size() == 1);
    CHECK(view["advisors"][0]["name"] == "Aino");
    CHECK(view["advisors"][0]["point_name"] == "Virka Info");
    CHECK(view["advisors"][0]["status"] == "available");
    CHECK(view["advisors"][0]["capacity"] == 2);
    CHECK(live.body.find("text") == std::string::npos); // metadata only

    auto as_advisor = https_request(server.port(), "GET", "/api/live", {},
                                    sign_in(server.port(), "aino", test_password));
    CHECK(as_advisor.status == 403);
    CHECK(json::parse(as_advisor.body)["error"] == "not_allowed");
    CHECK(https_request(server.port(), "GET", "/api/live").status == 401);
}
