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
        context_.hub.metrics().refused(ConnectionRefusal::connection_limit);
        log_event(LogLevel::warning, "connection_limit_reached");
        boost::system::error_code ignored;
        socket.close(ignored);
    } else {
        start_session(std::move(socket));
    }
    accept_next();
}

void Listener::start_session(tcp::socket socket) {
    boost::system::error_code error;
    auto peer = socket.remote_endpoint(error);
    if (error) {
        // Gone again already (reset before it was accepted): nothing to serve.
        log_event(LogLevel::debug, "accepted_connection_gone", {{"error", error.message()}});
        socket.close(error);
        return;
    }
    // Refused before any TLS work: a crowd of connections from one address must not tie up
    // the server for everyone else. The log names the limit, never the address (personal data).
    auto admission = context_.address_limits.admit(peer.address());
    if (!admission.slot) {
        context_.hub.metrics().refused(admission.refused == AddressLimit::handshakes
                                           ? ConnectionRefusal::handshakes_per_address
                                           : ConnectionRefusal::connections_per_address);
        log_event(LogLevel::warning, "address_limit_reached",
                  {{"limit", address_limit_name(admission.refused)},
                   {"family", canonical_address(peer.address()).is_v4() ? "ipv4" : "ipv6"}});
        socket.close(error);
        return;
    }
    context_.hub.metrics().connections_accepted.add();
    socket.set_option(tcp::no_delay(true), error);
    ConnectionSlot slot(context_.connections, std::move(admission.slot));
    if (tls_)
        std::make_shared<HttpSession<TlsStream>>(std::move(slot), context_, std::move(socket),
                                                 *tls_)
            ->run();
    else
        std::make_shared<HttpSession<PlainStream>>(std::move(slot), context_, std::move(socket))
            ->run();
}

} // namespace neuvo::net
