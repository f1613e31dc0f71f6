#include "neuvo/net/server.hpp"

#include "http_support.hpp"
#include "hub.hpp"
#include "listener.hpp"
#include "log.hpp"
#include "metrics_endpoint.hpp"
#include "retention.hpp"
#include "server_context.hpp"
#include "tls_context.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>

#include <algorithm>
#include <thread>
#include <vector>

namespace neuvo::net {

namespace asio = boost::asio;

// Peers get this long to finish their close handshake before the server stops waiting.
constexpr auto close_grace = std::chrono::seconds(5);

// A handler that throws is a bug, but one connection's bug must not end every conversation on
// the server: log it and keep serving. run() returns normally only once the context is stopped.
void run_handlers(asio::io_context& io) {
    for (;;) {
        try {
            io.run();
            return;
        } catch (const std::exception& error) {
            log_event(LogLevel::error, "handler_failed", {{"error", error.what()}});
        }
    }
}

LogLevel log_level_of(config::LogLevel level) {
    switch (level) {
    case config::LogLevel::debug:
        return LogLevel::debug;
    case config::LogLevel::info:
        return LogLevel::info;
    case config::LogLevel::warning:
        return LogLevel::warning;
    case config::LogLevel::error:
        return LogLevel::error;
    }
    return LogLevel::info;
}

// An io_context that can end its unfinished handlers before its own destructor runs.
class IoContext : public asio::io_context {
public:
    using asio::io_context::shutdown;
};

struct Server::Impl {
    Impl(config::ServerConfig configuration, store::Store& store)
        : config(std::move(configuration)), control(asio::make_strand(io)),
          tls(make_tls_context(config.certificate, config.private_key)),
          hub(io, config.network, config.policy, store, metrics), context{config, store, hub,
                                                                          reports.get_executor()},
          signals(control, SIGINT, SIGTERM), grace_timer(control), retention_timer(control) {
        set_log_level(log_level_of(config.log_level));
        context.labels = RegisterLabels::load(config.document_root);
    }

    // Deletes the register rows past retention now, then again every retention_interval. Only
    // the number deleted is logged: the rows themselves are never looked at here.
    void delete_expired_visits() {
        const auto cutoff = retention_cutoff(clock.now(), config.visit_register.retention);
        context.store.delete_visits_started_before(cutoff, [](std::optional<std::int64_t> deleted) {
            if (deleted)
                log_event(LogLevel::info, "register_rows_expired",
                          {{"deleted", std::to_string(*deleted)}});
            else
                log_event(LogLevel::warning, "register_retention_failed");
        });
        retention_timer.expires_after(retention_interval);
        retention_timer.async_wait([this](boost::system::error_code error) {
            if (!error && !context.stopping.load())
                delete_expired_visits();
        });
    }

    // Sessions still open when run() returned (peers that did not answer their close within the
    // grace period) live on in the io_context's unfinished handlers, which it destroys in its
    // own destructor. As the first member it runs last, after the context and the hub those
    // sessions point into: end them now, once the reports' thread (which posts to them) is done.
    ~Impl() {
        reports.join();
        io.shutdown();
    }

    void begin_shutdown() {
        if (context.stopping.exchange(true))
            return;
        log_event(LogLevel::info, "shutting_down");
        for (auto& listener : listeners)
            listener->stop();
        if (metrics_listener)
            metrics_listener->stop();
        signals.cancel();
        retention_timer.cancel();
        hub.shut_down();
        // Closed peers end their sessions; when none is left, run() returns by itself. A peer
        // that does not answer its close frame is not waited for past the grace period.
        grace_timer.expires_after(close_grace);
        grace_timer.async_wait([this](boost::system::error_code error) {
            if (!error)
                io.stop();
        });
        poll_connections();
    }

    void poll_connections() {
        if (context.connections.load() == 0) {
            // The last sessions posted their departures to the hub before they went; stopping
            // through the hub's strand lets those run first, so their visits reach the store.
            hub.after_pending_work([this] {
                asio::post(control, [this] {
                    grace_timer.cancel();
                    work.reset();
                    io.stop();
                });
            });
            return;
        }
        auto timer = std::make_shared<asio::steady_timer>(control, std::chrono::milliseconds(50));
        timer->async_wait([this, timer](boost::system::error_code) { poll_connections(); });
    }

    config::ServerConfig config;
    IoContext io;
    // The server's own timers, its signals and its shutdown, one at a time: the io threads run
    // them, and an Asio timer or signal_set must not be used from two threads at once
    // (ThreadSanitizer saw a SIGTERM's begin_shutdown cancel the retention timer on one thread
    // while delete_expired_visits set it on another).
    asio::strand<asio::io_context::executor_type> control;
    asio::ssl::context tls;
    // Before the hub and the context, so that it is joined after them while `io` still exists:
    // its last tasks post their answers to the connections' strands.
    asio::thread_pool reports{1};
    Metrics metrics; // before the hub, which counts into it to its end
    Hub hub;
    ServerContext context;
    asio::signal_set signals;
    asio::steady_timer grace_timer;
    asio::steady_timer retention_timer;
    core::SystemClock clock;
    std::vector<std::shared_ptr<Listener>> listeners;
    std::shared_ptr<MetricsListener> metrics_listener; // metrics.listen, when configured
    unsigned short metrics_port = 0;
    std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
};

Server::Server(config::ServerConfig config, store::Store& store)
    : impl_(std::make_unique<Impl>(std::move(config), store)) {}

Server::~Server() = default;

unsigned short Server::bind() {
    auto tls_listener = std::make_shared<Listener>(impl_->io, impl_->context, &impl_->tls);
    auto port = tls_listener->bind(impl_->config.listen);
    impl_->listeners.push_back(tls_listener);
    unsigned short plain_port = 0;
    if (impl_->config.plain_http) {
        auto plain_listener = std::make_shared<Listener>(impl_->io, impl_->context, nullptr);
        plain_port = plain_listener->bind(*impl_->config.plain_http);
        impl_->listeners.push_back(plain_listener);
    }
    const auto& metrics = impl_->config.metrics;
    if (metrics.enabled && !metrics.on_public_port) {
        impl_->metrics_listener = std::make_shared<MetricsListener>(impl_->io, impl_->context);
        impl_->metrics_port = impl_->metrics_listener->bind(metrics.listen);
        log_event(LogLevel::info, "metrics_listening",
                  {{"address", metrics.listen.address},
                   {"port", std::to_string(impl_->metrics_port)},
                   {"token", metrics.bearer_token.empty() ? "none" : "required"}});
    }
    // Only pages of these origins may open a WebSocket: another site's page in the same browser
    // would otherwise be sent the advisor's cookie with its handshake. Known only now when the
    // configuration asked for port 0.
    auto& allowed = impl_->context.allowed_origins;
    allowed = impl_->config.allowed_origins;
    if (allowed.empty())
        allowed = default_allowed_origins(
            impl_->config.listen.address, port,
            impl_->config.plain_http ? &impl_->config.plain_http->address : nullptr, plain_port);
    std::string listed;
    for (const auto& origin : allowed)
        listed += (listed.empty() ? "" : " ") + origin;
    log_event(LogLevel::info, "allowed_origins", {{"origins", listed}});
    return port;
}

void Server::run() {
    auto& impl = *impl_;
    impl.work.emplace(impl.io.get_executor());
    impl.signals.async_wait([&impl](boost::system::error_code error, int signal) {
        if (error)
            return;
        log_event(LogLevel::info, "signal_received", {{"signal", std::to_string(signal)}});
        impl.begin_shutdown();
    });
    for (auto& listener : impl.listeners)
        listener->run();
    if (impl.metrics_listener)
        impl.metrics_listener->run();
    asio::post(impl.control, [&impl] { impl.delete_expired_visits(); });

    unsigned threads = impl.config.threads;
    if (threads == 0)
        threads = std::max(1u, std::thread::hardware_concurrency());
    std::vector<std::thread> pool;
    for (unsigned i = 1; i < threads; ++i)
        pool.emplace_back([&impl] { run_handlers(impl.io); });
    run_handlers(impl.io);
    for (auto& thread : pool)
        thread.join();
}

unsigned short Server::metrics_port() const {
    return impl_->metrics_port;
}

void Server::stop() {
    asio::post(impl_->control, [impl = impl_.get()] { impl->begin_shutdown(); });
}

} // namespace neuvo::net
