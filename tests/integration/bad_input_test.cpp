// Every bad input gets its clear answer, and nothing else is disturbed: a conversation running
// beside the misbehaving connection carries on untouched.

#include "journey_steps.hpp"

#include <catch2/catch.hpp>

using namespace neuvo::testing;
using nlohmann::json;

namespace {

struct RunningConversation {
    std::unique_ptr<WssClient> advisor;
    std::unique_ptr<WssClient> client;
    std::string id;
};

RunningConversation start_conversation(const TestServer& server) {
    RunningConversation running;
    running.advisor = std::make_unique<WssClient>(
        server.port(),
        WssClient::Options{"/ws/advisor", sign_in(server.port(), "aino", "correct horse 1")});
    running.advisor->expect("welcome");
    running.advisor->expect("presence");
    running.advisor->send({{"type", "presence"}, {"id", "p"}, {"status", "available"}});
    running.advisor->expect("presence");
    running.client = std::make_unique<WssClient>(server.port());
    running.client->expect("welcome");
    running.client->send({{"type", "request"}, {"id", "r"}, {"language", "fi"}});
    accept_next_offer(*running.advisor);
    running.id = running.client->await("conversation_started")["conversation"];
    while (running.advisor->try_receive(200ms)) // presence updates for the offer and accept
        ;
    return running;
}

// The bystanders' conversation still works both ways.
void check_still_talking(RunningConversation& running, const std::string& tag) {
    running.client->send(
        {{"type", "message"}, {"id", "c-" + tag}, {"conversation", running.id}, {"text", tag}});
    running.client->expect("accepted");
    REQUIRE(running.advisor->expect("message")["text"] == tag);
    running.advisor->send(
        {{"type", "message"}, {"id", "a-" + tag}, {"conversation", running.id}, {"text", tag}});
    running.advisor->expect("accepted");
    REQUIRE(running.client->expect("message")["text"] == tag);
}

json error_for(WssClient& peer, const std::string& frame) {
    peer.send_text(frame);
    return peer.expect("error");
}

} // namespace

TEST_CASE("bad frames get a stable error code and the connection and others carry on",
          "[integration]") {
    TestServer server({{"aino", "Aino", "091-virka", "fi,ar"}});
    auto running = start_conversation(server);
    WssClient rude(server.port());
    rude.expect("welcome");

    auto error = error_for(rude, "{not json");
    CHECK(error["code"] == "bad_json");
    CHECK_FALSE(error["reason"].get<std::string>().empty());

    error = error_for(rude, R"({"type":"teleport","id":"t-1"})");
    CHECK(error["code"] == "unknown_type");
    CHECK(error["ref"] == "t-1");

    error = error_for(rude, R"({"type":"request","id":"r-1"})");
    CHECK(error["code"] == "missing_field");
    CHECK(error["reason"].get<std::string>().find("language") != std::string::npos);
    CHECK(error["ref"] == "r-1");

    error = error_for(rude, R"({"id":"x"})");
    CHECK(error["code"] == "missing_field");

    error = error_for(rude, R"({"type":"presence","id":"p-1","status":"available"})");
    CHECK(error["code"] == "not_allowed");

    error = error_for(rude, R"({"type":"request","id":"r-2","language":"xx"})");
    CHECK(error["code"] == "unknown_language");

    error = error_for(rude, R"({"type":"request","id":"r-3","language":"fi","home":"999"})");
    CHECK(error["code"] == "unknown_municipality");

    // Another party's conversation cannot be written into, nor even confirmed to exist.
    error = error_for(rude, json{{"type", "message"},
                                 {"id", "m-1"},
                                 {"conversation", running.id},
                                 {"text", "let me in"}}
                                .dump());
    CHECK(error["code"] == "not_in_conversation");
    error =
        error_for(rude, json{{"type", "end"}, {"id", "e-1"}, {"conversation", running.id}}.dump());
    CHECK(error["code"] == "not_in_conversation");

    error = error_for(rude, R"({"type":"accept","id":"a-1","conversation":"k-1"})");
    CHECK(error["code"] == "not_allowed");
    error = error_for(*running.advisor, R"({"type":"accept","id":"a-2","conversation":"k-1"})");
    CHECK(error["code"] == "no_such_offer");
    error = error_for(rude, R"({"type":"cancel","id":"x-1","request":"never-made"})");
    CHECK(error["code"] == "unknown_request");

    check_still_talking(running, "after-errors");

    // The connection that made all those mistakes still works.
    rude.send({{"type", "request"}, {"id", "r-4"}, {"language", "fi"}});
    accept_next_offer(*running.advisor);
    CHECK(rude.await("conversation_started")["request"] == "r-4");
}

TEST_CASE("protocol violations close only the offending connection", "[integration]") {
    TestServer server({{"aino", "Aino", "091-virka", "fi,ar"}},
                      [](json& config) { config["limits"]["max_frame_bytes"] = 8192; });
    auto running = start_conversation(server);

    WssClient binary(server.port());
    binary.expect("welcome");
    binary.send_binary("\x01\x02\x03");
    CHECK(binary.wait_closed() == 1003);

    WssClient oversized(server.port());
    oversized.expect("welcome");
    oversized.send({{"type", "message"},
                    {"id", "big"},
                    {"conversation", "x"},
                    {"text", std::string(10000, 'a')}});
    CHECK(oversized.wait_closed() == 1009);

    check_still_talking(running, "after-violations");
}

TEST_CASE("a chat message over the text limit is refused with message_too_long", "[integration]") {
    TestServer server({{"aino", "Aino", "091-virka", "fi,ar"}});
    auto running = start_conversation(server);
    running.client->send({{"type", "message"},
                          {"id", "long"},
                          {"conversation", running.id},
                          {"text", std::string(4001, 'a')}});
    auto error = running.client->expect("error");
    CHECK(error["code"] == "message_too_long");
    CHECK(error["ref"] == "long");
    CHECK_FALSE(running.advisor->try_receive(300ms));
    check_still_talking(running, "after-long");
}

TEST_CASE("advisor sign-in and the advisor endpoint refuse what they must", "[integration]") {
    TestServer server({{"aino", "Aino", "091-virka", "fi,ar"}});

    auto wrong = https_request(server.port(), "POST", "/api/sign-in",
                               R"({"login":"aino","password":"wrong password"})");
    CHECK(wrong.status == 401);
    CHECK(json::parse(wrong.body)["error"] == "bad_credentials");
    CHECK(wrong.headers.count("set-cookie") == 0);

    auto unknown = https_request(server.port(), "POST", "/api/sign-in",
                                 R"({"login":"nobody","password":"correct horse 1"})");
    CHECK(unknown.status == 401);
    CHECK(json::parse(unknown.body)["error"] == "bad_credentials");

    auto malformed = https_request(server.port(), "POST", "/api/sign-in", "login=aino");
    CHECK(malformed.status == 400);
    CHECK(json::parse(malformed.body)["error"] == "bad_request");

    auto good = https_request(server.port(), "POST", "/api/sign-in",
                              R"({"login":"aino","password":"correct horse 1"})");
    REQUIRE(good.status == 200);
    auto cookie = good.headers["set-cookie"];
    CHECK(cookie.find("HttpOnly") != std::string::npos);
    CHECK(cookie.find("Secure") != std::string::npos);
    CHECK(cookie.find("SameSite=Strict") != std::string::npos);
    CHECK(json::parse(good.body)["advisor"]["point_name"] == "Virka Info");
    auto session = cookie.substr(0, cookie.find(';'));
    CHECK(https_request(server.port(), "GET", "/api/session", {}, session).status == 200);

    // Without a session, with a forged one, or without the subprotocol: refused before upgrade.
    try {
        WssClient no_cookie(server.port(), WssClient::Options{"/ws/advisor", ""});
        FAIL("the advisor endpoint accepted a handshake without a session");
    } catch (const HandshakeRefused& refused) {
        CHECK(refused.status == 401);
        CHECK(json::parse(refused.body)["error"] == "not_authenticated");
    }
    try {
        WssClient forged(
            server.port(),
            WssClient::Options{"/ws/advisor", "neuvo_session=" + std::string(64, 'a')});
        FAIL("the advisor endpoint accepted a forged session");
    } catch (const HandshakeRefused& refused) {
        CHECK(refused.status == 401);
    }
    try {
        WssClient no_protocol(server.port(), WssClient::Options{"/ws/client", "", ""});
        FAIL("a handshake without the subprotocol was accepted");
    } catch (const HandshakeRefused& refused) {
        CHECK(refused.status == 400);
    }

    // Signing out ends the session for good.
    CHECK(https_request(server.port(), "POST", "/api/sign-out", {}, session).status == 204);
    CHECK(https_request(server.port(), "GET", "/api/session", {}, session).status == 401);
    try {
        WssClient stale(server.port(), WssClient::Options{"/ws/advisor", session});
        FAIL("a signed-out session opened the advisor endpoint");
    } catch (const HandshakeRefused& refused) {
        CHECK(refused.status == 401);
    }
    CHECK(server.log().find("correct horse") == std::string::npos);
    CHECK(server.log().find(session.substr(14)) == std::string::npos);
}

TEST_CASE("a second sign-in of the same advisor replaces the first connection", "[integration]") {
    TestServer server({{"aino", "Aino", "091-virka", "fi,ar"}});
    auto cookie = sign_in(server.port(), "aino", "correct horse 1");
    WssClient first(server.port(), WssClient::Options{"/ws/advisor", cookie});
    first.expect("welcome");
    first.expect("presence");
    WssClient second(server.port(), WssClient::Options{"/ws/advisor", cookie});
    second.expect("welcome");
    second.expect("presence");
    CHECK(first.expect("error")["code"] == "session_replaced");
    CHECK(first.wait_closed() == 1008);
}
