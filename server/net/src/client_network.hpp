#pragma once

#include <boost/asio/ip/address.hpp>

namespace neuvo::net {

// An IPv4 client reaching a dual-stack socket appears as ::ffff:a.b.c.d: it is the same address
// as a.b.c.d, and counts as that.
boost::asio::ip::address canonical_address(const boost::asio::ip::address& address);

// What the per-address limits count as one client (connections, handshakes, failed sign-ins,
// wrong join codes): an IPv4 address, or the network of an IPv6 address's first `ipv6_prefix`
// bits (the rest zero). A home, an office or a phone is given a whole IPv6 network, a /64 at
// least, and may use any address in it: counting single IPv6 addresses would give one abuser
// more than anyone could ever count. `ipv6_prefix` is clamped to 0-128 (the configuration allows
// 32-128); 128 counts single addresses.
boost::asio::ip::address client_network(const boost::asio::ip::address& address, int ipv6_prefix);

} // namespace neuvo::net
