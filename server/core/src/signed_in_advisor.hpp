#pragma once

#include "neuvo/core/clock.hpp"
#include "neuvo/core/messages.hpp"
#include "neuvo/core/service_network.hpp"
#include "neuvo/core/switchboard.hpp"

#include <algorithm>
#include <string>
#include <vector>

namespace neuvo::core {

// An advisor's live state on one session.
struct SignedInAdvisor {
    AdvisorProfile profile;
    const Point* point = nullptr; // nullptr when the profile names no point of the network
    Presence status = Presence::away;
    int capacity = 0;
    std::vector<std::string> conversations; // open ones, oldest first
    // Since the last conversation ended or the advisor became available: who rested longest
    // gets the next client among equally loaded advisors.
    TimePoint idle_since;

    int active() const { return static_cast<int>(conversations.size()); }

    bool has_free_seat() const { return status == Presence::available && active() < capacity; }

    bool speaks(const std::string& language) const {
        const auto& spoken = profile.languages;
        return std::find(spoken.begin(), spoken.end(), language) != spoken.end();
    }

    PresenceState presence_state() const { return PresenceState{status, capacity, active()}; }
};

} // namespace neuvo::core
