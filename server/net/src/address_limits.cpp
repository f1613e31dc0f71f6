#include "address_limits.hpp"

#include <utility>

namespace neuvo::net {

namespace ip = boost::asio::ip;

struct AddressSlot::Shared {
    struct Counts {
        std::size_t connections = 0;
        std::size_t handshakes = 0;
    };

    Shared(std::size_t max_connections, std::size_t max_handshakes, int ipv6_prefix)
        : max_connections(max_connections), max_handshakes(max_handshakes),
          ipv6_prefix(ipv6_prefix) {}

    ip::address key(const ip::address& address) const {
        return client_network(address, ipv6_prefix);
    }

    const std::size_t max_connections;
    const std::size_t max_handshakes;
    const int ipv6_prefix;
    mutable std::mutex mutex;
    std::unordered_map<ip::address, Counts> counts;
};

const char* address_limit_name(AddressLimit limit) {
    switch (limit) {
    case AddressLimit::none:
        return "none";
    case AddressLimit::connections:
        return "max_connections_per_address";
    case AddressLimit::handshakes:
        return "max_handshakes_per_address";
    }
    return "none";
}

AddressSlot::AddressSlot(AddressSlot&& other) noexcept
    : shared_(std::move(other.shared_)), address_(other.address_),
      in_handshake_(other.in_handshake_) {
    other.shared_.reset();
}

AddressSlot& AddressSlot::operator=(AddressSlot&& other) noexcept {
    if (this != &other) {
        release();
        shared_ = std::move(other.shared_);
        other.shared_.reset();
        address_ = other.address_;
        in_handshake_ = other.in_handshake_;
    }
    return *this;
}

void AddressSlot::handshake_done() {
    if (!shared_ || !in_handshake_)
        return;
    in_handshake_ = false;
    std::lock_guard lock(shared_->mutex);
    --shared_->counts.at(address_).handshakes;
}

void AddressSlot::release() {
    if (!shared_)
        return;
    {
        std::lock_guard lock(shared_->mutex);
        auto entry = shared_->counts.find(address_);
        if (in_handshake_)
            --entry->second.handshakes;
        if (--entry->second.connections == 0)
            shared_->counts.erase(entry);
    }
    shared_.reset();
}

AddressLimits::AddressLimits(std::size_t max_connections, std::size_t max_handshakes,
                             int ipv6_prefix)
    : shared_(std::make_shared<AddressSlot::Shared>(max_connections, max_handshakes, ipv6_prefix)) {
}

AddressLimits::Admission AddressLimits::admit(const ip::address& address) {
    auto key = shared_->key(address);
    {
        std::lock_guard lock(shared_->mutex);
        // Looked up before it is added: a refused address must not leave an empty entry behind.
        auto entry = shared_->counts.find(key);
        const auto current =
            entry == shared_->counts.end() ? AddressSlot::Shared::Counts{} : entry->second;
        if (current.connections >= shared_->max_connections)
            return {AddressSlot(), AddressLimit::connections};
        if (current.handshakes >= shared_->max_handshakes)
            return {AddressSlot(), AddressLimit::handshakes};
        auto& counts = shared_->counts[key];
        ++counts.connections;
        ++counts.handshakes;
    }
    return {AddressSlot(shared_, key), AddressLimit::none};
}

std::size_t AddressLimits::connections(const ip::address& address) const {
    std::lock_guard lock(shared_->mutex);
    auto entry = shared_->counts.find(shared_->key(address));
    return entry == shared_->counts.end() ? 0 : entry->second.connections;
}

std::size_t AddressLimits::handshakes(const ip::address& address) const {
    std::lock_guard lock(shared_->mutex);
    auto entry = shared_->counts.find(shared_->key(address));
    return entry == shared_->counts.end() ? 0 : entry->second.handshakes;
}

std::size_t AddressLimits::addresses() const {
    std::lock_guard lock(shared_->mutex);
    return shared_->counts.size();
}

} // namespace neuvo::net
