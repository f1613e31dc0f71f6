#include "demo_network.hpp"

#include <catch2/catch.hpp>

using namespace neuvo::core;
using namespace neuvo::core::testing;

namespace {

std::string tier_text(const ServiceNetwork& network, const std::string& point,
                      const std::string& home) {
    auto tier = network.tier_for(*network.find_point(point), home);
    return tier ? tier_name(*tier) : "none";
}

} // namespace

TEST_CASE("tier names are the protocol's words", "[core][network]") {
    CHECK(std::string(tier_name(Tier::own_point)) == "own-point");
    CHECK(std::string(tier_name(Tier::region)) == "region");
    CHECK(std::string(tier_name(Tier::partner)) == "partner");
    CHECK(std::string(tier_name(Tier::national)) == "national");
    CHECK(Tier::own_point < Tier::region);
    CHECK(Tier::region < Tier::partner);
    CHECK(Tier::partner < Tier::national);
}

TEST_CASE("role and presence names", "[core][network]") {
    CHECK(std::string(role_name(Role::client)) == "client");
    CHECK(std::string(role_name(Role::advisor)) == "advisor");
    CHECK(std::string(presence_name(Presence::available)) == "available");
    CHECK(std::string(presence_name(Presence::away)) == "away");
}

TEST_CASE("the network finds its languages, municipalities and points", "[core][network]") {
    const ServiceNetwork network = demo_network();
    REQUIRE(network.find_language("ar") != nullptr);
    CHECK(network.find_language("ar")->right_to_left);
    CHECK(network.find_language("ru")->autonym == "Русский");
    CHECK(network.find_language("xx") == nullptr);
    CHECK(network.find_language("") == nullptr);
    REQUIRE(network.find_municipality("049") != nullptr);
    CHECK(network.find_municipality("049")->name == "Espoo");
    CHECK(network.find_municipality("999") == nullptr);
    REQUIRE(network.find_point("837-mainio") != nullptr);
    CHECK(network.find_point("837-mainio")->name == "Mainio");
    CHECK(network.find_point("nowhere") == nullptr);
}

TEST_CASE("tier_for: the point of the home municipality is the own point", "[core][network]") {
    const ServiceNetwork network = demo_network();
    CHECK(tier_text(network, "049-inespoo", "049") == "own-point");
    CHECK(tier_text(network, "564-oulu10", "564") == "own-point");
    // Own point wins even over the national pool the point belongs to.
    CHECK(tier_text(network, "853-infotori", "853") == "own-point");
}

TEST_CASE("tier_for: the capital region serves each other as if local", "[core][network]") {
    const ServiceNetwork network = demo_network();
    CHECK(tier_text(network, "091-virka", "049") == "region");
    CHECK(tier_text(network, "091-virka", "235") == "region");
    CHECK(tier_text(network, "092-vantaa", "091") == "region");
    CHECK(tier_text(network, "049-inespoo", "092") == "region");
    // Another region group works the same way.
    CHECK(tier_text(network, "837-mainio", "536") == "region");
}

TEST_CASE("tier_for: an empty region is no region", "[core][network]") {
    ServiceNetwork network = demo_network();
    // Turku and Oulu both have no region: that must not make them one group.
    CHECK(tier_text(network, "564-oulu10", "853") == "none");
}

TEST_CASE("tier_for: an agreement makes a partner", "[core][network]") {
    const ServiceNetwork network = demo_network();
    CHECK(tier_text(network, "837-mainio", "049") == "partner");
    CHECK(tier_text(network, "837-mainio", "205") == "partner");
    CHECK(tier_text(network, "837-mainio", "091") == "none");
}

TEST_CASE("tier_for: the national pool serves everyone else", "[core][network]") {
    const ServiceNetwork network = demo_network();
    CHECK(tier_text(network, "853-infotori", "049") == "national");
    CHECK(tier_text(network, "853-infotori", "564") == "national");
    CHECK(tier_text(network, "091-virka", "564") == "none");
    CHECK(tier_text(network, "564-oulu10", "049") == "none");
}

TEST_CASE("tier_for: an unknown home reaches the national pool only", "[core][network]") {
    const ServiceNetwork network = demo_network();
    for (const std::string home : {"", "unknown", "other"}) {
        CAPTURE(home);
        CHECK(tier_text(network, "853-infotori", home) == "national");
        CHECK(tier_text(network, "091-virka", home) == "none");
        CHECK(tier_text(network, "837-mainio", home) == "none");
        CHECK(tier_text(network, "564-oulu10", home) == "none");
    }
}

TEST_CASE("tier_for: a point whose own municipality has no region entry still serves its own",
          "[core][network]") {
    ServiceNetwork network = demo_network();
    Point kiosk{"999-kiosk", "999", "Kiosk", {offer("fi")}, {}, false};
    CHECK(network.tier_for(kiosk, "999") == Tier::own_point);
    CHECK(network.tier_for(kiosk, "049") == std::nullopt);
}
