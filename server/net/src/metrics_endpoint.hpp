#pragma once

#include "server_context.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <string_view>

namespace neuvo::net {

namespace http = boost::beast::http;

inline constexpr std::string_view metrics_path = "/metrics";

// Whether the request may scrape: always when no token is configured (a loopback listener of its
// own), otherwise only with "Authorization: Bearer <token>", compared in constant time.
bool scrape_allowed(const config::MetricsSettings& settings, std::string_view authorization);

// GET /metrics: the hub's numbers are read on its strand, the text is put together on
// `executor` (the connection's strand), and `reply` is called exactly once, there. 401 without
// the token when one is required, 405 for another method.
void serve_metrics(ServerContext& context, const http::request<http::string_body>& request,
                   boost::asio::any_io_executor executor,
                   std::function<void(http::response<http::string_body>)> reply);

// The metrics' own listener (metrics.listen): plain HTTP, nothing but /metrics, a few connections
// at a time. Its connections do not count against limits.max_connections, so that a full server
// can still be watched, nor in the metrics' own connection numbers.
class MetricsListener : public std::enable_shared_from_this<MetricsListener> {
public:
    MetricsListener(boost::asio::io_context& io, ServerContext& context);

    // Opens, binds and listens; throws std::runtime_error naming the address when it cannot.
    unsigned short bind(const config::Endpoint& endpoint);
    void run();
    void stop(); // thread-safe

    // Scrapers connected at once, beyond which a new connection is closed at once.
    static constexpr std::size_t max_connections = 16;

private:
    void accept_next();
    void on_accept(boost::system::error_code error, boost::asio::ip::tcp::socket socket);

    boost::asio::io_context& io_;
    ServerContext& context_;
    boost::asio::ip::tcp::acceptor acceptor_;
    std::shared_ptr<std::atomic<std::size_t>> connections_;
};

} // namespace neuvo::net
