// "Aino is typing...": an ephemeral signal between the sides of a conversation. It is not part
// of the conversation's history: not numbered, not kept, not resent after a reconnection.
#include "neuvo/core/switchboard.hpp"

#include "error_reply.hpp"
#include "switchboard_state.hpp"

namespace neuvo::core {

Effects Switchboard::typing(SessionId session, const std::string& conversation) {
    State& s = *state_;
    if (!s.clients.contains(session) && s.advisor_on(session) == nullptr) {
        return error_reply(session, "not_allowed", "only the participants of a conversation type",
                           "");
    }
    Conversation* talk = s.conversation_of(session, conversation);
    if (talk == nullptr) {
        return error_reply(session, "not_in_conversation", "no such conversation for this session",
                           "");
    }
    const TimePoint now = s.clock.now();
    auto last = talk->typing_passed_on.find(session);
    if (last != talk->typing_passed_on.end() && now - last->second < s.policy.typing_interval) {
        return {};
    }
    // A sender whose message budget is spent is flooding: its typing goes nowhere either. Typing
    // takes nothing from the budget, or a person typing a long answer could not send it.
    if (const SendRate* rate = s.send_rate_of(session);
        rate != nullptr && !rate->has_token(now, s.policy)) {
        return {};
    }
    talk->typing_passed_on[session] = now;

    const bool from_client = talk->is_client(session);
    Effects effects;
    s.tell_participants(
        *talk,
        Typing{.conversation = conversation,
               .from = from_client ? Role::client : Role::advisor,
               .name = from_client ? std::string()
                                   : s.advisors.at(talk->key_of(session)).profile.display_name},
        session, effects);
    return effects;
}

} // namespace neuvo::core
