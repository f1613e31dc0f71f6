#pragma once

#include "server_context.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

#include <memory>

namespace neuvo::net {

// Accepts TCP connections on one endpoint and starts an HTTP session for each, over TLS when a
// TLS context is given. Each connection gets its own strand.
class Listener : public std::enable_shared_from_this<Listener> {
public:
    Listener(boost::asio::io_context& io, ServerContext& context, boost::asio::ssl::context* tls);

    // Opens, binds and listens; throws std::runtime_error naming the address when it cannot.
    unsigned short bind(const config::Endpoint& endpoint);
    void run();
    void stop(); // thread-safe

private:
    void accept_next();
    void on_accept(boost::system::error_code error, boost::asio::ip::tcp::socket socket);
    // Within the global limit: counts the connection against its address's limits
    // (address_limits.hpp) and starts its session, or closes it at once when they are reached.
    void start_session(boost::asio::ip::tcp::socket socket);

    boost::asio::io_context& io_;
    ServerContext& context_;
    boost::asio::ssl::context* tls_;
    boost::asio::ip::tcp::acceptor acceptor_;
};

} // namespace neuvo::net
