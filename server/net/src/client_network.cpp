#include "client_network.hpp"

#include <algorithm>

namespace neuvo::net {

namespace ip = boost::asio::ip;

ip::address canonical_address(const ip::address& address) {
    if (address.is_v6() && address.to_v6().is_v4_mapped())
        return ip::make_address_v4(ip::v4_mapped, address.to_v6());
    return address;
}

ip::address client_network(const ip::address& address, int ipv6_prefix) {
    auto canonical = canonical_address(address);
    if (canonical.is_v4())
        return canonical;
    auto bytes = canonical.to_v6().to_bytes();
    const int kept = std::clamp(ipv6_prefix, 0, 128);
    for (int bit = kept; bit < 128; ++bit)
        bytes[static_cast<std::size_t>(bit / 8)] &=
            static_cast<unsigned char>(~(0x80u >> (bit % 8)));
    // The scope (an interface for link-local addresses) goes too: it is ours, not the client's.
    return ip::address_v6(bytes);
}

} // namespace neuvo::net
