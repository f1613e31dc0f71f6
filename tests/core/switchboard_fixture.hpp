#pragma once

#include "demo_network.hpp"
#include "effect_text.hpp"
#include "fake_clock.hpp"

#include "neuvo/core/switchboard.hpp"

#include <optional>
#include <string>

namespace neuvo::core::testing {

// A switchboard on the demo network with a hand-driven clock. Conversation ids are "c-1", "c-2" ...
struct SwitchboardFixture {
    FakeClock clock;
    Switchboard board{demo_network(), Policy{}, clock, "c-"};

    // Signs the advisor in on `session` and makes them available; returns only what the
    // availability caused (the sign-in itself is tested on its own).
    Effects available_advisor(SessionId session, AdvisorProfile who, int capacity = 3) {
        board.advisor_connected(session, std::move(who));
        return board.set_presence(session, Presence::available, capacity,
                                  "p-" + std::to_string(session));
    }

    Effects client(SessionId session, const std::string& language, const std::string& home) {
        board.client_connected(session);
        return board.client_request(session, "r-" + std::to_string(session), language, home);
    }
};

} // namespace neuvo::core::testing
