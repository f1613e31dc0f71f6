#pragma once

#include "demo_network.hpp"
#include "effect_text.hpp"
#include "fake_clock.hpp"

#include "neuvo/core/switchboard.hpp"

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace neuvo::core::testing {

// The policy with every change of a waiting client's place told at once. Most tests follow one
// event's consequences, with the clock standing still; queue_news_tests.cpp tests how the news
// is held back with the default interval.
inline Policy every_change_told(Policy policy = Policy{}) {
    policy.queue_news_interval = std::chrono::milliseconds{0};
    return policy;
}

// A switchboard on the demo network with a hand-driven clock. Conversation ids are "c-1", "c-2" ...
struct SwitchboardFixture {
    explicit SwitchboardFixture(ServiceNetwork network = demo_network(),
                                Policy policy = every_change_told())
        : board(std::move(network), policy, clock, "c-") {}

    FakeClock clock;
    Switchboard board;
    // Most tests are about who gets whom, not about the advisor's answer: client() and
    // available_advisor() then accept every offer their event made, at once.
    bool auto_accept = true;

    // The effects followed by what accepting each of their offers caused, in order.
    Effects accepting(Effects effects) {
        for (std::size_t i = 0; i < effects.size(); ++i) {
            const auto* deliver = std::get_if<Deliver>(&effects[i]);
            const auto* offer = deliver ? std::get_if<Offer>(&deliver->message) : nullptr;
            if (offer != nullptr) {
                Effects more = board.accept_offer(deliver->to, offer->conversation, "a");
                effects.insert(effects.end(), more.begin(), more.end());
            }
        }
        return effects;
    }

    Effects maybe_accepting(Effects effects) {
        return auto_accept ? accepting(std::move(effects)) : effects;
    }

    // Signs the advisor in on `session` and makes them available; returns only what the
    // availability caused (the sign-in itself is tested on its own).
    Effects available_advisor(SessionId session, AdvisorProfile who, int capacity = 3) {
        board.advisor_connected(session, std::move(who));
        return maybe_accepting(board.set_presence(session, Presence::available, capacity,
                                                  "p-" + std::to_string(session)));
    }

    // The register row an all-unknown wrap-up of the ended conversation writes, as text ("" when
    // the advisor on `session` owed none), once the store has it.
    std::string row_after_wrapup(SessionId advisor, const std::string& conversation) {
        const Effects saved = board.save_wrapup(advisor, conversation, Wrapup{}, "w-test");
        board.visit_stored(conversation, true);
        for (const Effect& effect : saved) {
            if (const auto* visit = std::get_if<RecordVisit>(&effect)) {
                return visit_text(visit->record);
            }
        }
        return "";
    }

    Effects client(SessionId session, const std::string& language, const std::string& home,
                   const std::vector<std::string>& also_speaks = {}) {
        board.client_connected(session);
        return maybe_accepting(board.client_request(session, "r-" + std::to_string(session),
                                                    language, home, also_speaks));
    }
};

} // namespace neuvo::core::testing
