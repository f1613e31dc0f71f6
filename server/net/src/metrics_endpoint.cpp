#include "metrics_endpoint.hpp"

#include "http_support.hpp"
#include "log.hpp"
#include "metrics.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>

#include <openssl/crypto.h>

#include <optional>
#include <stdexcept>
#include <string>

namespace neuvo::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

// One scraper's connection to the metrics listener: requests one at a time, keep-alive.
class MetricsSession : public std::enable_shared_from_this<MetricsSession> {
public:
    MetricsSession(tcp::socket socket, ServerContext& context,
                   std::shared_ptr<std::atomic<std::size_t>> connections)
        : stream_(std::move(socket)), context_(context), connections_(std::move(connections)) {
        connections_->fetch_add(1);
    }
    ~MetricsSession() { connections_->fetch_sub(1); }
    MetricsSession(const MetricsSession&) = delete;
    MetricsSession& operator=(const MetricsSession&) = delete;

    void run() {
        asio::post(stream_.get_executor(), [self = shared_from_this()] { self->read_next(); });
    }

private:
    void read_next() {
        parser_.emplace();
        parser_->header_limit(8 * 1024);
        parser_->body_limit(1024);
        stream_.expires_after(std::chrono::seconds(30));
        http::async_read(stream_, buffer_, *parser_,
                         [self = shared_from_this()](beast::error_code error, std::size_t) {
                             self->on_read(error);
                         });
    }

    void on_read(beast::error_code error) {
        if (error == http::error::end_of_stream) {
            beast::error_code ignored;
            stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
            return;
        }
        if (error) {
            if (error != beast::error::timeout && error != asio::error::operation_aborted)
                respond(error_response(http::status::bad_request, "bad_request",
                                       "The request could not be read.", 11, false));
            return;
        }
        Request request = parser_->release();
        const auto target = request.target();
        if (target.substr(0, target.find('?')) != metrics_path)
            return respond(error_response(http::status::not_found, "not_found",
                                          "Only /metrics is served here.", request.version(),
                                          request.keep_alive()));
        serve_metrics(
            context_, request, stream_.get_executor(),
            [self = shared_from_this()](Response response) { self->respond(std::move(response)); });
    }

    void respond(Response response) {
        add_security_headers(response.base(), false);
        auto shared = std::make_shared<Response>(std::move(response));
        stream_.expires_after(std::chrono::seconds(30));
        http::async_write(
            stream_, *shared,
            [self = shared_from_this(), shared](beast::error_code error, std::size_t) {
                if (error)
                    return;
                if (shared->keep_alive())
                    return self->read_next();
                beast::error_code ignored;
                self->stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
            });
    }

    beast::tcp_stream stream_;
    ServerContext& context_;
    std::shared_ptr<std::atomic<std::size_t>> connections_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
};

} // namespace

bool scrape_allowed(const config::MetricsSettings& settings, std::string_view authorization) {
    const std::string& token = settings.bearer_token;
    if (token.empty())
        return true;
    constexpr std::string_view scheme = "Bearer ";
    if (authorization.size() != scheme.size() + token.size() || !authorization.starts_with(scheme))
        return false;
    return CRYPTO_memcmp(authorization.data() + scheme.size(), token.data(), token.size()) == 0;
}

void serve_metrics(ServerContext& context, const Request& request, asio::any_io_executor executor,
                   std::function<void(Response)> reply) {
    const unsigned version = request.version();
    const bool keep_alive = request.keep_alive();
    if (request.method() != http::verb::get) {
        auto response = error_response(http::status::method_not_allowed, "bad_request",
                                       "Scrape with GET.", version, keep_alive);
        response.set(http::field::allow, "GET");
        return reply(std::move(response));
    }
    if (!scrape_allowed(context.config.metrics, request[http::field::authorization])) {
        // The token is not logged, nor whatever came instead of it.
        log_event(LogLevel::info, "metrics_scrape_refused");
        auto response = error_response(http::status::unauthorized, "not_authenticated",
                                       "A bearer token is required.", version, keep_alive);
        response.set(http::field::www_authenticate, "Bearer realm=\"neuvo-metrics\"");
        return reply(std::move(response));
    }
    context.hub.metrics_snapshot([&context, executor, reply = std::move(reply), version,
                                  keep_alive](HubSnapshot snapshot) mutable {
        // Put together off the hub's strand: no chat waits for the text.
        asio::post(executor, [&context, snapshot = std::move(snapshot), reply = std::move(reply),
                              version, keep_alive] {
            Response response{http::status::ok, version};
            response.set(http::field::content_type, metrics_content_type);
            response.set(http::field::cache_control, "no-store");
            response.keep_alive(keep_alive);
            response.body() = format_metrics(context.hub.metrics(), snapshot,
                                             context.store.activity(), context.connections.load());
            response.prepare_payload();
            reply(std::move(response));
        });
    });
}

MetricsListener::MetricsListener(asio::io_context& io, ServerContext& context)
    : io_(io), context_(context), acceptor_(asio::make_strand(io)),
      connections_(std::make_shared<std::atomic<std::size_t>>(0)) {}

unsigned short MetricsListener::bind(const config::Endpoint& endpoint) {
    auto where = endpoint.address + ":" + std::to_string(endpoint.port);
    boost::system::error_code error;
    auto address = asio::ip::make_address(endpoint.address, error);
    if (error)
        throw std::runtime_error("cannot listen for metrics on " + where + ": not an IP address");
    tcp::endpoint local(address, endpoint.port);
    acceptor_.open(local.protocol(), error);
    if (!error)
        acceptor_.set_option(asio::socket_base::reuse_address(true), error);
    if (!error)
        acceptor_.bind(local, error);
    if (!error)
        acceptor_.listen(asio::socket_base::max_listen_connections, error);
    if (error)
        throw std::runtime_error("cannot listen for metrics on " + where + ": " + error.message());
    return acceptor_.local_endpoint().port();
}

void MetricsListener::run() {
    accept_next();
}

void MetricsListener::stop() {
    asio::post(acceptor_.get_executor(), [self = shared_from_this()] {
        boost::system::error_code ignored;
        self->acceptor_.close(ignored);
    });
}

void MetricsListener::accept_next() {
    acceptor_.async_accept(
        asio::make_strand(io_),
        [self = shared_from_this()](boost::system::error_code error, tcp::socket socket) {
            self->on_accept(error, std::move(socket));
        });
}

void MetricsListener::on_accept(boost::system::error_code error, tcp::socket socket) {
    if (error == asio::error::operation_aborted || !acceptor_.is_open())
        return;
    if (error) {
        log_event(LogLevel::warning, "metrics_accept_failed", {{"error", error.message()}});
    } else if (connections_->load() >= max_connections) {
        log_event(LogLevel::warning, "metrics_connection_limit_reached");
        boost::system::error_code ignored;
        socket.close(ignored);
    } else {
        std::make_shared<MetricsSession>(std::move(socket), context_, connections_)->run();
    }
    accept_next();
}

} // namespace neuvo::net
