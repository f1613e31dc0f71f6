#include "neuvo/core/service_network.hpp"

#include "home_municipality.hpp"

#include <algorithm>

namespace neuvo::core {

const char* tier_name(Tier tier) {
    switch (tier) {
    case Tier::own_point:
        return "own-point";
    case Tier::region:
        return "region";
    case Tier::partner:
        return "partner";
    case Tier::national:
        return "national";
    }
    return "national";
}

const Language* ServiceNetwork::find_language(const std::string& tag) const {
    auto it = std::find_if(languages.begin(), languages.end(),
                           [&](const Language& language) { return language.tag == tag; });
    return it == languages.end() ? nullptr : &*it;
}

const Municipality* ServiceNetwork::find_municipality(const std::string& code) const {
    auto it =
        std::find_if(municipalities.begin(), municipalities.end(),
                     [&](const Municipality& municipality) { return municipality.code == code; });
    return it == municipalities.end() ? nullptr : &*it;
}

const Point* ServiceNetwork::find_point(const std::string& id) const {
    auto it = std::find_if(points.begin(), points.end(),
                           [&](const Point& point) { return point.id == id; });
    return it == points.end() ? nullptr : &*it;
}

namespace {

bool same_region(const Municipality* a, const Municipality* b) {
    return a != nullptr && b != nullptr && !a->region.empty() && a->region == b->region;
}

} // namespace

std::optional<Tier> ServiceNetwork::tier_for(const Point& serving, const std::string& home) const {
    if (names_no_municipality(home)) {
        if (serving.national_pool) {
            return Tier::national;
        }
        return std::nullopt;
    }
    if (serving.municipality == home) {
        return Tier::own_point;
    }
    if (same_region(find_municipality(serving.municipality), find_municipality(home))) {
        return Tier::region;
    }
    const auto& served = serving.serves_municipalities;
    if (std::find(served.begin(), served.end(), home) != served.end()) {
        return Tier::partner;
    }
    if (serving.national_pool) {
        return Tier::national;
    }
    return std::nullopt;
}

} // namespace neuvo::core
