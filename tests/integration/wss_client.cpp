#include "wss_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <algorithm>

namespace neuvo::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

WssClient::WssClient(unsigned short port, Options options) : ws_(io_, tls_) {
    // The test certificate is self-signed: these tests are about the server, not the PKI.
    tls_.set_verify_mode(asio::ssl::verify_none);
    auto& tcp_stream = beast::get_lowest_layer(ws_);
    if (!options.source_address.empty()) {
        tcp_stream.socket().open(tcp::v4());
        tcp_stream.socket().bind(tcp::endpoint(asio::ip::make_address(options.source_address), 0));
    }
    tcp_stream.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    // As browsers do: a small frame right after another (an ack after a message) must not wait
    // for the server's delayed ACK of the first.
    tcp_stream.socket().set_option(tcp::no_delay(true));
    ws_.next_layer().handshake(asio::ssl::stream_base::client);
    auto origin = options.origin.value_or(own_origin(port));
    ws_.set_option(
        websocket::stream_base::decorator([options, origin](websocket::request_type& request) {
            if (!options.subprotocol.empty())
                request.set(http::field::sec_websocket_protocol, options.subprotocol);
            if (!options.cookie.empty())
                request.set(http::field::cookie, options.cookie);
            if (!origin.empty())
                request.set(http::field::origin, origin);
        }));
    websocket::response_type response;
    beast::error_code error;
    ws_.handshake(response, "localhost", options.path, error);
    if (error) {
        if (response.result_int() != 0 && response.result_int() != 101)
            throw HandshakeRefused(response.result_int(), response.body());
        throw std::runtime_error("WebSocket handshake failed: " + error.message());
    }
    negotiated_ = std::string(response[http::field::sec_websocket_protocol]);
    read_next();
}

void WssClient::read_next() {
    ws_.async_read(buffer_, [this](beast::error_code error, std::size_t) {
        if (error) {
            read_error_ = error;
            return;
        }
        received_.push_back(beast::buffers_to_string(buffer_.data()));
        buffer_.consume(buffer_.size());
        read_next();
    });
}

void WssClient::run_until(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
        const auto left = deadline - std::chrono::steady_clock::now();
        if (left <= std::chrono::steady_clock::duration::zero())
            break;
        io_.restart();
        // Never past the deadline: a short poll must stay short.
        io_.run_one_for(std::min<std::chrono::steady_clock::duration>(left, 20ms));
    }
}

void WssClient::send_text(const std::string& text) {
    ws_.text(true);
    ws_.write(asio::buffer(text));
}

void WssClient::send_binary(const std::string& bytes) {
    ws_.binary(true);
    ws_.write(asio::buffer(bytes));
}

std::optional<nlohmann::json> WssClient::try_receive(std::chrono::milliseconds timeout) {
    run_until([this] { return !received_.empty() || read_error_; }, timeout);
    if (received_.empty())
        return std::nullopt;
    auto text = std::move(received_.front());
    received_.pop_front();
    return nlohmann::json::parse(text);
}

nlohmann::json WssClient::receive(std::chrono::milliseconds timeout) {
    auto message = try_receive(timeout);
    if (!message)
        throw std::runtime_error(read_error_ ? "connection ended: " + read_error_->message()
                                             : "no message arrived in time");
    return *message;
}

nlohmann::json WssClient::expect(const std::string& type, std::chrono::milliseconds timeout) {
    auto message = receive(timeout);
    if (message.value("type", "") != type)
        throw std::runtime_error("expected a \"" + type + "\" message, got " + message.dump());
    return message;
}

nlohmann::json WssClient::await(const std::string& type, const std::vector<std::string>& ignored,
                                std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        auto message = receive(std::max(left, std::chrono::milliseconds(1)));
        auto got = message.value("type", "");
        if (got == type)
            return message;
        if (std::find(ignored.begin(), ignored.end(), got) == ignored.end())
            throw std::runtime_error("expected a \"" + type + "\" message, got " + message.dump());
    }
}

int WssClient::wait_closed(std::chrono::milliseconds timeout) {
    run_until([this] { return read_error_.has_value(); }, timeout);
    if (!read_error_)
        throw std::runtime_error("the connection was not closed in time");
    return ws_.reason().code;
}

void WssClient::drop() {
    beast::error_code ignored;
    beast::get_lowest_layer(ws_).socket().shutdown(tcp::socket::shutdown_both, ignored);
    beast::get_lowest_layer(ws_).socket().close(ignored);
}

void WssClient::close() {
    // Asynchronously, beside the read that is always pending: a blocking close would compete
    // with that read for the server's answering close frame.
    bool sent = false;
    ws_.async_close(websocket::close_code::normal, [&sent](beast::error_code) { sent = true; });
    run_until([&sent] { return sent; }, 5s);
}

std::string own_origin(unsigned short port) {
    return "https://127.0.0.1:" + std::to_string(port);
}

HttpResult https_request(unsigned short port, const std::string& method, const std::string& target,
                         const std::string& body, const std::string& cookie) {
    asio::io_context io;
    asio::ssl::context tls(asio::ssl::context::tls_client);
    tls.set_verify_mode(asio::ssl::verify_none);
    beast::ssl_stream<beast::tcp_stream> stream(io, tls);
    beast::get_lowest_layer(stream).connect(
        tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    stream.handshake(asio::ssl::stream_base::client);

    http::request<http::string_body> request{http::string_to_verb(method), target, 11};
    request.set(http::field::host, "localhost");
    if (!cookie.empty())
        request.set(http::field::cookie, cookie);
    if (!body.empty()) {
        request.set(http::field::content_type, "application/json");
        request.body() = body;
    }
    request.keep_alive(false);
    request.prepare_payload();
    http::write(stream, request);

    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(16 * 1024 * 1024);
    if (method == "HEAD")
        parser.skip(true);
    http::read(stream, buffer, parser);
    auto result = to_http_result(parser.release());
    beast::error_code ignored;
    stream.shutdown(ignored);
    return result;
}

HttpResult to_http_result(const http::response<http::string_body>& response) {
    HttpResult result;
    result.status = response.result_int();
    for (const auto& field : response) {
        std::string name(field.name_string());
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        result.headers[name] = std::string(field.value());
    }
    result.body = response.body();
    return result;
}

std::string sign_in(unsigned short port, const std::string& login, const std::string& password) {
    auto response = https_request(port, "POST", "/api/sign-in",
                                  nlohmann::json{{"login", login}, {"password", password}}.dump());
    if (response.status != 200)
        throw std::runtime_error("sign-in failed with HTTP " + std::to_string(response.status));
    auto cookie = response.headers["set-cookie"];
    return cookie.substr(0, cookie.find(';'));
}

} // namespace neuvo::testing
