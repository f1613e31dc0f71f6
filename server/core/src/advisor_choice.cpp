#include "advisor_choice.hpp"

#include <tuple>

namespace neuvo::core {

std::optional<Tier> eligible_tier(const ServiceNetwork& network, const SignedInAdvisor& advisor,
                                  const std::string& language, const std::string& home) {
    if (!advisor.has_free_seat() || !advisor.speaks(language) || advisor.point == nullptr) {
        return std::nullopt;
    }
    return network.tier_for(*advisor.point, home);
}

std::optional<AdvisorMatch> choose_advisor(const ServiceNetwork& network,
                                           const std::map<SessionId, SignedInAdvisor>& advisors,
                                           const std::string& language, const std::string& home) {
    std::optional<AdvisorMatch> best;
    const SignedInAdvisor* best_advisor = nullptr;
    // Advisors are visited in session order, so on a full tie the lowest session id stays.
    for (const auto& [session, advisor] : advisors) {
        auto tier = eligible_tier(network, advisor, language, home);
        if (!tier) {
            continue;
        }
        auto preference = [](Tier t, const SignedInAdvisor& a) {
            return std::make_tuple(t, a.active(), a.idle_since);
        };
        if (!best || preference(*tier, advisor) < preference(best->tier, *best_advisor)) {
            best = AdvisorMatch{session, *tier};
            best_advisor = &advisor;
        }
    }
    return best;
}

} // namespace neuvo::core
