#pragma once

// Steps that many integration tests take: an advisor signed in and available, a welcomed
// client, an offer accepted.

#include "test_server.hpp"
#include "wss_client.hpp"

#include <catch2/catch.hpp>

#include <memory>
#include <string>

namespace neuvo::testing {

inline const std::string test_password = "correct horse 1";

// Connects an advisor, checks the welcome, and makes them available with the given capacity.
inline std::unique_ptr<WssClient> available_advisor(const TestServer& server,
                                                    const std::string& login, int capacity = 3) {
    auto advisor = std::make_unique<WssClient>(
        server.port(),
        WssClient::Options{"/ws/advisor", sign_in(server.port(), login, test_password)});
    auto welcome = advisor->expect("welcome");
    REQUIRE(welcome["role"] == "advisor");
    REQUIRE(welcome["advisor"]["point"].is_string());
    REQUIRE(advisor->expect("presence")["status"] == "away");
    advisor->send(
        {{"type", "presence"}, {"id", "p-1"}, {"status", "available"}, {"capacity", capacity}});
    auto presence = advisor->expect("presence");
    REQUIRE(presence["status"] == "available");
    REQUIRE(presence["capacity"] == capacity);
    return advisor;
}

inline std::unique_ptr<WssClient> welcomed_client(const TestServer& server) {
    auto client = std::make_unique<WssClient>(server.port());
    REQUIRE(client->negotiated_subprotocol() == "neuvo.v1");
    auto welcome = client->expect("welcome");
    REQUIRE(welcome["role"] == "client");
    return client;
}

// Waits for the advisor's next offer and accepts it; returns the advisor's conversation_started.
inline nlohmann::json accept_next_offer(WssClient& advisor) {
    auto offer = advisor.await("offer");
    advisor.send({{"type", "accept"},
                  {"id", "a-" + offer["conversation"].get<std::string>()},
                  {"conversation", offer["conversation"]}});
    auto started = advisor.await("conversation_started");
    REQUIRE(started["conversation"] == offer["conversation"]);
    REQUIRE(started["tier"] == offer["tier"]);
    return started;
}

} // namespace neuvo::testing
