#pragma once

// A WebSocket client at the level of bytes over TLS: the upgrade written by hand and every frame
// built by hand, so that tests can send what a WebSocket library never would (bad frames), and
// leave undone what a library does by itself (answer pings, read what arrives).

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <nlohmann/json.hpp>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace neuvo::testing {

// Short names for tests that build frames by hand: `using namespace frame_opcodes`.
namespace frame_opcodes {
enum Opcode : int {
    continuation = 0x0,
    text = 0x1,
    binary = 0x2,
    close_frame = 0x8,
    ping = 0x9,
    pong = 0xA
};
} // namespace frame_opcodes

struct Frame {
    bool fin = false;
    int rsv = 0;
    int opcode = -1;
    std::string payload;
};

// Status code and reason as a close frame's payload.
std::string close_payload(std::uint16_t code, const std::string& reason = {});

// Reads have deadlines: a server that does not answer fails the test instead of hanging it.
// Nothing is read unless the test asks: a RawWebSocket left alone is a peer that stops reading.
class RawWebSocket {
public:
    struct Options {
        std::string path = "/ws/client";
        std::string cookie = {}; // e.g. "neuvo_session=..."
        // The socket's receive buffer (SO_RCVBUF) when not 0: a small one lets the server's
        // writes to a peer that does not read back up into its own queue sooner.
        int receive_buffer_bytes = 0;
    };

    // Connects, upgrades (the test fails unless the answer is 101 with the right accept key) and
    // reads the welcome every connection is first sent.
    RawWebSocket(unsigned short port, Options options);
    explicit RawWebSocket(unsigned short port) : RawWebSocket(port, Options{}) {}

    // One frame as written, masked with a fixed key unless `masked` is false.
    void send_frame(bool fin, int opcode, const std::string& payload, int rsv = 0,
                    bool masked = true);
    void send_text(const std::string& payload) { send_frame(true, frame_opcodes::text, payload); }
    void send(const nlohmann::json& message) { send_text(message.dump()); }

    // The next frame from the server, or nothing once the connection has ended or the time is up.
    std::optional<Frame> read_frame(std::chrono::milliseconds timeout = std::chrono::seconds(5));

    // Reads past text frames (and pongs) to the server's close frame and returns its status code:
    // 1005 for a close frame without one, -1 when the connection ended with no close frame.
    int close_code(std::chrono::milliseconds timeout = std::chrono::seconds(5));

    // The next frame, which must be a text frame holding a JSON object.
    nlohmann::json expect_json();
    void expect_pong(const std::string& payload);

    // The server's answer to the upgrade: its status line and headers.
    const std::string& upgrade_response() const { return upgrade_response_; }
    // The welcome the connection was sent first.
    const nlohmann::json& welcome() const { return welcome_; }
    // Whether the server has ended the connection (a read found its end). Reads that run out
    // of time leave the connection as it was.
    bool ended() const { return ended_; }

private:
    void write_bytes(const std::string& bytes);
    bool read_more(std::chrono::milliseconds timeout);
    std::optional<Frame> parse_frame();

    boost::asio::io_context io_;
    boost::asio::ssl::context tls_{boost::asio::ssl::context::tls_client};
    boost::beast::ssl_stream<boost::beast::tcp_stream> stream_;
    std::string buffer_;
    std::array<char, 16384> chunk_{};
    std::string upgrade_response_;
    nlohmann::json welcome_;
    bool reading_ = false;
    bool ended_ = false;
};

} // namespace neuvo::testing
