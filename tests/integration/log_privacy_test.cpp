// The structured log (one JSON object per line on stderr) at its most verbose level, over a whole
// journey: sign-in, a chat, language support with a customer's join code, the end, the rating and
// the wrap-up, and bad input. Every line must be a well-formed log record, and none may hold what
// the log must never hold: message text, passwords, the session cookie, the customer's code.

#include "journey_steps.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using namespace neuvo::testing;
using nlohmann::json;

namespace {

const std::string advisor_password = "Ruusu-salasana-7341!";
const std::string clerk_password = "Kela-tiski-salasana-9902";
const std::string wrong_password = "Vaara-arvaus-5518";
const AdvisorLogin aino{"aino", "Aino", "091-virka", "fi,ar,so", advisor_password};
const AdvisorLogin kaisa{"kaisa",        "Kaisa", "091-virka",      "fi",
                         clerk_password, "clerk", "Kela, Itäkeskus"};

// Text that appears nowhere in the server's own vocabulary, so that finding it means leaking it.
const std::string client_canary = "KANARIA-asiakas-q7Zx مرحبا بالمستشار";
const std::string advisor_canary = "KANARIA-neuvoja-w3Vy tervetuloa";
const std::string kiosk_canary = "KANARIA-kioski-k9Lm Waxaan qabaa warqad";
const std::string bad_frame_canary = "KANARIA-rikki-b2Np";

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        if (!line.empty())
            lines.push_back(line);
    return lines;
}

std::string token_of(const std::string& cookie) {
    return cookie.substr(cookie.find('=') + 1);
}

// A welcomed anonymous client; anything in its welcome that lets it back in (a resume token)
// is a secret too.
std::unique_ptr<WssClient> welcomed(const TestServer& server, std::vector<std::string>& secrets) {
    auto client = std::make_unique<WssClient>(server.port());
    auto welcome = client->expect("welcome");
    REQUIRE(welcome["role"] == "client");
    if (welcome.contains("resume") && welcome["resume"].contains("token"))
        secrets.push_back(welcome["resume"]["token"].get<std::string>());
    return client;
}

// Runs the journey against `server`; returns every secret the clients saw or sent.
std::vector<std::string> run_journey(TestServer& server) {
    std::vector<std::string> secrets = {client_canary,    advisor_canary,   kiosk_canary,
                                        bad_frame_canary, advisor_password, clerk_password,
                                        wrong_password};
    const auto port = server.port();

    // A wrong password first, then the right one.
    auto refused = https_request(port, "POST", "/api/sign-in",
                                 json{{"login", "aino"}, {"password", wrong_password}}.dump());
    REQUIRE(refused.status == 401);
    const auto advisor_cookie = sign_in(port, "aino", advisor_password);
    secrets.push_back(token_of(advisor_cookie));
    auto advisor =
        std::make_unique<WssClient>(port, WssClient::Options{"/ws/advisor", advisor_cookie});
    REQUIRE(advisor->expect("welcome")["role"] == "advisor");
    advisor->await("presence", {});
    advisor->send({{"type", "presence"}, {"id", "p-1"}, {"status", "available"}, {"capacity", 3}});
    REQUIRE(advisor->await("presence", {})["status"] == "available");
    // The session is also looked up by HTTP; that must not log it either.
    REQUIRE(https_request(port, "GET", "/api/session", {}, advisor_cookie).status == 200);

    // A client asks in Arabic; they write to each other and type.
    auto client = welcomed(server, secrets);
    client->send({{"type", "request"}, {"id", "r-1"}, {"language", "ar"}, {"home", "049"}});
    const std::string conversation = accept_next_offer(*advisor)["conversation"];
    client->await("conversation_started");
    client->send({{"type", "typing"}, {"conversation", conversation}});
    client->send({{"type", "message"},
                  {"id", "c-1"},
                  {"conversation", conversation},
                  {"text", client_canary}});
    REQUIRE(client->await("accepted")["seq"] == 1);
    REQUIRE(advisor->await("message", {"presence", "typing"})["text"] == client_canary);
    advisor->send({{"type", "message"},
                   {"id", "a-1"},
                   {"conversation", conversation},
                   {"text", advisor_canary}});
    REQUIRE(client->await("message", {"typing"})["text"] == advisor_canary);
    // Bad input carrying the canary: answered with an error, and not written to the log.
    client->send_text("{\"type\": \"message\", \"text\": \"" + bad_frame_canary + "\"");
    REQUIRE(client->await("error")["code"] == "bad_json");
    client->send({{"type", "message"},
                  {"id", "c-2"},
                  {"conversation", "not-" + conversation},
                  {"text", bad_frame_canary}});
    REQUIRE(client->await("error")["code"] == "not_in_conversation");

    // The client ends it and rates; the advisor saves the wrap-up.
    client->send({{"type", "end"}, {"id", "e-1"}, {"conversation", conversation}});
    client->await("conversation_ended");
    advisor->await("conversation_ended", {"presence", "accepted"});
    client->send({{"type", "rate"}, {"id", "f-1"}, {"conversation", conversation}, {"rating", 5}});
    client->await("rated");
    advisor->send({{"type", "wrapup"},
                   {"id", "w-1"},
                   {"conversation", conversation},
                   {"fields", {{"age_group", "25-34"}, {"topics", {"forms"}}}}});
    REQUIRE(advisor->await("wrapup_done", {"presence", "wrapup_due", "accepted"})["status"] ==
            "saved");

    // Language support: the clerk asks, the customer joins from a kiosk with the clerk's code.
    const auto clerk_cookie = sign_in(port, "kaisa", clerk_password);
    secrets.push_back(token_of(clerk_cookie));
    auto clerk = std::make_unique<WssClient>(port, WssClient::Options{"/ws/clerk", clerk_cookie});
    REQUIRE(clerk->expect("welcome")["role"] == "clerk");
    clerk->send({{"type", "request"}, {"id", "r-2"}, {"language", "so"}});
    const std::string support = accept_next_offer(*advisor)["conversation"];
    clerk->await("conversation_started");
    clerk->send({{"type", "customer_code"}, {"id", "cc-1"}, {"conversation", support}});
    const std::string code = clerk->await("customer_code")["code"];
    secrets.push_back(code);
    auto kiosk = welcomed(server, secrets);
    kiosk->send({{"type", "join"}, {"id", "j-1"}, {"code", code}});
    kiosk->await("conversation_started");
    kiosk->send(
        {{"type", "message"}, {"id", "k-1"}, {"conversation", support}, {"text", kiosk_canary}});
    REQUIRE(advisor->await("message", {"presence", "customer_joined", "typing"})["text"] ==
            kiosk_canary);
    // The kiosk loses its network; the clerk ends the conversation.
    kiosk->drop();
    clerk->send({{"type", "end"}, {"id", "e-2"}, {"conversation", support}});
    advisor->await("conversation_ended", {"presence", "accepted", "customer_left", "message"});
    advisor->send({{"type", "wrapup"},
                   {"id", "w-2"},
                   {"conversation", support},
                   {"fields", {{"age_group", "35-44"}}}});
    REQUIRE(advisor->await("wrapup_done", {"presence", "wrapup_due", "accepted"})["status"] ==
            "saved");

    // A handshake from a foreign page with the advisor's cookie is refused, and logged so.
    CHECK_THROWS_AS(WssClient(port, WssClient::Options{"/ws/advisor", advisor_cookie, "neuvo.v1",
                                                       "https://evil.example"}),
                    HandshakeRefused);
    // The advisor signs out.
    REQUIRE(https_request(port, "POST", "/api/sign-out", {}, advisor_cookie).status == 204);
    client->close();
    clerk->close();
    advisor->close();
    return secrets;
}

} // namespace

TEST_CASE("the debug log is one JSON record per line and never holds content or secrets",
          "[integration][log]") {
    TestServer server({aino, kaisa}, [](json& config) { config["log_level"] = "debug"; });
    auto secrets = run_journey(server);
    REQUIRE(server.stop() == 0);

    const auto log = server.log();
    const auto lines = lines_of(log);
    REQUIRE(lines.size() >= 5);
    static const std::regex utc_time(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)");
    const std::set<std::string> levels = {"debug", "info", "warning", "error"};
    std::set<std::string> events;
    std::set<std::string> levels_seen;
    for (const auto& line : lines) {
        INFO("log line: " << line);
        auto record = json::parse(line, nullptr, /*allow_exceptions=*/false);
        REQUIRE(record.is_object());
        REQUIRE(record.contains("time"));
        REQUIRE(record["time"].is_string());
        CHECK(std::regex_match(record["time"].get<std::string>(), utc_time));
        REQUIRE(record.contains("level"));
        REQUIRE(record["level"].is_string());
        CHECK(levels.count(record["level"].get<std::string>()) == 1);
        REQUIRE(record.contains("event"));
        REQUIRE(record["event"].is_string());
        CHECK_FALSE(record["event"].get<std::string>().empty());
        events.insert(record["event"].get<std::string>());
        levels_seen.insert(record["level"].get<std::string>());
        for (const auto& secret : secrets) {
            INFO("secret: " << secret);
            CHECK(line.find(secret) == std::string::npos);
        }
    }
    // The journey was logged, at the debug level too: the test looked at a log worth looking at.
    INFO("events: " << json(events).dump());
    CHECK(events.count("signed_in") == 1);
    CHECK(events.count("sign_in_refused") == 1);
    CHECK(events.count("advisor_connected") == 1);
    CHECK(events.count("websocket_origin_refused") == 1);
    CHECK(events.count("shutting_down") == 1);
    CHECK(levels_seen.count("debug") == 1);
    // And the whole file, not only line by line (a secret split over two lines would be a
    // record that did not parse, but check the raw text anyway).
    for (const auto& secret : secrets) {
        INFO("secret: " << secret);
        CHECK(log.find(secret) == std::string::npos);
    }
}

TEST_CASE("the log level leaves out what is below it", "[integration][log]") {
    TestServer server({aino}, [](json& config) { config["log_level"] = "warning"; });
    sign_in(server.port(), "aino", advisor_password);
    auto client = welcomed_client(server);
    client->drop();
    REQUIRE(server.stop() == 0);
    for (const auto& line : lines_of(server.log())) {
        INFO("log line: " << line);
        auto record = json::parse(line, nullptr, false);
        REQUIRE(record.is_object());
        CHECK((record["level"] == "warning" || record["level"] == "error"));
    }
}

TEST_CASE("the --log-level option overrides the file and is checked", "[integration][log]") {
    TestServer server;
    auto refused = run_server_command(
        {"--config", server.config_file().string(), "--log-level", "loud", "--check-config"});
    CHECK(refused.exit_code == 2);
    CHECK_THAT(
        refused.output,
        Catch::Contains("--log-level: expected debug, info, warning or error, got \"loud\""));
    auto accepted = run_server_command(
        {"--config", server.config_file().string(), "--log-level", "debug", "--check-config"});
    CHECK(accepted.exit_code == 0);
}
