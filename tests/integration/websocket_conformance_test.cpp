// WebSocket conformance (RFC 6455) of the real server, in the spirit of the Autobahn test suite's
// case families, which cannot run here: raw TLS connections, the upgrade written by hand and
// hand-built frames (masked, as a client's must be, except where a case is about that), so that
// nothing a WebSocket library would refuse to send is out of reach. Every failing case checks the
// exact close code in the close frame the server sends.

#include "test_server.hpp"
#include "wss_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using neuvo::testing::TestServer;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

enum Opcode : int {
    continuation = 0x0,
    text = 0x1,
    binary = 0x2,
    close_frame = 0x8,
    ping = 0x9,
    pong = 0xA
};

struct Frame {
    bool fin = false;
    int rsv = 0;
    int opcode = -1;
    std::string payload;
};

// Status code and reason as a close frame's payload.
std::string close_payload(std::uint16_t code, const std::string& reason = {}) {
    std::string payload;
    payload += static_cast<char>(code >> 8);
    payload += static_cast<char>(code & 0xFF);
    return payload + reason;
}

// A WebSocket connection at the level of bytes. Reads have deadlines: a server that does not
// answer fails the case instead of hanging it.
class RawWebSocket {
public:
    explicit RawWebSocket(unsigned short port, const std::string& path = "/ws/client")
        : stream_(io_, tls_) {
        tls_.set_verify_mode(asio::ssl::verify_none);
        beast::get_lowest_layer(stream_).connect(
            tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
        stream_.handshake(asio::ssl::stream_base::client);
        // The key and its accept value are RFC 6455's own example (section 1.3).
        write_bytes("GET " + path +
                    " HTTP/1.1\r\n"
                    "Host: 127.0.0.1\r\n"
                    "Upgrade: websocket\r\n"
                    "Connection: Upgrade\r\n"
                    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    "Sec-WebSocket-Version: 13\r\n"
                    "Sec-WebSocket-Protocol: neuvo.v1\r\n"
                    "Origin: " +
                    neuvo::testing::own_origin(port) + "\r\n\r\n");
        while (buffer_.find("\r\n\r\n") == std::string::npos)
            if (!read_more(5s))
                throw std::runtime_error("no answer to the upgrade: " + buffer_);
        auto end = buffer_.find("\r\n\r\n") + 4;
        auto head = buffer_.substr(0, end);
        buffer_.erase(0, end);
        INFO(head);
        REQUIRE(head.starts_with("HTTP/1.1 101"));
        REQUIRE(head.find("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=") !=
                std::string::npos);
        // Every connection is first sent its welcome.
        auto welcome = read_frame();
        REQUIRE(welcome.has_value());
        REQUIRE(welcome->opcode == text);
        REQUIRE(nlohmann::json::parse(welcome->payload).at("type") == "welcome");
    }

    // One frame as written, masked with a fixed key unless `masked` is false.
    void send_frame(bool fin, int opcode, const std::string& payload, int rsv = 0,
                    bool masked = true) {
        std::string frame;
        frame += static_cast<char>((fin ? 0x80 : 0) | (rsv << 4) | opcode);
        const char mask_bit = masked ? static_cast<char>(0x80) : 0;
        const auto size = payload.size();
        if (size < 126) {
            frame += static_cast<char>(mask_bit | static_cast<char>(size));
        } else if (size <= 0xFFFF) {
            frame += static_cast<char>(mask_bit | 126);
            frame += static_cast<char>(size >> 8);
            frame += static_cast<char>(size & 0xFF);
        } else {
            frame += static_cast<char>(mask_bit | 127);
            for (int shift = 56; shift >= 0; shift -= 8)
                frame += static_cast<char>((static_cast<std::uint64_t>(size) >> shift) & 0xFF);
        }
        const char key[4] = {0x37, static_cast<char>(0xFA), 0x21, 0x3D};
        if (masked)
            frame.append(key, 4);
        for (std::size_t i = 0; i < size; ++i)
            frame += masked ? static_cast<char>(payload[i] ^ key[i % 4]) : payload[i];
        write_bytes(frame);
    }

    void send_text(const std::string& payload) { send_frame(true, text, payload); }

    // The next frame from the server, or nothing once the connection has ended or the time is up.
    std::optional<Frame> read_frame(std::chrono::milliseconds timeout = 5s) {
        auto deadline = std::chrono::steady_clock::now() + timeout;
        for (;;) {
            if (auto frame = parse_frame())
                return frame;
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0 || !read_more(left))
                return std::nullopt;
        }
    }

    // Reads past text frames (and pongs) to the server's close frame and returns its status code:
    // 1005 for a close frame without one, -1 when the connection ended with no close frame.
    int close_code(std::chrono::milliseconds timeout = 5s) {
        for (;;) {
            auto frame = read_frame(timeout);
            if (!frame)
                return -1;
            if (frame->opcode != close_frame)
                continue;
            if (frame->payload.size() < 2)
                return 1005;
            return (static_cast<unsigned char>(frame->payload[0]) << 8) |
                   static_cast<unsigned char>(frame->payload[1]);
        }
    }

    // The next frame, which must be a text frame holding a JSON object.
    nlohmann::json expect_json() {
        auto frame = read_frame();
        REQUIRE(frame.has_value());
        INFO("opcode " << frame->opcode << ", payload " << frame->payload);
        REQUIRE(frame->opcode == text);
        REQUIRE(frame->fin);
        return nlohmann::json::parse(frame->payload);
    }

    void expect_pong(const std::string& payload) {
        auto frame = read_frame();
        REQUIRE(frame.has_value());
        INFO("payload " << frame->payload);
        CHECK(frame->opcode == pong);
        CHECK(frame->fin);
        CHECK(frame->payload == payload);
    }

private:
    void write_bytes(const std::string& bytes) {
        // The server may close in the middle of a large frame; what it sent is read afterwards.
        beast::error_code ignored;
        asio::write(stream_, asio::buffer(bytes), ignored);
    }

    bool read_more(std::chrono::milliseconds timeout) {
        if (ended_)
            return false;
        char chunk[16384];
        std::size_t got = 0;
        beast::error_code result;
        beast::get_lowest_layer(stream_).expires_after(timeout);
        stream_.async_read_some(asio::buffer(chunk), [&](beast::error_code error, std::size_t n) {
            result = error;
            got = n;
        });
        io_.restart();
        io_.run();
        buffer_.append(chunk, got);
        if (result)
            ended_ = true;
        return got > 0;
    }

    std::optional<Frame> parse_frame() {
        if (buffer_.size() < 2)
            return std::nullopt;
        auto byte = [&](std::size_t i) { return static_cast<unsigned char>(buffer_[i]); };
        Frame frame;
        frame.fin = (byte(0) & 0x80) != 0;
        frame.rsv = (byte(0) >> 4) & 0x7;
        frame.opcode = byte(0) & 0x0F;
        const bool masked = (byte(1) & 0x80) != 0;
        std::uint64_t size = byte(1) & 0x7F;
        std::size_t at = 2;
        if (size == 126) {
            if (buffer_.size() < 4)
                return std::nullopt;
            size = (byte(2) << 8) | byte(3);
            at = 4;
        } else if (size == 127) {
            if (buffer_.size() < 10)
                return std::nullopt;
            size = 0;
            for (std::size_t i = 2; i < 10; ++i)
                size = (size << 8) | byte(i);
            at = 10;
        }
        // A server's frames are never masked (RFC 6455 5.1).
        CHECK_FALSE(masked);
        if (buffer_.size() < at + size)
            return std::nullopt;
        frame.payload = buffer_.substr(at, size);
        buffer_.erase(0, at + size);
        return frame;
    }

    asio::io_context io_;
    asio::ssl::context tls_{asio::ssl::context::tls_client};
    beast::ssl_stream<beast::tcp_stream> stream_;
    std::string buffer_;
    bool ended_ = false;
};

// A protocol message the server answers with an error quoting its id: the proof that a message
// arrived whole, however it was split into frames.
std::string message_to_nowhere(const std::string& id) {
    return nlohmann::json{
        {"type", "message"}, {"id", id}, {"conversation", "no-such-talk"}, {"text", "hei"}}
        .dump();
}

void expect_error_quoting(RawWebSocket& socket, const std::string& id) {
    auto reply = socket.expect_json();
    INFO(reply.dump());
    CHECK(reply.at("type") == "error");
    CHECK(reply.value("ref", "") == id);
}

// Each case on a fresh connection, checked by the close code the server sends.
void expect_closed_with(unsigned short port, int expected,
                        const std::function<void(RawWebSocket&)>& send) {
    RawWebSocket socket(port);
    send(socket);
    CHECK(socket.close_code() == expected);
}

} // namespace

TEST_CASE("websocket: pings are answered with their payload, pongs are ignored",
          "[integration][websocket]") {
    TestServer server;
    RawWebSocket socket(server.port());
    // Autobahn 2.1-2.4: empty, text, binary and a maximal (125-byte) payload.
    for (const std::string& payload : {std::string(), std::string("hello"),
                                       std::string("\x00\xff\xfe\x01", 4), std::string(125, '*')}) {
        socket.send_frame(true, ping, payload);
        socket.expect_pong(payload);
    }
    // 2.5 onwards: an unsolicited pong (with or without payload) is no reason for anything: the
    // next frame the server sends is the answer to the ping after them. (Waiting for silence
    // instead would end the connection: a read's deadline closes the socket.)
    socket.send_frame(true, pong, "unasked");
    socket.send_frame(true, pong, "");
    socket.send_frame(true, ping, "still here");
    socket.expect_pong("still here");
    socket.send_text(message_to_nowhere("after-pongs"));
    expect_error_quoting(socket, "after-pongs");
}

TEST_CASE("websocket: malformed control frames close with 1002", "[integration][websocket]") {
    TestServer server;
    const auto port = server.port();
    {
        INFO("a ping payload over 125 bytes");
        expect_closed_with(
            port, 1002, [](RawWebSocket& s) { s.send_frame(true, ping, std::string(126, 'x')); });
    }
    {
        INFO("a fragmented ping");
        expect_closed_with(port, 1002, [](RawWebSocket& s) {
            s.send_frame(false, ping, "part");
            s.send_frame(true, continuation, "rest");
        });
    }
    {
        INFO("a fragmented close");
        expect_closed_with(port, 1002, [](RawWebSocket& s) {
            s.send_frame(false, close_frame, close_payload(1000));
        });
    }
}

TEST_CASE("websocket: reserved bits and reserved opcodes close with 1002",
          "[integration][websocket]") {
    TestServer server;
    const auto port = server.port();
    // No extension is negotiated (no permessage-deflate), so RSV1-3 must all be 0.
    for (int rsv : {1, 2, 4, 7}) {
        INFO("text frame with RSV bits " << rsv);
        expect_closed_with(port, 1002, [rsv](RawWebSocket& s) {
            s.send_frame(true, text, message_to_nowhere("rsv"), rsv);
        });
    }
    expect_closed_with(port, 1002, [](RawWebSocket& s) { s.send_frame(true, ping, "p", 4); });
    for (int opcode : {3, 4, 5, 6, 7, 11, 12, 13, 14, 15}) {
        INFO("opcode " << opcode);
        expect_closed_with(port, 1002,
                           [opcode](RawWebSocket& s) { s.send_frame(true, opcode, "payload"); });
    }
}

TEST_CASE("websocket: a client frame that is not masked closes with 1002",
          "[integration][websocket]") {
    TestServer server;
    expect_closed_with(server.port(), 1002, [](RawWebSocket& s) {
        s.send_frame(true, text, message_to_nowhere("bare"), 0, /*masked=*/false);
    });
    expect_closed_with(server.port(), 1002, [](RawWebSocket& s) {
        s.send_frame(true, ping, "bare", 0, /*masked=*/false);
    });
}

TEST_CASE("websocket: fragmented messages are assembled, with control frames between",
          "[integration][websocket]") {
    TestServer server;
    RawWebSocket socket(server.port());
    const auto message = message_to_nowhere("fragmented");
    // Autobahn 5.x: a text message in four frames, a first frame and continuations.
    socket.send_frame(false, text, message.substr(0, 5));
    socket.send_frame(false, continuation, message.substr(5, 10));
    socket.send_frame(false, continuation, message.substr(15, 1));
    socket.send_frame(true, continuation, message.substr(16));
    expect_error_quoting(socket, "fragmented");

    // Empty fragments are fragments too.
    const auto second = message_to_nowhere("empty-parts");
    socket.send_frame(false, text, "");
    socket.send_frame(false, continuation, second);
    socket.send_frame(true, continuation, "");
    expect_error_quoting(socket, "empty-parts");

    // A ping between fragments is answered at once, before the message is complete; an
    // unsolicited pong between them changes nothing.
    const auto third = message_to_nowhere("with-ping");
    socket.send_frame(false, text, third.substr(0, 20));
    socket.send_frame(true, ping, "between");
    socket.expect_pong("between");
    socket.send_frame(true, pong, "unasked");
    socket.send_frame(true, continuation, third.substr(20));
    expect_error_quoting(socket, "with-ping");

    // A character of several bytes split between frames (Autobahn 6.2): valid once joined.
    const auto fourth = message_to_nowhere("utf-ä€");
    const auto split = fourth.find("ä") + 1;
    socket.send_frame(false, text, fourth.substr(0, split));
    socket.send_frame(true, continuation, fourth.substr(split));
    expect_error_quoting(socket, "utf-ä€");
}

TEST_CASE("websocket: fragments out of order close with 1002", "[integration][websocket]") {
    TestServer server;
    const auto port = server.port();
    {
        INFO("a continuation with no message to continue");
        expect_closed_with(port, 1002, [](RawWebSocket& s) {
            s.send_frame(true, continuation, message_to_nowhere("orphan"));
        });
        expect_closed_with(port, 1002, [](RawWebSocket& s) {
            s.send_frame(false, continuation, "orphan");
            s.send_frame(true, continuation, "s");
        });
    }
    {
        INFO("a new text frame while a message is unfinished");
        expect_closed_with(port, 1002, [](RawWebSocket& s) {
            s.send_frame(false, text, "{\"type\":");
            s.send_frame(true, text, message_to_nowhere("second"));
        });
    }
    {
        INFO("a binary frame while a text message is unfinished");
        expect_closed_with(port, 1002, [](RawWebSocket& s) {
            s.send_frame(false, text, "{\"type\":");
            s.send_frame(true, binary, "bytes");
        });
    }
}

TEST_CASE("websocket: text that is not UTF-8 closes with 1007", "[integration][websocket]") {
    TestServer server;
    const auto port = server.port();
    {
        INFO("in a single frame");
        for (const std::string& bad : {std::string("{\"type\":\"\xff\"}"), std::string("\xc0\xaf"),
                                       std::string("\xed\xa0\x80"), std::string("\xf4\x90\x80\x80"),
                                       std::string("abc\xce")}) {
            INFO("payload " << bad);
            expect_closed_with(port, 1007, [&bad](RawWebSocket& s) { s.send_text(bad); });
        }
    }
    {
        INFO("split across fragments");
        // The first byte of "ä" ends one fragment, a byte that cannot continue it starts the next.
        expect_closed_with(port, 1007, [](RawWebSocket& s) {
            s.send_frame(false, text, "{\"type\":\"\xc3");
            s.send_frame(true, continuation, "A\"}");
        });
    }
    {
        INFO("in an unfinished message, before it ends (fail fast)");
        expect_closed_with(port, 1007, [](RawWebSocket& s) {
            s.send_frame(false, text, "{\"type\":\"\xff");
            // No final frame follows: the server must not wait for one.
        });
    }
}

TEST_CASE("websocket: a valid close is answered with the same code", "[integration][websocket]") {
    TestServer server;
    const auto port = server.port();
    for (int code :
         {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999}) {
        INFO("close code " << code);
        expect_closed_with(port, code, [code](RawWebSocket& s) {
            s.send_frame(true, close_frame, close_payload(static_cast<std::uint16_t>(code), "bye"));
        });
    }
    // A close with no payload at all is answered with 1000.
    expect_closed_with(port, 1000, [](RawWebSocket& s) { s.send_frame(true, close_frame, ""); });
    // A reason in UTF-8 of several bytes is fine.
    expect_closed_with(port, 1000, [](RawWebSocket& s) {
        s.send_frame(true, close_frame, close_payload(1000, "näkemiin €"));
    });
}

TEST_CASE("websocket: an invalid close frame is answered with 1002", "[integration][websocket]") {
    TestServer server;
    const auto port = server.port();
    // RFC 6455 7.4: 0-999 are not used, 1004-1006 and 1015 are reserved (1005 and 1006 must
    // never be sent), 1016-2999 are for the protocol's own extension, and nothing is defined
    // from 5000 on (Autobahn 7.9).
    for (int code : {0, 999, 1004, 1005, 1006, 1015, 1016, 2000, 2999, 5000, 65535}) {
        INFO("close code " << code);
        expect_closed_with(port, 1002, [code](RawWebSocket& s) {
            s.send_frame(true, close_frame, close_payload(static_cast<std::uint16_t>(code)));
        });
    }
    // A payload of one byte cannot hold a status code (Autobahn 7.3.2).
    expect_closed_with(
        port, 1002, [](RawWebSocket& s) { s.send_frame(true, close_frame, std::string(1, 'x')); });
    // A reason that is not UTF-8 fails the connection (RFC 6455 8.1; Autobahn 7.5.1): Beast, and
    // so the server, says 1002, a protocol error, rather than 1007.
    expect_closed_with(port, 1002, [](RawWebSocket& s) {
        s.send_frame(true, close_frame, close_payload(1000, "\xce\xba\xe1\xbd\xb9\xcf\x83\xff"));
    });
    // A close payload over 125 bytes is a malformed control frame.
    expect_closed_with(port, 1002, [](RawWebSocket& s) {
        s.send_frame(true, close_frame, close_payload(1000, std::string(124, 'r')));
    });
}

TEST_CASE("websocket: a message over 64 KiB closes with 1009, binary frames with 1003",
          "[integration][websocket]") {
    TestServer server;
    const auto port = server.port();
    {
        INFO("exactly the limit is still a message");
        RawWebSocket socket(port);
        auto message = message_to_nowhere("at-the-limit");
        message.insert(message.size() - 1, std::string(65536 - message.size(), ' '));
        REQUIRE(message.size() == 65536);
        socket.send_text(message);
        auto reply = socket.expect_json();
        CHECK(reply.at("type") == "error");
        CHECK(reply.value("ref", "") == "at-the-limit");
    }
    {
        INFO("one byte more in one frame");
        expect_closed_with(port, 1009, [](RawWebSocket& s) {
            auto message = message_to_nowhere("over");
            message.insert(message.size() - 1, std::string(65537 - message.size(), ' '));
            s.send_text(message);
        });
    }
    {
        INFO("over the limit in fragments");
        expect_closed_with(port, 1009, [](RawWebSocket& s) {
            s.send_frame(false, text,
                         "{\"type\":\"message\",\"text\":\"" + std::string(40000, 'a'));
            s.send_frame(true, continuation, std::string(30000, 'a') + "\"}");
        });
    }
    {
        INFO("a binary frame");
        expect_closed_with(port, 1003, [](RawWebSocket& s) { s.send_frame(true, binary, "{}"); });
    }
}
