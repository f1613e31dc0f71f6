#pragma once

#include "send_rate.hpp"

#include "neuvo/core/clock.hpp"
#include "neuvo/core/messages.hpp"
#include "neuvo/core/service_network.hpp"
#include "neuvo/core/switchboard.hpp"

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace neuvo::core {

// A signed-in advisor's live state. It outlives a dropped socket for the grace period, so that
// the conversations can continue on the advisor's next connection.
struct SignedInAdvisor {
    AdvisorProfile profile;
    const Point* point = nullptr;         // nullptr when the profile names no point of the network
    std::size_t point_index = 0;          // of `point` in the network, for the tier table
    SessionId session = 0;                // the current socket (the last one while reconnecting)
    std::optional<TimePoint> grace_until; // set while the socket is gone
    Presence status = Presence::away;
    int capacity = 0;
    bool follow_schedule = false;
    std::vector<std::string> conversations; // open ones this advisor leads, oldest first
    std::vector<std::string> offers;        // pending ones, oldest first
    SendRate send_rate; // kept across reconnections: a new socket does not refill it
    // Conversations this advisor was invited into: they take none of the advisor's capacity.
    std::vector<std::string> guest_in;
    std::vector<std::string> consults;           // open consult threads
    std::vector<std::string> handovers_received; // invitations and transfers awaiting an answer
    // Ended conversations whose wrap-up this advisor owes, oldest first. They use no capacity,
    // but they keep the advisor signed in through a dropped connection like conversations do.
    std::vector<std::string> wrapups;
    // Since the last conversation ended or the advisor became available: who rested longest
    // gets the next client among equally loaded advisors.
    TimePoint idle_since;
    int missed_offers_in_row = 0;
    std::optional<OpenAdvisor> kept; // the presence the store has, when it has it

    bool connected() const { return !grace_until.has_value(); }

    // Pending offers reserve capacity just as conversations use it.
    int active() const { return static_cast<int>(conversations.size() + offers.size()); }

    bool has_free_seat() const {
        return connected() && status == Presence::available && active() < capacity;
    }

    bool speaks(const std::string& language) const {
        const auto& spoken = profile.languages;
        return std::find(spoken.begin(), spoken.end(), language) != spoken.end();
    }

    PresenceState presence_state(std::string reason = {}) const {
        return PresenceState{status, capacity, active(), follow_schedule, std::move(reason)};
    }
};

} // namespace neuvo::core
