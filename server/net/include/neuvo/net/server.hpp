#pragma once

#include "neuvo/config/server_config.hpp"
#include "neuvo/store/store.hpp"

#include <functional>
#include <memory>

namespace neuvo::net {

// The I/O shell: listens for HTTPS/WSS (and plain HTTP when configured), serves the web client,
// signs advisors in, and carries frames between sockets and the core's switchboard.
class Server {
public:
    Server(config::ServerConfig config, store::Store& store);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Binds the listening sockets; throws std::runtime_error naming the address on failure.
    // Returns the bound TLS port (useful when the configuration asked for port 0).
    unsigned short bind();
    // After bind(): the port of the metrics' own listener (metrics.listen), 0 when there is none.
    unsigned short metrics_port() const;

    // Runs until stop() or SIGINT/SIGTERM, then closes every peer with 1001 and returns.
    void run();

    // Thread-safe: begins a graceful shutdown.
    void stop();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace neuvo::net
