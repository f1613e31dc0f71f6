#pragma once

// Reading /metrics in an integration test: the metrics listener's port from the server's log,
// one plain HTTP request to it, and a scrape parsed and checked as exposition format.

#include "journey_steps.hpp"
#include "metrics_text.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <catch2/catch.hpp>

#include <regex>
#include <string>

namespace neuvo::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

// The metrics listener's port, from the server's log ("metrics_listening"); 0 when it has none.
inline unsigned short metrics_port(const TestServer& server) {
    static const std::regex listening(R"re("event":"metrics_listening".*"port":"(\d+)")re");
    const std::string log = server.log();
    std::smatch match;
    return std::regex_search(log, match, listening)
               ? static_cast<unsigned short>(std::stoi(match[1].str()))
               : 0;
}

inline HttpResult read_response(auto& stream) {
    beast::flat_buffer buffer;
    http::response<http::string_body> response;
    http::read(stream, buffer, response);
    return to_http_result(response);
}

inline http::request<http::string_body> get_request(http::verb method, const std::string& target,
                                                    const std::string& authorization = {}) {
    http::request<http::string_body> request{method, target, 11};
    request.set(http::field::host, "localhost");
    if (!authorization.empty())
        request.set(http::field::authorization, authorization);
    request.keep_alive(false);
    request.prepare_payload();
    return request;
}

// One plain HTTP request to the metrics listener on loopback.
inline HttpResult plain_request(unsigned short port, http::verb method, const std::string& target) {
    asio::io_context io;
    beast::tcp_stream stream(io);
    stream.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    http::write(stream, get_request(method, target));
    return read_response(stream);
}

struct Scrape {
    std::string text;
    Exposition parsed;
    double operator[](const std::string& series) const { return parsed.value(series); }
};

inline Scrape scrape(const TestServer& server) {
    auto response = plain_request(metrics_port(server), http::verb::get, "/metrics");
    REQUIRE(response.status == 200);
    CHECK(response.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8");
    Scrape result{response.body, parse_exposition(response.body)};
    for (const auto& problem : result.parsed.problems)
        FAIL_CHECK(problem);
    return result;
}

} // namespace neuvo::testing
