#include "raw_websocket.hpp"

#include "wss_client.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <catch2/catch.hpp>

namespace neuvo::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
using namespace frame_opcodes;

std::string close_payload(std::uint16_t code, const std::string& reason) {
    std::string payload;
    payload += static_cast<char>(code >> 8);
    payload += static_cast<char>(code & 0xFF);
    return payload + reason;
}

RawWebSocket::RawWebSocket(unsigned short port, Options options) : stream_(io_, tls_) {
    tls_.set_verify_mode(asio::ssl::verify_none);
    auto& tcp_stream = beast::get_lowest_layer(stream_);
    if (options.receive_buffer_bytes > 0) {
        // Before connecting, so that the window the server is offered is small from the start.
        tcp_stream.socket().open(tcp::v4());
        tcp_stream.socket().set_option(
            asio::socket_base::receive_buffer_size(options.receive_buffer_bytes));
    }
    tcp_stream.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    stream_.handshake(asio::ssl::stream_base::client);
    // The key and its accept value are RFC 6455's own example (section 1.3).
    write_bytes("GET " + options.path +
                " HTTP/1.1\r\n"
                "Host: 127.0.0.1\r\n"
                "Upgrade: websocket\r\n"
                "Connection: Upgrade\r\n"
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                "Sec-WebSocket-Version: 13\r\n"
                "Sec-WebSocket-Protocol: neuvo.v1\r\n" +
                (options.cookie.empty() ? "" : "Cookie: " + options.cookie + "\r\n") +
                "Origin: " + own_origin(port) + "\r\n\r\n");
    while (buffer_.find("\r\n\r\n") == std::string::npos)
        if (!read_more(std::chrono::seconds(5)))
            throw std::runtime_error("no answer to the upgrade: " + buffer_);
    auto end = buffer_.find("\r\n\r\n") + 4;
    upgrade_response_ = buffer_.substr(0, end);
    buffer_.erase(0, end);
    const auto& head = upgrade_response_;
    INFO(head);
    REQUIRE(head.starts_with("HTTP/1.1 101"));
    REQUIRE(head.find("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=") != std::string::npos);
    auto welcome = read_frame();
    REQUIRE(welcome.has_value());
    REQUIRE(welcome->opcode == text);
    welcome_ = nlohmann::json::parse(welcome->payload);
    REQUIRE(welcome_.at("type") == "welcome");
}

void RawWebSocket::send_frame(bool fin, int opcode, const std::string& payload, int rsv,
                              bool masked) {
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

std::optional<Frame> RawWebSocket::read_frame(std::chrono::milliseconds timeout) {
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

int RawWebSocket::close_code(std::chrono::milliseconds timeout) {
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

nlohmann::json RawWebSocket::expect_json() {
    auto frame = read_frame();
    REQUIRE(frame.has_value());
    INFO("opcode " << frame->opcode << ", payload " << frame->payload);
    REQUIRE(frame->opcode == text);
    REQUIRE(frame->fin);
    return nlohmann::json::parse(frame->payload);
}

void RawWebSocket::expect_pong(const std::string& payload) {
    auto frame = read_frame();
    REQUIRE(frame.has_value());
    INFO("payload " << frame->payload);
    CHECK(frame->opcode == pong);
    CHECK(frame->fin);
    CHECK(frame->payload == payload);
}

void RawWebSocket::write_bytes(const std::string& bytes) {
    // The server may close in the middle of a large frame; what it sent is read afterwards.
    beast::error_code ignored;
    asio::write(stream_, asio::buffer(bytes), ignored);
}

bool RawWebSocket::read_more(std::chrono::milliseconds timeout) {
    // One read at a time stays pending across calls, as a socket's does: a deadline ends the
    // wait, not the read (cancelling a TLS read would leave the stream unusable).
    if (!reading_ && !ended_) {
        reading_ = true;
        stream_.async_read_some(asio::buffer(chunk_),
                                [this](beast::error_code error, std::size_t n) {
                                    reading_ = false;
                                    buffer_.append(chunk_.data(), n);
                                    if (error)
                                        ended_ = true;
                                });
    }
    if (!reading_)
        return false;
    const auto before = buffer_.size();
    io_.restart();
    io_.run_for(timeout);
    return buffer_.size() > before;
}

std::optional<Frame> RawWebSocket::parse_frame() {
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

} // namespace neuvo::testing
