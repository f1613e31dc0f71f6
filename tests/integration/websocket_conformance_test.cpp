// WebSocket conformance (RFC 6455) of the real server, in the spirit of the Autobahn test suite's
// case families, which cannot run here: raw TLS connections, the upgrade written by hand and
// hand-built frames (masked, as a client's must be, except where a case is about that), so that
// nothing a WebSocket library would refuse to send is out of reach. Every failing case checks the
// exact close code in the close frame the server sends.

#include "raw_websocket.hpp"
#include "test_server.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

namespace {

using neuvo::testing::close_payload;
using neuvo::testing::RawWebSocket;
using neuvo::testing::TestServer;
using namespace neuvo::testing::frame_opcodes;
using namespace std::chrono_literals;

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
    // next frame the server sends is the answer to the ping after them. (Silence would prove
    // little: an answer could still be on its way.)
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
