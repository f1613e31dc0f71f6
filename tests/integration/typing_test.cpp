// "Aino is typing...": typing indications between a client and an advisor over real WSS. They
// reach the other side only, carry no seq, are thinned out by the server, and outsiders are
// refused.

#include "journey_steps.hpp"

#include <catch2/catch.hpp>

using namespace neuvo::testing;
using nlohmann::json;

namespace {

const std::vector<AdvisorLogin> advisors = {
    {"aino", "Aino", "091-virka", "fi,ar"},
};

} // namespace

TEST_CASE("typing goes to the other side of the conversation, unnumbered and thinned out",
          "[integration]") {
    TestServer server(advisors);
    auto aino = available_advisor(server, "aino");
    auto client = welcomed_client(server);
    client->send({{"type", "request"}, {"id", "r-1"}, {"language", "ar"}, {"home", "049"}});
    const std::string conversation = accept_next_offer(*aino)["conversation"];
    REQUIRE(client->await("conversation_started")["conversation"] == conversation);

    client->send({{"type", "typing"}, {"conversation", conversation}});
    auto typing = aino->await("typing");
    CHECK(typing == json{{"type", "typing"}, {"conversation", conversation}, {"from", "client"}});

    aino->send({{"type", "typing"}, {"conversation", conversation}});
    typing = client->await("typing");
    CHECK(typing == json{{"type", "typing"},
                         {"conversation", conversation},
                         {"from", "advisor"},
                         {"name", "Aino"}});
    // Fire and forget: the sender hears nothing back.
    CHECK_FALSE(aino->try_receive(300ms));

    // More typing within two seconds is dropped: the advisor's next frame is the message, and
    // the message is the conversation's first numbered event.
    for (int i = 0; i < 5; ++i)
        client->send({{"type", "typing"}, {"conversation", conversation}});
    client->send(
        {{"type", "message"}, {"id", "m-1"}, {"conversation", conversation}, {"text", "مرحبا"}});
    CHECK(client->expect("accepted")["seq"] == 1);
    auto message = aino->await("message");
    CHECK(message["seq"] == 1);
    CHECK(message["text"] == "مرحبا");

    // Someone else, and a frame without a conversation.
    auto outsider = welcomed_client(server);
    outsider->send({{"type", "typing"}, {"conversation", conversation}});
    auto refused = outsider->expect("error");
    CHECK(refused["code"] == "not_in_conversation");
    CHECK_FALSE(refused.contains("ref"));
    outsider->send({{"type", "typing"}});
    auto missing = outsider->expect("error");
    CHECK(missing["code"] == "missing_field");
    CHECK_FALSE(aino->try_receive(300ms));

    // Once the conversation has ended there is nobody to tell.
    client->send({{"type", "end"}, {"id", "e-1"}, {"conversation", conversation}});
    CHECK(client->expect("conversation_ended")["seq"] == 2);
    CHECK(aino->await("conversation_ended")["reason"] == "client");
    aino->send({{"type", "typing"}, {"conversation", conversation}});
    CHECK(aino->await("error")["code"] == "not_in_conversation");
    CHECK_FALSE(client->try_receive(300ms));
}
