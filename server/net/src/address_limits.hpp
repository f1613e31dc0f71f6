#pragma once

#include "client_network.hpp"

#include <boost/asio/ip/address.hpp>

#include <cstddef>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <utility>

namespace neuvo::net {

// Which per-address limit refused a connection; named as in the configuration's "limits".
enum class AddressLimit { none, connections, handshakes };
const char* address_limit_name(AddressLimit limit);

// One connection of one address, and until handshake_done() one of its handshakes (the TLS
// handshake and the first HTTP request: the costly part that nobody has signed for yet). Released
// when destroyed, whichever thread destroys it. An empty slot (refused, moved from) holds nothing.
class AddressSlot {
public:
    AddressSlot() = default;
    AddressSlot(AddressSlot&& other) noexcept;
    AddressSlot& operator=(AddressSlot&& other) noexcept;
    AddressSlot(const AddressSlot&) = delete;
    AddressSlot& operator=(const AddressSlot&) = delete;
    ~AddressSlot() { release(); }

    explicit operator bool() const { return shared_ != nullptr; }
    // The handshake is over: the connection still counts, its handshake no longer. Once only.
    void handshake_done();

private:
    friend class AddressLimits;
    struct Shared;
    AddressSlot(std::shared_ptr<Shared> shared, const boost::asio::ip::address& address)
        : shared_(std::move(shared)), address_(address) {}
    void release();

    // Shared with the limits, so that a slot destroyed after them (a session's last handler run
    // as the io_context goes away) still finds its counts.
    std::shared_ptr<Shared> shared_;
    boost::asio::ip::address address_;
    bool in_handshake_ = true;
};

// Concurrent connections and unfinished handshakes per client address, for every listener and
// network thread of one server. An IPv6 address counts by its network (client_network.hpp). An
// address is forgotten when it has neither.
class AddressLimits {
public:
    AddressLimits(std::size_t max_connections, std::size_t max_handshakes, int ipv6_prefix = 64);

    struct Admission {
        AddressSlot slot;                          // empty when refused
        AddressLimit refused = AddressLimit::none; // which limit the address has reached
    };
    // A slot counting one connection and one handshake of the address, unless either count is
    // at its limit already: then nothing is counted.
    Admission admit(const boost::asio::ip::address& address);

    // For tests and the log: the counts of one address's network, and how many networks have any.
    std::size_t connections(const boost::asio::ip::address& address) const;
    std::size_t handshakes(const boost::asio::ip::address& address) const;
    std::size_t addresses() const;

private:
    std::shared_ptr<AddressSlot::Shared> shared_;
};

} // namespace neuvo::net
