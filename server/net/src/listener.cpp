#include "listener.hpp"

#include "http_session.hpp"
#include "log.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>

#include <stdexcept>

namespace neuvo::net {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

Listener::Listener(asio::io_context& io, ServerContext& context, asio::ssl::context* tls)
    : io_(io), context_(context), tls_(tls), acceptor_(asio::make_strand(io)) {}

unsigned short Listener::bind(const config::Endpoint& endpoint) {
    auto where = endpoint.address + ":" + std::to_string(endpoint.port);
    boost::system::error_code error;
    auto address = asio::ip::make_address(endpoint.address, error);
    if (error)
        throw std::runtime_error("cannot listen on " + where + ": not an IP address");
    tcp::endpoint local(address, endpoint.port);
    acceptor_.open(local.protocol(), error);
    if (!error)
        acceptor_.set_option(asio::socket_base::reuse_address(true), error);
    if (!error)
        acceptor_.bind(local, error);
    if (!error)
        acceptor_.listen(asio::socket_base::max_listen_connections, error);
    if (error)
        throw std::runtime_error("cannot listen on " + where + ": " + error.message());
    return acceptor_.local_endpoint().port();
}

void Listener::run() {
    accept_next();
}

void Listener::stop() {
    asio::post(acceptor_.get_executor(), [self = shared_from_this()] {
        boost::system::error_code ignored;
        self->acceptor_.close(ignored);
    });
}

void Listener::accept_next() {
    acceptor_.async_accept(
        asio::make_strand(io_),
        [self = shared_from_this()](boost::system::error_code error, tcp::socket socket) {
            self->on_accept(error, std::move(socket));
        });
}

void Listener::on_accept(boost::system::error_code error, tcp::socket socket) {
    if (error == asio::error::operation_aborted || !acceptor_.is_open())
        return;
    if (error) {
        // Typically out of file descriptors: log and keep accepting rather than spin or die.
        log_event(LogLevel::warning, "accept_failed", {{"error", error.message()}});
    } else if (context_.connections.load() >= context_.config.limits.max_connections) {
        log_event(LogLevel::warning, "connection_limit_reached");
        boost::system::error_code ignored;
        socket.close(ignored);
    } else {
        boost::system::error_code ignored;
        socket.set_option(tcp::no_delay(true), ignored);
        ConnectionSlot slot(context_.connections);
        if (tls_)
            std::make_shared<HttpSession<TlsStream>>(std::move(slot), context_, std::move(socket),
                                                     *tls_)
                ->run();
        else
            std::make_shared<HttpSession<PlainStream>>(std::move(slot), context_, std::move(socket))
                ->run();
    }
    accept_next();
}

} // namespace neuvo::net
