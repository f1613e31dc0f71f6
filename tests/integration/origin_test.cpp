// Every WebSocket handshake names the page's origin, and the server takes only its own (or the
// configured allowed_origins): otherwise any site open in an advisor's browser could open
// /ws/advisor with the advisor's cookie (cross-site WebSocket hijacking).

#include "journey_steps.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

using namespace neuvo::testing;
using nlohmann::json;

namespace {

const AdvisorLogin aino{"aino", "Aino", "091-virka", "fi,ar"};
const AdvisorLogin kaisa{"kaisa", "Kaisa", "091-virka", "fi", test_password, "clerk"};

// The HTTP status and body of a handshake that must be refused.
HandshakeRefused refusal(unsigned short port, WssClient::Options options) {
    try {
        WssClient connected(port, options);
    } catch (const HandshakeRefused& refused) {
        return refused;
    }
    FAIL("the handshake with origin \"" << options.origin.value_or("(own)") << "\" to "
                                        << options.path << " was accepted");
    throw std::logic_error("unreachable");
}

void expect_origin_refused(unsigned short port, WssClient::Options options) {
    INFO(options.path << " with origin \"" << options.origin.value_or("(own)") << "\"");
    auto refused = refusal(port, options);
    CHECK(refused.status == 403);
    auto body = json::parse(refused.body, nullptr, false);
    REQUIRE(body.is_object());
    CHECK(body["error"] == "origin_not_allowed");
    CHECK(body["reason"].is_string());
}

// A connection to `path` with the given origin that gets its welcome.
void expect_welcomed(unsigned short port, WssClient::Options options, const std::string& role) {
    INFO(options.path << " with origin \"" << options.origin.value_or("(own)") << "\"");
    WssClient connected(port, options);
    CHECK(connected.negotiated_subprotocol() == "neuvo.v1");
    CHECK(connected.expect("welcome")["role"] == role);
    connected.close();
}

} // namespace

TEST_CASE("a handshake from a foreign or no origin is refused with 403 on every endpoint",
          "[integration][origin]") {
    TestServer server({aino, kaisa});
    const auto port = server.port();
    const auto advisor_cookie = sign_in(port, "aino", test_password);
    const auto clerk_cookie = sign_in(port, "kaisa", test_password);
    const std::vector<std::pair<std::string, std::string>> endpoints = {
        {"/ws/client", ""}, {"/ws/advisor", advisor_cookie}, {"/ws/clerk", clerk_cookie}};

    // A client that stays connected and in a queue all along: refusals must not disturb it.
    auto bystander = welcomed_client(server);
    bystander->send({{"type", "request"}, {"id", "r-1"}, {"language", "ar"}, {"home", "091"}});
    auto first = bystander->receive();
    CHECK((first["type"] == "queued" || first["type"] == "alternatives"));

    for (const auto& [path, cookie] : endpoints) {
        for (const std::string& foreign :
             {std::string("https://evil.example"), std::string(""), std::string("null"),
              // The right host on the wrong port or scheme, or with a path, is another origin.
              "https://127.0.0.1:" + std::to_string(port + 1),
              "http://127.0.0.1:" + std::to_string(port),
              "https://127.0.0.1:" + std::to_string(port) + "/",
              "https://127.0.0.1.evil.example:" + std::to_string(port)})
            expect_origin_refused(port, WssClient::Options{path, cookie, "neuvo.v1", foreign});
        // Without a cookie or a subprotocol as well: the origin is what is answered.
        expect_origin_refused(port, WssClient::Options{path, "", "", "https://evil.example"});
    }

    // The server's own origin, in any case and through localhost too, is welcome.
    for (const std::string& own :
         {own_origin(port), "https://localhost:" + std::to_string(port),
          "HTTPS://LocalHost:" + std::to_string(port), "https://[::1]:" + std::to_string(port)}) {
        expect_welcomed(port, WssClient::Options{"/ws/client", "", "neuvo.v1", own}, "client");
        expect_welcomed(port, WssClient::Options{"/ws/advisor", advisor_cookie, "neuvo.v1", own},
                        "advisor");
        expect_welcomed(port, WssClient::Options{"/ws/clerk", clerk_cookie, "neuvo.v1", own},
                        "clerk");
    }

    // The bystander still waits, and still talks: cancelling its request is answered.
    bystander->send(
        {{"type", "cancel"}, {"id", "c-1"}, {"request", first.value("request", "r-1")}});
    auto answer = bystander->await("request_closed", {"queued", "alternatives"});
    CHECK(answer["type"] == "request_closed");
}

TEST_CASE("allowed_origins replaces the default: only the listed origins may connect",
          "[integration][origin]") {
    TestServer server({aino}, [](json& config) {
        config["allowed_origins"] = {"https://neuvo.example.fi", "https://kiosk.example:8443"};
    });
    const auto port = server.port();
    const auto cookie = sign_in(port, "aino", test_password);
    for (const char* listed :
         {"https://neuvo.example.fi", "https://NEUVO.example.fi:443", "https://kiosk.example:8443"})
        expect_welcomed(port, WssClient::Options{"/ws/advisor", cookie, "neuvo.v1", listed},
                        "advisor");
    // Its own origin is no longer among them, nor the listed host on another port.
    expect_origin_refused(port, WssClient::Options{"/ws/advisor", cookie});
    expect_origin_refused(port, WssClient::Options{"/ws/client", ""});
    expect_origin_refused(
        port, WssClient::Options{"/ws/client", "", "neuvo.v1", "https://kiosk.example"});
    expect_origin_refused(
        port, WssClient::Options{"/ws/client", "", "neuvo.v1", "http://neuvo.example.fi"});
}
