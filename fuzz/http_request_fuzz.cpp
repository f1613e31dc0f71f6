// Fuzzes what the server does with raw bytes on an HTTP connection before any I/O of its own:
// Beast's request parser (with the session's header and body limits) reads one request after
// another from the bytes, as a keep-alive connection does, and each is routed the way
// HttpSession::route does it (http_session.hpp): the path before '?', the session cookie, the
// WebSocket subprotocol, then the statistics API's query parsing or the static file lookup in a
// document root with traps (fuzz_network.hpp), and the response the session would build.
// The checks are those of static_path_fuzz and statistics_query_fuzz, on parsed requests.

#include "fuzz_network.hpp"
#include "http_support.hpp"
#include "static_files.hpp"
#include "statistics_parameters.hpp"

#include <boost/beast/core/error.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = neuvo::net;
namespace fuzz = neuvo::fuzz;

using Request = http::request<http::string_body>;

void check_cookie(const Request& request) {
    auto token = net::cookie_value(request[http::field::cookie], net::session_cookie);
    if (!token)
        return;
    FUZZ_CHECK(token->find(';') == std::string::npos, "a cookie value holds no ';'");
    FUZZ_CHECK(token->empty() || (token->front() != ' ' && token->back() != ' '),
               "a cookie value is trimmed");
}

void route(const Request& request) {
    const std::string_view target(request.target().data(), request.target().size());
    const auto question = target.find('?');
    const auto path = target.substr(0, question);
    check_cookie(request);
    if (beast::websocket::is_upgrade(request)) {
        (void)net::header_lists(request[http::field::sec_websocket_protocol], "neuvo.v1");
        return;
    }
    if (net::is_statistics_path(path)) {
        if (path == net::register_fields_path)
            return;
        const auto query =
            question == std::string_view::npos ? std::string_view() : target.substr(question + 1);
        auto parsed = net::parse_statistics_query(path.substr(net::statistics_path_prefix.size()),
                                                  query, fuzz::site().network);
        if (const auto* reason = std::get_if<std::string>(&parsed)) {
            auto response = net::error_response(http::status::bad_request, "invalid_parameter",
                                                *reason, request.version(), request.keep_alive());
            FUZZ_CHECK(response.result() == http::status::bad_request, "a refusal is a 400");
        }
        return;
    }
    if (path.starts_with("/api/") || path.starts_with("/ws/"))
        return;
    if (request.method() != http::verb::get && request.method() != http::verb::head)
        return;
    auto file = net::resolve_static_path(fuzz::site().root, target);
    if (!file)
        return;
    const auto& root = fuzz::site().root;
    auto [root_end, ignored] = std::mismatch(root.begin(), root.end(), file->begin(), file->end());
    FUZZ_CHECK(root_end == root.end(), "a served file is inside the document root");
    FUZZ_CHECK(*file != fuzz::site().secret, "the file outside the root is never served");
    http::response<http::empty_body> response{http::status::ok, request.version()};
    response.set(http::field::content_type, net::content_type_for(*file));
    response.keep_alive(request.keep_alive());
    net::add_security_headers(response.base(), true);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view bytes(reinterpret_cast<const char*>(data), size);
    // A few requests per connection, as with keep-alive; the session stops at the first error.
    for (int requests = 0; requests < 8 && !bytes.empty(); ++requests) {
        http::request_parser<http::string_body> parser;
        parser.header_limit(16 * 1024);
        parser.body_limit(16 * 1024); // config::Limits::max_http_body_bytes
        parser.eager(true);
        beast::error_code error;
        while (!error && !parser.is_done() && !bytes.empty()) {
            auto used = parser.put(boost::asio::buffer(bytes.data(), bytes.size()), error);
            if (error == http::error::need_more) {
                error = {};
                if (used == 0)
                    break;
            }
            bytes.remove_prefix(std::min(used, bytes.size()));
        }
        if (!error && !parser.is_done())
            parser.put_eof(error); // the peer closed the connection here
        if (error || !parser.is_done())
            return 0;
        Request request = parser.release();
        route(request);
        if (!request.keep_alive())
            return 0;
    }
    return 0;
}
