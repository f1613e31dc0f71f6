// A clerk giving language support may let the customer join from a kiosk or their own phone:
// the clerk asks for a one-time code, the customer's anonymous client joins with it and from
// then on hears and speaks for the client side of the conversation.
#include "neuvo/core/switchboard.hpp"

#include "error_reply.hpp"
#include "switchboard_state.hpp"

#include <cctype>

namespace neuvo::core {

namespace {

std::string upper_case(std::string text) {
    for (char& c : text) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return text;
}

} // namespace

void Switchboard::State::void_customer_code(Conversation& talk) {
    if (talk.customer_code.empty()) {
        return;
    }
    if (auto it = customer_codes.find(talk.customer_code); it != customer_codes.end()) {
        code_deadlines.erase({it->second.second, it->first});
        customer_codes.erase(it);
    }
    talk.customer_code.clear();
}

std::uint64_t Switchboard::State::remove_companion(Conversation& talk, SessionId companion,
                                                   Effects& effects) {
    talk.remove_companion(companion);
    touched_clients.insert(companion);
    if (auto it = clients.find(companion); it != clients.end()) {
        it->second.conversation.clear();
    }
    const std::uint64_t seq = talk.take_next_seq();
    tell_participants(talk, CustomerLeft{talk.facts().id, seq}, companion, effects);
    return seq;
}

Effects Switchboard::issue_customer_code(SessionId session, const std::string& conversation,
                                         const std::string& code, const std::string& ref) {
    State& s = *state_;
    if (!s.clients.contains(session)) {
        return error_reply(session, "not_allowed", "only a clerk asks for a customer's code", ref);
    }
    Conversation* talk = s.conversation_of(session, conversation);
    if (talk == nullptr || talk->facts().client != session) {
        return error_reply(session, "not_in_conversation", "no such conversation for this session",
                           ref);
    }
    if (talk->facts().channel != "language-support") {
        return error_reply(session, "not_allowed",
                           "only a clerk's language-support conversation takes a customer", ref);
    }
    s.void_customer_code(*talk);
    const std::string key = upper_case(code);
    const TimePoint expires_at = s.clock.now() + s.policy.customer_code_lifetime;
    s.customer_codes[key] = {conversation, expires_at};
    s.code_deadlines.emplace(expires_at, key);
    talk->customer_code = key;
    return Effects{Deliver{session, CustomerCode{ref, conversation, key, expires_at}}};
}

Effects Switchboard::join_with_code(SessionId session, const std::string& code,
                                    const std::string& ref) {
    State& s = *state_;
    auto client = s.clients.find(session);
    if (client == s.clients.end()) {
        return error_reply(session, "not_allowed", "only clients join with a code", ref);
    }
    if (client->second.waiting || !client->second.conversation.empty()) {
        return error_reply(session, "already_requested",
                           "this client already waits or is in a conversation", ref);
    }
    // Guessing is refused per address: a guesser opens a new connection for every try.
    const std::string& address = client->second.requester.address;
    const std::string guesser = address.empty() ? "connection " + std::to_string(session) : address;
    if (auto wait = s.join_attempts.refused(guesser)) {
        return Effects{
            Deliver{session,
                    ErrorReply{"too_many_attempts",
                               "too many wrong codes; try again in " +
                                   std::to_string(wait->count()) + " seconds",
                               ref, std::chrono::duration_cast<std::chrono::milliseconds>(*wait)}}};
    }
    auto found = s.customer_codes.find(upper_case(code));
    if (found == s.customer_codes.end() || found->second.second <= s.clock.now()) {
        s.join_attempts.failed(guesser);
        return error_reply(session, "unknown_code",
                           "the code is wrong, used or expired; ask the clerk for a new one", ref);
    }
    // A right code clears the address: a library's kiosks share one, and a customer's typo
    // should not lock out the next customer.
    s.join_attempts.succeeded(guesser);
    Conversation& talk = s.conversations.at(found->second.first);
    s.void_customer_code(talk); // once only
    Effects effects;
    s.tell_participants(talk, CustomerJoined{talk.facts().id, talk.take_next_seq()}, 0, effects);
    talk.add_companion(session);
    client->second.conversation = talk.facts().id;

    ConversationStarted started;
    started.conversation = talk.facts().id;
    started.language = talk.facts().language;
    started.home_municipality = talk.facts().home;
    started.tier = talk.facts().tier;
    if (const Conversation::Seat* lead = talk.lead()) {
        const SignedInAdvisor& advisor = s.advisors.at(lead->advisor);
        started.advisor_name = advisor.profile.display_name;
        started.point_id = advisor.profile.point_id;
        started.point_name = advisor.point ? advisor.point->name : std::string();
    }
    effects.push_back(Deliver{session, std::move(started)});
    s.keep_open_work(effects);
    return effects;
}

} // namespace neuvo::core
