// Each sender's budget of messages (Policy::messages_per_minute, message_burst): a client or an
// advisor who sends faster is refused until the budget has refilled, and told when that is, so
// that the page can hold the message and send it again unchanged.
#include "switchboard_state.hpp"

#include <string>

namespace neuvo::core {

SendRate* Switchboard::State::send_rate_of(SessionId session) {
    if (auto client = clients.find(session); client != clients.end()) {
        return &client->second.send_rate;
    }
    SignedInAdvisor* advisor = advisor_on(session);
    return advisor == nullptr ? nullptr : &advisor->send_rate;
}

std::optional<ErrorReply> Switchboard::State::over_rate(SessionId session,
                                                        const std::string& message_id) {
    SendRate* rate = send_rate_of(session);
    if (rate == nullptr) {
        return std::nullopt;
    }
    auto wait = rate->take(clock.now(), policy);
    if (!wait) {
        return std::nullopt;
    }
    // Whole seconds for people, rounded up; retry_after has the exact wait for the page.
    const auto seconds = std::chrono::ceil<std::chrono::seconds>(*wait).count();
    return ErrorReply{"rate_limited",
                      "too many messages at once; send it again in " + std::to_string(seconds) +
                          (seconds == 1 ? " second" : " seconds"),
                      message_id, *wait};
}

} // namespace neuvo::core
