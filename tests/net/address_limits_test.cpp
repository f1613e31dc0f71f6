#include "address_limits.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <optional>
#include <thread>
#include <vector>

using neuvo::net::AddressLimit;
using neuvo::net::AddressLimits;
using neuvo::net::AddressSlot;
using neuvo::net::canonical_address;
using neuvo::net::client_network;
namespace ip = boost::asio::ip;

namespace {

const auto first = ip::make_address("192.0.2.1");
const auto second = ip::make_address("192.0.2.2");

// A connection whose handshake is over, as an HTTP session holds it after its first request.
AddressSlot connected(AddressLimits& limits, const ip::address& address) {
    auto admission = limits.admit(address);
    REQUIRE(admission.slot);
    admission.slot.handshake_done();
    return std::move(admission.slot);
}

} // namespace

TEST_CASE("an address gets as many connections as its limit, other addresses their own",
          "[address_limits]") {
    AddressLimits limits(3, 3);
    std::vector<AddressSlot> held;
    for (int i = 0; i < 3; ++i)
        held.push_back(connected(limits, first));
    CHECK(limits.connections(first) == 3);
    CHECK(limits.handshakes(first) == 0);

    auto refused = limits.admit(first);
    CHECK_FALSE(refused.slot);
    CHECK(refused.refused == AddressLimit::connections);
    CHECK(std::string(neuvo::net::address_limit_name(refused.refused)) ==
          "max_connections_per_address");
    // A refusal counts nothing.
    CHECK(limits.connections(first) == 3);

    auto other = limits.admit(second);
    CHECK(other.slot);
    CHECK(other.refused == AddressLimit::none);
    CHECK(limits.connections(second) == 1);

    SECTION("a connection that ends makes room for one more") {
        held.pop_back();
        CHECK(limits.connections(first) == 2);
        CHECK(limits.admit(first).slot);
    }
    SECTION("every connection's end is counted, and the address is then forgotten") {
        held.clear();
        CHECK(limits.connections(first) == 0);
        CHECK(limits.addresses() == 1); // the second address's
        other.slot = AddressSlot();
        CHECK(limits.addresses() == 0);
    }
}

TEST_CASE("unfinished handshakes have a limit of their own below the connections'",
          "[address_limits]") {
    AddressLimits limits(10, 2);
    auto a = limits.admit(first);
    auto b = limits.admit(first);
    REQUIRE(a.slot);
    REQUIRE(b.slot);
    CHECK(limits.handshakes(first) == 2);

    auto refused = limits.admit(first);
    CHECK_FALSE(refused.slot);
    CHECK(refused.refused == AddressLimit::handshakes);
    CHECK(std::string(neuvo::net::address_limit_name(refused.refused)) ==
          "max_handshakes_per_address");
    CHECK(limits.connections(first) == 2);
    // Another address is not held up by them.
    CHECK(limits.admit(second).slot);

    SECTION("a finished handshake frees its place, the connection stays counted") {
        a.slot.handshake_done();
        CHECK(limits.handshakes(first) == 1);
        CHECK(limits.connections(first) == 2);
        // Once only: a second call changes nothing.
        a.slot.handshake_done();
        CHECK(limits.handshakes(first) == 1);
        auto c = limits.admit(first);
        CHECK(c.slot);
        CHECK(limits.handshakes(first) == 2);
        CHECK(limits.connections(first) == 3);
    }
    SECTION("a connection that ends (or times out) in its handshake frees both") {
        b.slot = AddressSlot();
        CHECK(limits.handshakes(first) == 1);
        CHECK(limits.connections(first) == 1);
        CHECK(limits.admit(first).slot);
    }
}

TEST_CASE("a slot moves with its connection and is released once", "[address_limits]") {
    AddressLimits limits(2, 2);
    std::optional<AddressSlot> moved;
    {
        auto admission = limits.admit(first);
        moved.emplace(std::move(admission.slot));
        CHECK_FALSE(admission.slot);
    } // the moved-from slot is gone and released nothing
    CHECK(limits.connections(first) == 1);
    CHECK(limits.handshakes(first) == 1);
    AddressSlot assigned = connected(limits, first);
    assigned = std::move(*moved); // releases the connection it held, takes the other
    CHECK(limits.connections(first) == 1);
    CHECK(limits.handshakes(first) == 1);
    moved.reset();
    CHECK(limits.connections(first) == 1);
    assigned = AddressSlot();
    CHECK(limits.connections(first) == 0);
    CHECK(limits.addresses() == 0);
}

TEST_CASE("a slot that outlives its limits still releases safely", "[address_limits]") {
    AddressSlot slot;
    {
        AddressLimits limits(1, 1);
        slot = limits.admit(first).slot;
        REQUIRE(slot);
    }
    slot.handshake_done();
    slot = AddressSlot();
    CHECK_FALSE(slot);
}

TEST_CASE("an IPv4 address reached over IPv6 counts as the IPv4 address", "[address_limits]") {
    const auto mapped = ip::make_address("::ffff:192.0.2.1");
    CHECK(canonical_address(mapped) == first);
    CHECK(canonical_address(first) == first);
    const auto six = ip::make_address("2001:db8::1");
    CHECK(canonical_address(six) == six);

    AddressLimits limits(2, 2);
    auto plain = limits.admit(first);
    auto over_six = limits.admit(mapped);
    REQUIRE(plain.slot);
    REQUIRE(over_six.slot);
    CHECK(limits.connections(first) == 2);
    CHECK(limits.connections(mapped) == 2);
    CHECK(limits.addresses() == 1);
    CHECK(limits.admit(mapped).refused == AddressLimit::connections);
    CHECK(limits.admit(first).refused == AddressLimit::connections);
    // A real IPv6 address is one of its own.
    CHECK(limits.admit(six).slot);
}

TEST_CASE("an IPv6 client is its network: the address's first bits, the rest zero",
          "[address_limits]") {
    const auto address = ip::make_address("2001:db8:1:2:aaaa:bbbb:cccc:dddd");
    CHECK(client_network(address, 64) == ip::make_address("2001:db8:1:2::"));
    CHECK(client_network(address, 56) == ip::make_address("2001:db8:1::"));
    CHECK(client_network(address, 48) == ip::make_address("2001:db8:1::"));
    // Not on a byte's edge: 2001:db8:1:2 is ...0000 0000 0000 0010 in its last group.
    CHECK(client_network(address, 63) == ip::make_address("2001:db8:1:2::"));
    CHECK(client_network(address, 62) == ip::make_address("2001:db8:1::"));
    CHECK(client_network(address, 68) == ip::make_address("2001:db8:1:2:a000::"));
    CHECK(client_network(address, 128) == address);
    // IPv4, also reached over IPv6, is one address whatever the prefix.
    CHECK(client_network(first, 64) == first);
    CHECK(client_network(ip::make_address("::ffff:192.0.2.1"), 64) == first);
    // A link-local address's scope (our interface) is not part of the client's network.
    auto scoped = ip::make_address_v6("fe80::1:2:3:4");
    scoped.scope_id(3);
    CHECK(client_network(scoped, 64) == ip::make_address("fe80::"));
    CHECK(client_network(scoped, 64).to_string() == "fe80::");
}

TEST_CASE("every address of one IPv6 /64 shares one count; the next /64 has its own",
          "[address_limits]") {
    AddressLimits limits(3, 2, 64);
    const auto one = ip::make_address("2001:db8:0:7::1");
    const auto other_in_network = ip::make_address("2001:db8:0:7:ffff:1234:5678:9abc");
    const auto third_in_network = ip::make_address("2001:db8:0:7::99");
    const auto next_network = ip::make_address("2001:db8:0:8::1");
    auto a = limits.admit(one);
    auto b = limits.admit(other_in_network);
    REQUIRE(a.slot);
    REQUIRE(b.slot);
    CHECK(limits.connections(third_in_network) == 2);
    CHECK(limits.handshakes(third_in_network) == 2);
    CHECK(limits.addresses() == 1);
    // A fresh address in the same network is no way past either limit.
    CHECK(limits.admit(third_in_network).refused == AddressLimit::handshakes);
    a.slot.handshake_done();
    b.slot.handshake_done();
    auto c = limits.admit(third_in_network);
    REQUIRE(c.slot);
    CHECK(limits.admit(ip::make_address("2001:db8:0:7::100")).refused == AddressLimit::connections);
    CHECK(limits.connections(one) == 3);
    // The neighbouring network is somebody else.
    auto neighbour = limits.admit(next_network);
    CHECK(neighbour.slot);
    CHECK(limits.connections(next_network) == 1);
    CHECK(limits.addresses() == 2);
    // The count is released under the network it was taken for, whichever address closes.
    a.slot = AddressSlot();
    CHECK(limits.connections(third_in_network) == 2);
    CHECK(limits.admit(third_in_network).slot);
}

TEST_CASE("the IPv6 prefix is the operator's: /128 counts single addresses, /48 a whole site",
          "[address_limits]") {
    const auto one = ip::make_address("2001:db8:5:1::1");
    const auto same_64 = ip::make_address("2001:db8:5:1::2");
    const auto same_48 = ip::make_address("2001:db8:5:ff::1");

    AddressLimits single(1, 1, 128);
    auto held = single.admit(one);
    REQUIRE(held.slot);
    CHECK(single.admit(same_64).slot);

    AddressLimits site(1, 1, 48);
    auto taken = site.admit(one);
    REQUIRE(taken.slot);
    CHECK(site.admit(same_48).refused == AddressLimit::connections);
    CHECK(site.connections(same_48) == 1);
}

TEST_CASE("admissions and releases from many threads never pass the limit and all come back",
          "[address_limits]") {
    constexpr std::size_t limit = 2;
    AddressLimits limits(limit, limit);
    std::atomic<int> held{0};
    std::atomic<int> most{0};
    std::atomic<int> refused{0};
    std::atomic<bool> passed{false};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t)
        threads.emplace_back([&, t] {
            // Half of them as IPv4-mapped IPv6: one address all the same.
            const auto address =
                ip::make_address(t % 2 == 0 ? "198.51.100.7" : "::ffff:198.51.100.7");
            for (int i = 0; i < 20000; ++i) {
                auto admission = limits.admit(address);
                if (!admission.slot) {
                    ++refused;
                    continue;
                }
                const int now = ++held;
                int seen = most.load();
                while (now > seen && !most.compare_exchange_weak(seen, now)) {
                }
                if (now > static_cast<int>(limit))
                    passed = true;
                if (i % 2 == 0)
                    admission.slot.handshake_done();
                --held; // before the slot goes, so that `held` never lags behind the limits
            }
        });
    for (auto& thread : threads)
        thread.join();
    INFO("refused " << refused.load() << " of 160000");
    CHECK_FALSE(passed.load());
    CHECK(most.load() <= static_cast<int>(limit));
    CHECK(limits.addresses() == 0);
}
