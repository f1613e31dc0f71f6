#pragma once

#include "neuvo/core/service_network.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace neuvo::core {

// Every point's tier for every home a request may name, worked out once: routing asks this for
// each candidate advisor, and the network's own lookups walk lists of strings.
class TierTable {
public:
    explicit TierTable(const ServiceNetwork& network);

    // Nothing when the point does not serve that home (or the home is not one a request may name).
    std::optional<Tier> tier(std::size_t point_index, const std::string& home) const;

private:
    std::unordered_map<std::string, std::vector<std::optional<Tier>>> by_home_;
};

} // namespace neuvo::core
