#pragma once

#include "address_limits.hpp"
#include "hub.hpp"
#include "register_labels.hpp"
#include "sign_in_guard.hpp"

#include "neuvo/config/server_config.hpp"
#include "neuvo/store/store.hpp"

#include <boost/asio/any_io_executor.hpp>

#include <atomic>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace neuvo::net {

// What every session of one server needs to reach; outlives them all.
struct ServerContext {
    const config::ServerConfig& config;
    store::Store& store;
    Hub& hub;
    // A thread of its own for work too slow for the network threads (publishing a large
    // statistics table): a long computation there would hold up every chat on that thread.
    boost::asio::any_io_executor reports;
    std::atomic<std::size_t> connections{0};
    std::atomic<bool> stopping{false};
    RegisterLabels labels{}; // for the statistics' CSV files; read at start
    // The page origins whose WebSocket handshakes are accepted (config::canonical_origin's form):
    // the configuration's allowed_origins, or the server's own origins on the ports it bound.
    // Written once before the listeners run, only read after.
    std::vector<std::string> allowed_origins{};
    SignInGuard sign_in_guard{config.limits};
    // Connections and unfinished handshakes per client address, beside the global count above.
    AddressLimits address_limits{config.limits.max_connections_per_address,
                                 config.limits.max_handshakes_per_address,
                                 config.limits.ipv6_prefix_length};
};

// Holds one unit of the connection limit, and its address's slot (address_limits.hpp), for as
// long as a connection lives, whichever session object currently owns it.
class ConnectionSlot {
public:
    ConnectionSlot(std::atomic<std::size_t>& counter, AddressSlot address)
        : counter_(&counter), address_(std::move(address)) {
        ++*counter_;
    }
    ConnectionSlot(ConnectionSlot&& other) noexcept
        : counter_(other.counter_), address_(std::move(other.address_)) {
        other.counter_ = nullptr;
    }
    ConnectionSlot& operator=(ConnectionSlot&&) = delete;
    ConnectionSlot(const ConnectionSlot&) = delete;
    ~ConnectionSlot() {
        if (counter_)
            --*counter_;
    }

    // The TLS handshake and the first request are over: the address may start another.
    void handshake_done() { address_.handshake_done(); }

private:
    std::atomic<std::size_t>* counter_;
    AddressSlot address_;
};

} // namespace neuvo::net
