#include "tier_table.hpp"

namespace neuvo::core {

TierTable::TierTable(const ServiceNetwork& network) {
    std::vector<std::string> homes{"unknown", "other", "abroad"};
    for (const Municipality& municipality : network.municipalities) {
        homes.push_back(municipality.code);
    }
    for (const std::string& home : homes) {
        auto& tiers = by_home_[home];
        for (const Point& point : network.points) {
            tiers.push_back(network.tier_for(point, home));
        }
    }
}

std::optional<Tier> TierTable::tier(std::size_t point_index, const std::string& home) const {
    auto it = by_home_.find(home);
    if (it == by_home_.end() || point_index >= it->second.size()) {
        return std::nullopt;
    }
    return it->second[point_index];
}

} // namespace neuvo::core
