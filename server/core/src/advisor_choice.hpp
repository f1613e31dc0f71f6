#pragma once

#include "signed_in_advisor.hpp"

#include "neuvo/core/messages.hpp"
#include "neuvo/core/service_network.hpp"

#include <map>
#include <optional>
#include <string>

namespace neuvo::core {

struct AdvisorMatch {
    SessionId advisor = 0;
    Tier tier = Tier::national;
};

// The tier at which this advisor could take this client now, or nothing when the advisor may not
// (no free seat, another language, or the advisor's point does not serve the client's home).
std::optional<Tier> eligible_tier(const ServiceNetwork& network, const SignedInAdvisor& advisor,
                                  const std::string& language, const std::string& home);

// The advisor who should serve the client now: the closest tier first, then the least loaded,
// then the one idle longest, then the lowest session id so that the choice is reproducible.
std::optional<AdvisorMatch> choose_advisor(const ServiceNetwork& network,
                                           const std::map<SessionId, SignedInAdvisor>& advisors,
                                           const std::string& language, const std::string& home);

} // namespace neuvo::core
