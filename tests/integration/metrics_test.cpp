// GET /metrics on the real server: a journey moves every number it touches by exactly what
// happened, the text is valid exposition format with nothing of the conversation in it, and the
// endpoint is reachable only where the configuration puts it (its own loopback listener, or the
// public port with a bearer token).

#include "journey_steps.hpp"
#include "metrics_scrape.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <regex>
#include <thread>
#include <unistd.h>

using namespace neuvo::testing;
using Catch::Contains;
using nlohmann::json;

namespace {

const std::vector<AdvisorLogin> arabic_advisor = {{"aino", "Aino", "091-virka", "fi,ar"}};

// GET /metrics on the public HTTPS port with an Authorization header.
HttpResult https_get(unsigned short port, const std::string& target,
                     const std::string& authorization) {
    asio::io_context io;
    asio::ssl::context tls(asio::ssl::context::tls_client);
    tls.set_verify_mode(asio::ssl::verify_none);
    beast::ssl_stream<beast::tcp_stream> stream(io, tls);
    beast::get_lowest_layer(stream).connect(
        asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    stream.handshake(asio::ssl::stream_base::client);
    http::write(stream, get_request(http::verb::get, target, authorization));
    auto result = read_response(stream);
    beast::error_code ignored;
    stream.shutdown(ignored);
    return result;
}

// Scrapes until `series` has `value` (sessions end on their own strands, a moment after the
// client sees its close), at most a few seconds.
Scrape scrape_until(const TestServer& server, const std::string& series, double value) {
    for (int i = 0; i < 50; ++i) {
        auto now = scrape(server);
        if (now[series] == value)
            return now;
        std::this_thread::sleep_for(100ms);
    }
    return scrape(server);
}

std::string ar(const std::string& series) {
    return series + "{language=\"ar\"}";
}

} // namespace

TEST_CASE("a journey moves the metrics by exactly what happened and none of it shows",
          "[integration][metrics]") {
    TestServer server(arabic_advisor, [](json& config) {
        config["metrics"] = {{"listen", {{"address", "127.0.0.1"}, {"port", 0}}}};
    });
    REQUIRE(metrics_port(server) != 0);

    auto start = scrape(server);
    CHECK(start["neuvo_connections_accepted_total"] == 0);
    CHECK(start["neuvo_conversations_open"] == 0);
    CHECK(start[ar("neuvo_queue_length")] == 0);
    CHECK(start["neuvo_advisors_signed_in{state=\"available\"}"] == 0);
    // Every language of the configuration has its series, also with nobody in its queue.
    CHECK(start["neuvo_queue_length{language=\"so\"}"] == 0);
    CHECK(start["neuvo_queue_length{language=\"fa\"}"] == 0);

    auto aino = available_advisor(server, "aino", 2); // sign-in, then welcome, presence
    auto client = welcomed_client(server);
    const std::string conversation_secret = "Minun oleskelulupani 7f3a on vanhenemassa";
    client->send({{"type", "request"}, {"id", "r-1"}, {"language", "ar"}, {"home", "049"}});
    auto offer = aino->await("offer");
    CHECK(client->expect("queued")["position"] == 1);

    // Offered but not yet accepted: the client still holds its place in the line. (The sign-in's
    // connection ends a moment after its answer.)
    auto waiting = scrape_until(server, "neuvo_connections_open", 2);
    CHECK(waiting[ar("neuvo_queue_length")] == 1);
    CHECK(waiting[ar("neuvo_queue_oldest_wait_seconds")] >= 0);
    CHECK(waiting[ar("neuvo_language_advisors_signed_in")] == 1);
    CHECK(waiting[ar("neuvo_language_advisors_available")] == 1);
    CHECK(waiting["neuvo_advisors_signed_in{state=\"available\"}"] == 1);
    CHECK(waiting["neuvo_websocket_connections_open{endpoint=\"client\"}"] == 1);
    CHECK(waiting["neuvo_websocket_connections_open{endpoint=\"advisor\"}"] == 1);
    CHECK(waiting["neuvo_connections_open"] == 2);
    CHECK(waiting["neuvo_conversations_started_total"] == 0);

    aino->send({{"type", "accept"}, {"id", "a-1"}, {"conversation", offer["conversation"]}});
    const std::string conversation = client->await("conversation_started")["conversation"];
    aino->await("conversation_started");

    auto talking = scrape(server);
    CHECK(talking[ar("neuvo_queue_length")] == 0);
    CHECK(talking["neuvo_conversations_open"] == 1);
    CHECK(talking["neuvo_conversations_started_total"] == 1);

    // Three from the client (and one resent), two from Aino; two mistakes of the client's.
    for (int i = 1; i <= 3; ++i) {
        client->send({{"type", "message"},
                      {"id", "c-" + std::to_string(i)},
                      {"conversation", conversation},
                      {"text", conversation_secret + " " + std::to_string(i)}});
        CHECK(client->await("accepted")["seq"] == i);
        CHECK(aino->await("message")["seq"] == i);
    }
    client->send({{"type", "message"},
                  {"id", "c-2"},
                  {"conversation", conversation},
                  {"text", conversation_secret + " 2"}});
    CHECK(client->await("accepted")["duplicate"] == true);
    for (int i = 1; i <= 2; ++i) {
        aino->send({{"type", "message"},
                    {"id", "a-m" + std::to_string(i)},
                    {"conversation", conversation},
                    {"text", "Selvä, katsotaan lupaa " + std::to_string(i)}});
        CHECK(aino->await("accepted")["id"] == "a-m" + std::to_string(i));
        CHECK(client->await("message")["from"] == "advisor");
    }
    client->send_text("{not json");
    CHECK(client->await("error")["code"] == "bad_json");
    client->send(
        {{"type", "message"}, {"id", "c-x"}, {"conversation", "nowhere-1"}, {"text", "?"}});
    CHECK(client->await("error")["code"] == "not_in_conversation");

    client->send({{"type", "end"}, {"id", "e-1"}, {"conversation", conversation}});
    client->await("conversation_ended");
    aino->await("conversation_ended");
    aino->await("wrapup_due", {"presence"});
    auto ended = scrape(server);
    CHECK(ended["neuvo_conversations_open"] == 0);
    CHECK(ended["neuvo_conversations_ended_total"] == 1);
    CHECK(ended["neuvo_wrapups_due"] == 1);
    CHECK(ended["neuvo_register_rows_written_total"] == 0);

    aino->send({{"type", "wrapup"},
                {"id", "w-1"},
                {"conversation", conversation},
                {"fields", {{"age_group", "25-34"}, {"topics", {"residence-permits"}}}}});
    CHECK(aino->await("wrapup_done")["status"] == "saved");
    client->close();
    aino->close();

    auto after = scrape_until(server, "neuvo_connections_open", 0);
    CHECK(after["neuvo_connections_open"] == 0);
    CHECK(after["neuvo_websocket_connections_open{endpoint=\"client\"}"] == 0);
    CHECK(after["neuvo_websocket_connections_open{endpoint=\"advisor\"}"] == 0);
    // The sign-in's connection and the two WebSockets; the metrics listener's are not counted.
    CHECK(after["neuvo_connections_accepted_total"] == 3);
    CHECK(after["neuvo_connections_refused_total{reason=\"connection_limit\"}"] == 0);
    CHECK(after["neuvo_http_responses_total{class=\"2xx\"}"] == 1); // the sign-in
    CHECK(after["neuvo_conversations_started_total"] == 1);
    CHECK(after["neuvo_conversations_ended_total"] == 1);
    CHECK(after["neuvo_wrapups_due"] == 0);
    CHECK(after["neuvo_chat_messages_total{thread=\"conversation\"}"] == 5);
    CHECK(after["neuvo_chat_messages_total{thread=\"consult\"}"] == 0);
    CHECK(after["neuvo_errors_total{code=\"bad_json\"}"] == 1);
    CHECK(after["neuvo_errors_total{code=\"not_in_conversation\"}"] == 1);
    CHECK(after["neuvo_errors_total{code=\"rate_limited\"}"] == 0);
    // The client's request, 4 messages, the bad frame, the stray message and the end; Aino's
    // presence, accept, 2 messages and wrap-up. Close frames are not messages.
    CHECK(after["neuvo_websocket_messages_received_total"] == 8 + 5);
    CHECK(after["neuvo_websocket_messages_sent_total"] >= 20);
    CHECK(after["neuvo_websocket_sent_bytes_total"] > after["neuvo_websocket_messages_sent_total"]);
    // Each connection's handshake answer at least; never more writes than bytes.
    CHECK(after["neuvo_websocket_socket_writes_total"] >= 2);
    CHECK(after["neuvo_websocket_socket_writes_total"] < after["neuvo_websocket_sent_bytes_total"]);
    CHECK(after["neuvo_register_rows_written_total"] == 1);
    CHECK(after["neuvo_store_errors_total"] == 0);
    CHECK(after["neuvo_store_batches_total"] >= 1);
    CHECK(after["neuvo_wait_seconds_count{outcome=\"served\"}"] == 1);
    CHECK(after["neuvo_wait_seconds_bucket{outcome=\"served\",le=\"5\"}"] == 1);
    CHECK(after["neuvo_wait_seconds_count{outcome=\"unserved\"}"] == 0);
    CHECK(after[ar("neuvo_unmet_requests_total")] == 0);
    // Aino closed her page normally: signed out, not reconnecting.
    CHECK(after["neuvo_advisors_signed_in{state=\"available\"}"] == 0);
    CHECK(after["neuvo_advisors_signed_in{state=\"reconnecting\"}"] == 0);

    // Nothing of the conversation, the people or their credentials is in the text.
    for (const std::string& secret :
         {conversation_secret.substr(0, 12), std::string("Selvä"), std::string("Aino"),
          std::string("aino"), std::string("Virka"), std::string("091-virka"), conversation})
        CHECK_THAT(after.text, !Contains(secret));
    // Only these labels, with values from fixed lists or the configuration's languages.
    static const std::regex label(R"(([a-z_]+)=")");
    for (auto it = std::sregex_iterator(after.text.begin(), after.text.end(), label);
         it != std::sregex_iterator(); ++it) {
        const std::string name = (*it)[1];
        CHECK((name == "language" || name == "endpoint" || name == "reason" || name == "code" ||
               name == "limit" || name == "thread" || name == "class" || name == "state" ||
               name == "outcome" || name == "le"));
    }

    // Where it is not: the public port, and any other path or method on the metrics listener.
    CHECK(https_request(server.port(), "GET", "/metrics").status == 404);
    CHECK(plain_request(metrics_port(server), http::verb::get, "/").status == 404);
    CHECK(plain_request(metrics_port(server), http::verb::get, "/api/live").status == 404);
    auto posted = plain_request(metrics_port(server), http::verb::post, "/metrics");
    CHECK(posted.status == 405);
    CHECK(posted.headers["allow"] == "GET");
}

TEST_CASE("with a token, /metrics is on the public port and refused without the token",
          "[integration][metrics]") {
    const auto token_file = std::filesystem::temp_directory_path() /
                            ("neuvo-metrics-token-" + std::to_string(getpid()));
    const std::string token = "b3c1d7e9f00a4c2e8d6b5a3f1e0c9d8b7a6f5e4d3c2b1a09";
    std::ofstream(token_file) << token << "\n";
    TestServer server({}, [&](json& config) {
        config["metrics"] = {{"on_public_port", true}, {"token_file", token_file.string()}};
    });
    std::filesystem::remove(token_file);
    CHECK(metrics_port(server) == 0);

    auto anonymous = https_request(server.port(), "GET", "/metrics");
    CHECK(anonymous.status == 401);
    CHECK(anonymous.headers["www-authenticate"] == "Bearer realm=\"neuvo-metrics\"");
    CHECK_THAT(anonymous.body, Contains("not_authenticated"));
    CHECK_THAT(anonymous.body, !Contains("neuvo_"));
    auto wrong = https_get(server.port(), "/metrics", "Bearer " + std::string(token.size(), '0'));
    CHECK(wrong.status == 401);
    auto basic = https_get(server.port(), "/metrics", "Basic " + token);
    CHECK(basic.status == 401);

    auto allowed = https_get(server.port(), "/metrics", "Bearer " + token);
    REQUIRE(allowed.status == 200);
    CHECK(allowed.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8");
    CHECK(allowed.headers["strict-transport-security"] == "max-age=63072000");
    auto parsed = parse_exposition(allowed.body);
    CHECK(parsed.problems.empty());
    // The four requests' connections, this one's included; the three refusals were 4xx.
    CHECK(parsed.value("neuvo_connections_accepted_total") == 4);
    CHECK(parsed.value("neuvo_http_responses_total{class=\"4xx\"}") == 3);

    // The token never reaches the log, nor what was sent instead of it.
    server.stop();
    CHECK_THAT(server.log(), !Contains(token));
    CHECK_THAT(server.log(), Contains("metrics_scrape_refused"));
}

TEST_CASE("without a metrics setting there is no /metrics anywhere", "[integration][metrics]") {
    TestServer server;
    CHECK(metrics_port(server) == 0);
    CHECK(https_request(server.port(), "GET", "/metrics").status == 404);
}
