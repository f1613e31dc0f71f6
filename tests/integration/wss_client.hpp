#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <deque>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace neuvo::testing {

using namespace std::chrono_literals;

// The server refused the WebSocket upgrade with an ordinary HTTP response.
struct HandshakeRefused : std::runtime_error {
    HandshakeRefused(int status, std::string body)
        : std::runtime_error("handshake refused with HTTP " + std::to_string(status)),
          status(status), body(std::move(body)) {}
    int status;
    std::string body;
};

// A real WSS client over loopback, as a browser would connect. One read is always pending, so
// frames are collected as they arrive and "nothing arrived" can be asserted without cancelling.
class WssClient {
public:
    struct Options {
        std::string path = "/ws/client";
        std::string cookie;                   // e.g. "neuvo_session=..."
        std::string subprotocol = "neuvo.v1"; // empty: offer none
        // The Origin header, as a browser sends it with every handshake. Nothing: the server's
        // own origin, https://127.0.0.1:PORT, as its pages have; an empty text: no Origin at
        // all; anything else is sent as it is (e.g. a foreign site's "https://evil.example").
        std::optional<std::string> origin = std::nullopt;
        // The local address to connect from (any of 127.0.0.0/8 on loopback), so that a test can
        // play several client addresses; empty: the system's choice (127.0.0.1).
        std::string source_address = {};
    };

    explicit WssClient(unsigned short port, Options options);
    explicit WssClient(unsigned short port) : WssClient(port, Options{}) {}

    void send(const nlohmann::json& message) { send_text(message.dump()); }
    void send_text(const std::string& text);
    void send_binary(const std::string& bytes);

    // The next frame, parsed; throws if none arrives in time or the connection closed.
    nlohmann::json receive(std::chrono::milliseconds timeout = 5s);
    // The next frame, which must have this type (the test fails with the frame otherwise).
    nlohmann::json expect(const std::string& type, std::chrono::milliseconds timeout = 5s);
    // The next frame of this type, passing over frames of the `ignored` types (updates such as
    // queue estimates and presence that a step of a test does not care about).
    nlohmann::json await(const std::string& type,
                         const std::vector<std::string>& ignored = {"queued", "presence",
                                                                    "wrapup_due"},
                         std::chrono::milliseconds timeout = 5s);
    // A frame if one arrives within the time, nothing otherwise.
    std::optional<nlohmann::json> try_receive(std::chrono::milliseconds timeout);
    // Waits until the server closes the connection; returns the close code it sent.
    int wait_closed(std::chrono::milliseconds timeout = 5s);
    void close();
    // Ends the TCP connection without a close frame, as a phone losing its network does.
    void drop();

    const std::string& negotiated_subprotocol() const { return negotiated_; }

private:
    void read_next();
    void run_until(const std::function<bool()>& done, std::chrono::milliseconds timeout);

    boost::asio::io_context io_;
    boost::asio::ssl::context tls_{boost::asio::ssl::context::tls_client};
    boost::beast::websocket::stream<boost::beast::ssl_stream<boost::beast::tcp_stream>> ws_;
    boost::beast::flat_buffer buffer_;
    std::deque<std::string> received_;
    std::optional<boost::beast::error_code> read_error_;
    std::string negotiated_;
};

// The origin of the server's own pages: "https://127.0.0.1:PORT".
std::string own_origin(unsigned short port);

struct HttpResult {
    int status = 0;
    std::map<std::string, std::string> headers; // names in lower case
    std::string body;
};

// A response as the tests compare it: status, headers by lower-case name, body.
HttpResult
to_http_result(const boost::beast::http::response<boost::beast::http::string_body>& response);

// One HTTPS request over a fresh TLS connection to the loopback server.
HttpResult https_request(unsigned short port, const std::string& method, const std::string& target,
                         const std::string& body = {}, const std::string& cookie = {});

// Signs an advisor in and returns "neuvo_session=TOKEN" for the WebSocket handshake.
std::string sign_in(unsigned short port, const std::string& login, const std::string& password);

} // namespace neuvo::testing
